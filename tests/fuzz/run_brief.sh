#!/bin/sh
# The brief libFuzzer run of one target as a ctest test:
#   run_brief.sh WORK_DIR FUZZER [libFuzzer options] CORPUS_DIR...
# New inputs go to WORK_DIR/new, given first because libFuzzer writes to the
# first directory it is given; it is emptied first, so every run starts from
# the committed corpus alone and a fixed -seed repeats it. Crash files go to
# WORK_DIR/. The committed corpus directories are only read.
set -eu
work=$1
fuzzer=$2
shift 2
rm -rf "$work"
mkdir -p "$work/new"
exec "$fuzzer" -artifact_prefix="$work/" "$work/new" "$@"
