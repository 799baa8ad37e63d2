# Man pages, lstmscope.1 and lstmscope-cli.1, made at build time by help2man
# from the programs' own --help and --version, so they never disagree with
# the programs. They run with no display (which proves that --help needs
# none) and with a private settings folder in English, so a language chosen
# in the builder's View > Language does not leak into the pages; in a
# sanitizer build, without leak checks (a report at exit is not a man page).
find_program(LSTMSCOPE_HELP2MAN help2man)
if(NOT LSTMSCOPE_HELP2MAN)
  message(WARNING "help2man not found (apt-get install help2man): no man pages will be built or installed")
  set(LSTMSCOPE_MAN_PAGES OFF)
  return()
endif()
set(LSTMSCOPE_MAN_PAGES ON)  # tests/install checks the installed pages then
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/man)

# lstmscope_man_page(TARGET "one-line description" [help2man options...]
#                    [DEPENDS files the options read])
# Installs man/TARGET.1.gz: Debian keeps man pages compressed (gzip -n, so
# that the same page gives the same bytes).
function(lstmscope_man_page target description)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "DEPENDS")
  set(page ${PROJECT_BINARY_DIR}/man/${target}.1)
  add_custom_command(OUTPUT ${page} ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=QT_QPA_PLATFORM
            XDG_CONFIG_HOME=${PROJECT_BINARY_DIR}/man/settings LC_ALL=C.UTF-8 ASAN_OPTIONS=detect_leaks=0
            ${LSTMSCOPE_HELP2MAN} --no-info --section=1 --name=${description} ${arg_UNPARSED_ARGUMENTS}
            --output=${page} $<TARGET_FILE:${target}>
    COMMAND gzip -9 --no-name --keep --force ${page}
    DEPENDS ${target} ${arg_DEPENDS}
    COMMENT "Man page ${target}.1 from ${target} --help"
    VERBATIM)
  add_custom_target(${target}_man_page ALL DEPENDS ${page}.gz)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()

# The CLI's page also has every command's own --help (cmake/ManPageCommands.cmake).
set(lstmscope_cli_commands ${PROJECT_BINARY_DIR}/man/lstmscope-cli-commands.h2m)
add_custom_command(OUTPUT ${lstmscope_cli_commands}
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:lstmscope-cli> -DOUTPUT=${lstmscope_cli_commands}
          -P ${CMAKE_CURRENT_LIST_DIR}/ManPageCommands.cmake
  DEPENDS lstmscope-cli ${CMAKE_CURRENT_LIST_DIR}/ManPageCommands.cmake
  VERBATIM)
lstmscope_man_page(lstmscope-cli "look inside LSTM and attention text models from the command line"
                   --include=${lstmscope_cli_commands} DEPENDS ${lstmscope_cli_commands})
if(LSTMSCOPE_BUILD_GUI)
  lstmscope_man_page(lstmscope "look inside LSTM and attention text models"
                     "--help-option=--lang en --help" "--version-option=--lang en --version")
endif()
