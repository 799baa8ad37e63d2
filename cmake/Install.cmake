# `cmake --install`: the data both programs share, the licences and the man
# pages. The programs install themselves (engine/cli/, gui/), and so does the
# desktop integration (resources/linux/, with the GUI). The layout is
# Debian's (GNUInstallDirs): bin/, share/lstmscope/models, share/man/man1,
# share/doc/lstmscope.

# The bundled models, read by the GUI (bundled_models.cpp looks in the prefix
# first) and by `lstmscope-cli check` in the install test. Installed with the
# CLI so that an engine-only build installs them too.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/lstmscope/models
        FILES_MATCHING PATTERN "*.json" PATTERN "*.safetensors" PATTERN "*.md"
        PATTERN "DATA-LICENSES.md" EXCLUDE)

# The project's licence and the models' data licences; `copyright` is what
# Debian looks for in every package's doc folder (DEP-5, machine-readable).
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/models/DATA-LICENSES.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/resources/linux/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

include(${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake)
