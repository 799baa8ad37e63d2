# Run by cpack before it packs (CPACK_PRE_BUILD_SCRIPTS, cmake/Packaging.cmake):
# no package from a build tuned to the building CPU or built with sanitizers.
if(CPACK_LSTMSCOPE_NATIVE OR CPACK_LSTMSCOPE_SANITIZE)
  message(FATAL_ERROR "lstmscope: refusing to package a build with LSTMSCOPE_NATIVE=${CPACK_LSTMSCOPE_NATIVE} "
                      "LSTMSCOPE_SANITIZE=${CPACK_LSTMSCOPE_SANITIZE}: a package must run on any x86-64 CPU. "
                      "Build it in its own folder: cmake -S . -B build-deb -DLSTMSCOPE_NATIVE=OFF "
                      "-DCMAKE_INSTALL_PREFIX=/usr && cmake --build build-deb && "
                      "cpack -G DEB --config build-deb/CPackConfig.cmake -B build-deb")
endif()
