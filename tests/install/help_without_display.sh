#!/usr/bin/env bash
# lstmscope --help and --version with no display at all (no DISPLAY, no
# WAYLAND_DISPLAY, no QT_QPA_PLATFORM): they must answer, exit 0, and speak
# the --lang language. Before they were answered without a QApplication,
# each aborted with Qt's "could not connect to display" error.
#   help_without_display.sh LSTMSCOPE VERSION WORK_DIR
set -euo pipefail
app=$1 version=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# A private settings folder: a language saved in View > Language must not decide the test.
run() { env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM XDG_CONFIG_HOME="$work/settings" LC_ALL=C.UTF-8 "$app" "$@"; }

out=$(run --version 2>"$work/err") || fail "--version exited $? ($(cat "$work/err"))"
[ "$out" = "lstmscope $version" ] || fail "--version printed '$out', expected 'lstmscope $version'"

out=$(run --help 2>"$work/err") || fail "--help exited $? ($(cat "$work/err"))"
grep -q "Looks inside LSTM and attention text models" <<<"$out" || fail "--help lacks the description: $out"
grep -q -- "--screenshot <file.png>" <<<"$out" || fail "--help lacks --screenshot: $out"

out=$(run --lang zh_CN --help 2>"$work/err") || fail "--lang zh_CN --help exited $? ($(cat "$work/err"))"
grep -q "查看 LSTM 与注意力文本模型的内部" <<<"$out" || fail "--lang zh_CN --help is not in Chinese: $out"

# The short form; an unknown --lang still refused with exit 2, an unknown
# option with the parser's message and exit 1 (not Qt's abort).
run -h >/dev/null 2>&1 || fail "-h exited $?"
status=0; run --lang xx --help >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || fail "--lang xx --help exited $status, expected 2"
status=0; run --no-such-option --help >/dev/null 2>"$work/err" || status=$?
[ "$status" = 1 ] && grep -q "no-such-option" "$work/err" ||
  fail "--no-such-option --help exited $status, expected 1 naming the option: $(cat "$work/err")"
echo "lstmscope --help and --version work without a display"
