#!/usr/bin/env bash
# cpack -G DEB on this build. A build that may not be packaged (-march=native
# or sanitizers) must be refused, with the reason and no package left behind;
# any other must give lstmscope_<version>_<arch>.deb with its Debian
# dependencies (from dpkg-shlibdeps), the programs, the models and the
# copyright file.
#   package.sh BUILD_DIR WORK_DIR VERSION REFUSE(ON/OFF) GUI(ON/OFF)
set -euo pipefail
build=$1 work=$2 version=$3 refuse=$4 gui=$5
fail() { echo "FAIL: $*" >&2; exit 1; }
on() { case "$1" in ON|on|1|TRUE|true|YES|yes) return 0 ;; *) return 1 ;; esac; }
rm -rf "$work" && mkdir -p "$work"

status=0
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 || status=$?
debs=("$work"/*.deb)
if on "$refuse"; then
  [ "$status" != 0 ] || fail "cpack packaged a -march=native or sanitizer build"
  grep -q "refusing to package" "$work/cpack.log" || fail "cpack failed without saying why: $(cat "$work/cpack.log")"
  [ ! -e "${debs[0]}" ] || fail "cpack refused but left ${debs[0]}"
  echo "cpack refuses this build, as it should"
  exit 0
fi

[ "$status" = 0 ] || fail "cpack exited $status: $(tail -20 "$work/cpack.log")"
deb="$work/lstmscope_${version}_$(dpkg --print-architecture).deb"
[ -s "$deb" ] || fail "no $deb (found: ${debs[*]})"
depends=$(dpkg-deb -f "$deb" Depends)
needed=(libc6 libstdc++6 libhdf5 libzip libyaml-cpp)
on "$gui" && needed+=(libqt6widgets6 libqt6svg6 libqcustomplot)
for lib in "${needed[@]}"; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
[ "$(dpkg-deb -f "$deb" Section)" = science ] || fail "Section is not science"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
expected=(./usr/bin/lstmscope-cli ./usr/share/doc/lstmscope/copyright ./usr/share/lstmscope/models/sentiment_en_bilstm_pool.json)
on "$gui" && expected+=(./usr/bin/lstmscope ./usr/share/applications/io.github.lstmscope.lstmscope.desktop)
for f in "${expected[@]}"; do
  grep -qx -- "$f" <<<"$files" || fail "the package lacks $f"
done
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes; Depends: $depends"
