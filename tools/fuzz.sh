#!/usr/bin/env bash
# The long fuzzing run, before a release (README, "Fuzzing"):
#   tools/fuzz.sh [--runs N] [--max-time S] [--target NAME]... [--jobs J] [--build DIR]
# Configures and builds a clang build with libFuzzer, AddressSanitizer and
# UBSan in build-fuzz/ (-DLSTMSCOPE_FUZZ=ON -DLSTMSCOPE_SANITIZE=ON
# -DLSTMSCOPE_BUILD_GUI=OFF), then runs each target of tests/fuzz/ for N
# executions (default 1,000,000) from its committed corpus, reproducers and
# dictionary, J jobs in parallel (default 1; the N executions are shared
# between them); --max-time S also stops each target after S seconds (for
# the slow targets, text and keras_file, which run tens of executions a
# second under ASan), and the summary says how many executions ran. Crash, leak, timeout and out-of-memory inputs land in
# build-fuzz/findings/<target>/, new corpus inputs in
# build-fuzz/findings/<target>/corpus/ (the committed corpus is only read),
# the log in build-fuzz/findings/<target>/log. Prints clean / NOT CLEAN per
# target; the exit status is 0 only when every target ran clean.
# A finding replays with: build-fuzz/fuzz_<target> build-fuzz/findings/<target>/crash-...
# LSTMSCOPE_CMAKE_ARGS adds configure arguments (e.g. a compiler launcher).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=1000000
max_time=0
jobs=1
build=build-fuzz
targets=()
all_targets=(safetensors manifest manifest_numbers text tokenizers keras_file keras_config)
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --max-time) max_time=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
root=$(pwd)
case "$build" in /*) ;; *) build="$root/$build" ;; esac

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
      -DLSTMSCOPE_FUZZ=ON -DLSTMSCOPE_SANITIZE=ON -DLSTMSCOPE_BUILD_GUI=OFF ${LSTMSCOPE_CMAKE_ARGS:-}
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}"

# LeakSanitizer suppressions (tests/fuzz/lsan.supp; none while libhdf5 runs in a child process).
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
summary=()
for t in "${targets[@]}"; do
  out="$build/findings/$t"
  mkdir -p "$out/corpus"
  dict=()
  [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  inputs=("$root/tests/fuzz/corpus/$t")
  [ -d "$root/tests/fuzz/reproducers/$t" ] && inputs+=("$root/tests/fuzz/reproducers/$t")
  limit=""; [ "$max_time" -gt 0 ] && limit=" or $max_time s"
  echo "fuzz.sh: $t, $runs executions$limit, $jobs job(s); log in $out/log"
  set +e
  if [ "$jobs" -gt 1 ]; then
    # J processes sharing the executions; libFuzzer writes each job's log to
    # fuzz-<k>.log in the current directory, hence the cd.
    (cd "$out" && "$build/fuzz_$t" -jobs="$jobs" -workers="$jobs" -runs=$(( (runs + jobs - 1) / jobs )) \
        -rss_limit_mb=2048 -timeout=10 -max_total_time="$max_time" -print_final_stats=1 -artifact_prefix="$out/" "${dict[@]}" \
        "$out/corpus" "${inputs[@]}") > "$out/log" 2>&1
    rc=$?
    cat "$out"/fuzz-*.log >> "$out/log" 2>/dev/null
  else
    "$build/fuzz_$t" -runs="$runs" -rss_limit_mb=2048 -timeout=10 -max_total_time="$max_time" -print_final_stats=1 \
        -artifact_prefix="$out/" "${dict[@]}" "$out/corpus" "${inputs[@]}" > "$out/log" 2>&1
    rc=$?
  fi
  set -e
  found=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log" | awk '{s+=$2} END {print s+0}')
  cov=$(grep -o 'cov: [0-9]*' "$out/log" | tail -1 | awk '{print $2}')
  if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
    summary+=("$t: clean ($execs executions, cov ${cov:-?})")
  else
    summary+=("$t: NOT CLEAN (exit $rc, $found finding(s) in $out)")
    status=1
  fi
done
printf 'fuzz.sh: %s\n' "${summary[@]}"
exit $status
