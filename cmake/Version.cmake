# The version header, engine/version.h, generated into the build tree from
# project(VERSION). Only the programs' main() files need it: linking
# lstmscope::version adds its include folder, and changing the version
# rebuilds nothing else.
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${PROJECT_BINARY_DIR}/generated/engine/version.h @ONLY)
add_library(lstmscope_version INTERFACE)
target_include_directories(lstmscope_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
add_library(lstmscope::version ALIAS lstmscope_version)
