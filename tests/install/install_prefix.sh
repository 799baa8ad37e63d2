#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then use what it installed from
# there: lstmscope-cli checks every installed model, both programs report
# the version of project(VERSION), and the desktop entry, icon, AppStream
# metainfo, man pages and licences are where Debian looks for them. The GUI
# must open its models from the prefix it is installed in, not from the
# source tree it was built from. In an engine-only build, only the CLI parts
# (and no GUI file may be installed).
#   install_prefix.sh BUILD_DIR SOURCE_DIR PREFIX VERSION GUI(ON/OFF) MAN_PAGES(ON/OFF)
set -euo pipefail
build=$1 source=$2 prefix=$3 version=$4 gui=$5 man=$6
id=io.github.lstmscope.lstmscope
fail() { echo "FAIL: $*" >&2; exit 1; }
on() { case "$1" in ON|on|1|TRUE|true|YES|yes) return 0 ;; *) return 1 ;; esac; }
exists() { for f in "$@"; do [ -s "$prefix/$f" ] || fail "not installed: $f"; done; }

rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
cd "$prefix"  # the source tree is not where we are

# The CLI, its version, and every installed model through its self-checks.
[ "$(bin/lstmscope-cli --version)" = "lstmscope-cli $version" ] ||
  fail "lstmscope-cli --version printed '$(bin/lstmscope-cli --version)', expected 'lstmscope-cli $version'"
shopt -s nullglob
models=(share/lstmscope/models/*.json)
expected=("$source"/models/*.json)
[ ${#models[@]} -gt 0 ] && [ ${#models[@]} = ${#expected[@]} ] ||
  fail "${#models[@]} models installed, the source tree has ${#expected[@]}"
for m in "${models[@]}"; do
  bin/lstmscope-cli check "$m" >/dev/null || fail "lstmscope-cli check $m exited $?"
done
exists share/doc/lstmscope/LICENSE share/doc/lstmscope/DATA-LICENSES.md share/doc/lstmscope/copyright
if on "$man"; then
  exists share/man/man1/lstmscope-cli.1.gz
  zgrep -q "lstmscope-cli $version" share/man/man1/lstmscope-cli.1.gz || fail "lstmscope-cli.1.gz does not carry $version"
fi

if ! on "$gui"; then
  for f in bin/lstmscope share/applications share/metainfo share/icons share/lstmscope/lessons; do
    [ ! -e "$f" ] || fail "an engine-only build installed $f"
  done
  echo "installed CLI: ${#models[@]} models checked from $prefix"
  exit 0
fi

# The GUI: version and the desktop integration.
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM XDG_CONFIG_HOME="$prefix/settings")
[ "$("${nodisplay[@]}" bin/lstmscope --version)" = "lstmscope $version" ] || fail "lstmscope --version"
exists share/applications/$id.desktop share/icons/hicolor/scalable/apps/$id.svg share/metainfo/$id.metainfo.xml
grep -qx "Exec=lstmscope %f" share/applications/$id.desktop || fail "the .desktop's Exec is not 'lstmscope %f'"
grep -qx "Icon=$id" share/applications/$id.desktop || fail "the .desktop's Icon is not $id"
newest=$(grep -o '<release version="[^"]*"' share/metainfo/$id.metainfo.xml | head -1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "the metainfo's newest release is '$newest', project(VERSION) is $version"
lessons=(share/lstmscope/lessons/*.json)
[ ${#lessons[@]} -gt 0 ] || fail "no lessons installed"
if on "$man"; then
  exists share/man/man1/lstmscope.1.gz
  zgrep -q "lstmscope $version" share/man/man1/lstmscope.1.gz || fail "lstmscope.1.gz does not carry $version"
fi

# The installed GUI takes its models from its own prefix. Break the prefix's
# default model: a screenshot of the default model must now fail and name
# the prefix's file (a program that read the source tree's copy would pass).
default=share/lstmscope/models/sentiment_en_bilstm_pool.json
echo '{"format": "lstmscope-model", "broken on purpose by tests/install": ' >"$default"
status=0
env -u LSTMSCOPE_MODELS QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$prefix/settings" bin/lstmscope --screenshot "$prefix/shot.png" \
  >"$prefix/gui.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "the installed lstmscope did not open the prefix's (broken) default model: exit $status, $(cat "$prefix/gui.out")"
grep -q "$prefix/$default" "$prefix/gui.out" || fail "the error does not name the prefix's model: $(cat "$prefix/gui.out")"
echo "installed CLI and GUI: ${#models[@]} models checked from $prefix"
