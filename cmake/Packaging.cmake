# `cpack -G DEB`: lstmscope_<version>_amd64.deb, with what `cmake --install`
# installs (cmake/Install.cmake). Build a package in a build folder of its
# own, portable (no -march=native, see below) and for /usr:
#
#   cmake -S . -B build-deb -DLSTMSCOPE_NATIVE=OFF -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb
#   cpack -G DEB --config build-deb/CPackConfig.cmake -B build-deb
#
# Its dependencies are the Debian packages of the libraries the programs
# link (dpkg-shlibdeps, from dpkg-dev), so it installs with `apt install
# ./lstmscope_*.deb` on Debian 12.

set(CPACK_PACKAGE_NAME lstmscope)
set(CPACK_PACKAGE_VENDOR "the lstmscope authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "look inside LSTM and attention text models")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
# project(VERSION) gives CPACK_PACKAGE_VERSION, as it gives --version.
set(CPACK_STRIP_FILES ON)

set(LSTMSCOPE_PACKAGE_MAINTAINER "lstmscope authors <lstmscope@example.org>"
    CACHE STRING "The .deb's Maintainer field: 'Name <email>'")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${LSTMSCOPE_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # lstmscope_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(LSTMSCOPE_BUILD_GUI)
  # The Chinese interface reads best with CJK fonts, and Qt's own dialogs
  # (file chooser, standard buttons) are translated by qt6-translations-l10n.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk, qt6-translations-l10n")
  set(lstmscope_package_programs "the desktop application (lstmscope) and the command line\n(lstmscope-cli)")
else()
  set(lstmscope_package_programs "only the command line (lstmscope-cli): it was built without\nthe desktop application")
endif()
# Below the summary (CPACK_PACKAGE_DESCRIPTION_SUMMARY, which CPack puts
# first); CPack indents the lines as Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "lstmscope opens a trained recurrent text model (LSTM, BiLSTM or GRU, with
self-attention, multi-head attention or attention pooling), runs it on a text
and shows everything the model did: the tokens, every attention matrix and
head, and the gates and states of every layer at every step. Chinese text
works everywhere. It opens lstmscope manifests and Keras .h5/.keras files.

This package holds ${lstmscope_package_programs}, with the bundled models and lessons.")
set(CPACK_GENERATOR DEB)  # what a plain `cpack` makes

# A package runs on other machines: cpack refuses a build tuned to this CPU
# (-march=native may use instructions other CPUs lack, and the program then
# dies with SIGILL there) or instrumented by the sanitizers. The check runs
# in cpack, before it writes the package; configure only mentions it, since
# every developer build is native by default.
if(LSTMSCOPE_NATIVE OR LSTMSCOPE_SANITIZE)
  message(STATUS "Packaging: cpack will refuse this build (LSTMSCOPE_NATIVE=${LSTMSCOPE_NATIVE}, "
                 "LSTMSCOPE_SANITIZE=${LSTMSCOPE_SANITIZE}); see cmake/Packaging.cmake for a package build")
endif()
set(CPACK_LSTMSCOPE_NATIVE ${LSTMSCOPE_NATIVE})
set(CPACK_LSTMSCOPE_SANITIZE ${LSTMSCOPE_SANITIZE})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/PackagingCheck.cmake)

include(CPack)
