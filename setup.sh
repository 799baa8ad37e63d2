#!/usr/bin/env bash
# One command does the whole set-up on a fresh Debian 12 machine:
#   ./setup.sh run    install what is missing, build in build/, start lstmscope on a bundled model
#   ./setup.sh test   install what is missing, build in build/, run the whole test suite, then
#                     the engine tests again in a portable build (build-portable/, no -march=native)
#                     and in a sanitizer build with the fuzz targets (build-sanitize/, clang,
#                     ASan + UBSan)
# Extra arguments after `run` go to the program.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
[ $# -gt 0 ] && shift

# Debian packages the build, the tests and the Python tools need.
packages=(cmake g++ make pkg-config libeigen3-dev nlohmann-json3-dev libgtest-dev libhdf5-dev libzip-dev libyaml-cpp-dev
          qt6-base-dev qt6-svg-dev libqcustomplot-dev fonts-noto-cjk fonts-noto-color-emoji xvfb xauth python3-torch python3-numpy
          qt6-tools-dev qt6-l10n-tools qt6-translations-l10n  # these three: the Chinese interface (lrelease, lupdate, Qt's own zh_CN)
          clang libclang-rt-14-dev  # the fuzz targets (tests/fuzz/, -DLSTMSCOPE_FUZZ=ON): clang and its libFuzzer
          parallel python3-scipy python3-h5py  # GNU parallel: the sharded corpus test; SciPy, h5py: tools/make_*.py
          help2man dpkg-dev desktop-file-utils appstream)  # man pages, the .deb's dependencies, the desktop files' checks

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${LSTMSCOPE_CMAKE_ARGS:-}
cmake --build build -j"$jobs"

case "$mode" in
  run)
    model=models/sentiment_en_bilstm_pool.json
    if [ -x build/lstmscope ]; then
      if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        # No screen (ssh, a container): render the window to a PNG instead.
        build/lstmscope "$model" "$@" --screenshot lstmscope-screenshot.png
        echo "setup: no display found; the window was rendered to $(pwd)/lstmscope-screenshot.png"
        exit 0
      fi
      exec build/lstmscope "$model" "$@"
    fi
    build/lstmscope-cli info "$model"
    exec build/lstmscope-cli trace "$model" --text "${1:-The food was good but the service was awful.}"
    ;;
  test)
    ctest --test-dir build --output-on-failure -j"$jobs"
    # The portable flavour (what a package ships: no -march=native) must give
    # the same numbers; it needs only the engine and its tests.
    if [ "${LSTMSCOPE_SKIP_PORTABLE:-0}" != 1 ]; then
      cmake -S . -B build-portable -DCMAKE_BUILD_TYPE=Release -DLSTMSCOPE_NATIVE=OFF -DLSTMSCOPE_BUILD_GUI=OFF
      cmake --build build-portable -j"$jobs"
      ctest --test-dir build-portable --output-on-failure -j"$jobs"
    fi
    # The sanitizer flavour: the engine and its tests built by clang with
    # AddressSanitizer and UBSan, and the libFuzzer targets, each fuzzed for
    # a few thousand inputs from its committed corpus (tests/fuzz/).
    if [ "${LSTMSCOPE_SKIP_SANITIZE:-0}" != 1 ]; then
      cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
            -DLSTMSCOPE_SANITIZE=ON -DLSTMSCOPE_FUZZ=ON -DLSTMSCOPE_BUILD_GUI=OFF
      cmake --build build-sanitize -j"$jobs"
      ctest --test-dir build-sanitize --output-on-failure -j"$jobs"
    fi
    ;;
  *)
    echo "usage: ./setup.sh run|test" >&2
    exit 2
    ;;
esac
