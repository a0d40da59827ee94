#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan+UBSan, coverage-instrumented libraries) in
# build-fuzz/ and runs each for a bounded time: scripts/fuzz.sh [seconds-per-target] [target...]
# (default 30 s, every target). Each target starts from its seed corpus (fuzz/corpus/<target>/, read
# only) plus what earlier runs found (build-fuzz/corpus/<target>/). Exits non-zero when a target
# crashes, leaks, times out or runs out of memory; the input is then in build-fuzz/artifacts/ (add
# it to fuzz/corpus/<target>/ with the fix). Environment: FUZZ_JOBS (ninja jobs, default 2),
# FUZZ_MAX_LEN (bytes per input, default 4096), FUZZ_WERROR (OFF: warnings are not errors).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(csv_reader_fuzz create_file_fuzz delete_file_fuzz check_file_fuzz reset_file_fuzz
           metas_file_fuzz)
fi
build=build-fuzz

# -O1 -g, as libFuzzer's documentation builds its targets: a fifth less build time than -O2.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS=-O1 \
  -DCOURSESYNC_FUZZ=ON -DCOURSESYNC_WERROR="${FUZZ_WERROR:-ON}" >/dev/null
ninja -C "$build" -j"${FUZZ_JOBS:-2}" "${targets[@]}"

mkdir -p "$build/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  echo "== fuzz $t (${seconds}s)"
  log="$build/artifacts/$t.log"
  if "$build/fuzz/$t" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout=20 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "$build/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE' "$log" | tr '\n' ' '
    echo
  else
    echo "!! $t failed (log: $log):"
    grep -E -A30 '^==[0-9]+==ERROR|runtime error|^fuzz|^csv_reader_fuzz|deadly signal|Test unit written' \
      "$log" | head -60 || tail -40 "$log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: no problem found (${#targets[@]} targets, ${seconds}s each)"
