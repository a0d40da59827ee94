#!/usr/bin/env bash
# Runs every test: the normal build against SQLite, the same suite against a PostgreSQL server the
# harness starts itself (initdb in a temp dir, loopback only), the browser tests of the web
# console (playwright-core driving Debian's Chromium), a bounded libFuzzer run of every fuzz target
# (scripts/fuzz.sh; SKIP_FUZZ=1 skips it), then the suite built with ASan+UBSan, and the tests of
# the creation file's writer thread built with ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo "== unit, CLI and console tests (SQLite)"
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600)

echo "== benchmarks, smoke run (a tenth of the sizes; figures in docs/PERFORMANCE.md)"
bench/run.sh --quick --sqlite-only

echo "== the same suite against PostgreSQL"
eval "$(scripts/pg-test-server.sh start)"
trap 'scripts/pg-test-server.sh stop "$CS_TEST_PG_DIR"' EXIT
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 900)
scripts/pg-test-server.sh stop "$CS_TEST_PG_DIR"
trap - EXIT
unset CS_TEST_PG_URL CS_TEST_PG_DIR

echo "== browser tests"
scripts/browser-test.sh build/coursesync

if [ "${SKIP_FUZZ:-0}" != "1" ]; then
  echo "== fuzzing (libFuzzer, clang, ASan+UBSan; scripts/fuzz.sh)"
  scripts/fuzz.sh 20  # seconds per target: two minutes in all
fi

if [ "${SKIP_SANITIZERS:-0}" != "1" ]; then
  # The sanitizer passes are built with clang: at -O0 with ASan+UBSan it compiles this code in
  # half GCC's time (the whole tree: 4 min against 7.5 here), and the main build above keeps GCC's
  # warnings, so both compilers check every file.
  echo "== ASan+UBSan build (clang, SQLite)"
  CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCOURSESYNC_SANITIZE=ON >/dev/null
  ninja -C build-asan -j"$(nproc)"
  # The SIGKILL series run smaller here (the first pass ran them at full size): under ASan, at
  # 100,000 lines and six kills per task, they were 270 of this pass's 425 s of tests.
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    CS_CRASH_COURSES=20000 CS_CRASH_KILLS=3 \
    ctest --output-on-failure -j"$(nproc)" --timeout 1200)
  echo "== ThreadSanitizer build (clang): the creation file's writer thread (SQLite)"
  CC=clang CXX=clang++ cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOURSESYNC_TSAN=ON >/dev/null
  ninja -C build-tsan -j"$(nproc)" cs_tsan_tests
  TSAN_OPTIONS=halt_on_error=1 build-tsan/cs_tsan_tests \
    --gtest_filter='CreateTest.*:BackgroundWriterTest.*:RowBatchTest.*' --gtest_brief=1
fi
