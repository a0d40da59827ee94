#!/usr/bin/env bash
# Runs every benchmark on the embedded store (SQLite), then on a PostgreSQL server started for the
# purpose (scripts/pg-test-server.sh: initdb in a temp folder, loopback only), and prints the
# figures that docs/PERFORMANCE.md records. Usage: bench/run.sh [--sqlite-only] [--quick]
# (--quick: a tenth of the sizes, for a smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
sqlite_only=0
scale=1
for a in "$@"; do
  case "$a" in
    --sqlite-only) sqlite_only=1 ;;
    --quick) scale=10 ;;
    *) echo "usage: bench/run.sh [--sqlite-only] [--quick]" >&2; exit 2 ;;
  esac
done
[ -x build/bench/create_bench ] || scripts/build.sh >/dev/null
ninja -C build bench/create_bench bench/delete_bench bench/check_bench bench/reset_bench \
  bench/metas_bench bench/generate_files >/dev/null

run_all() {
  echo "== create / update / skip (issue 3; PostgreSQL: issue 8)"
  build/bench/create_bench $((100000 / scale))
  echo "== delete (issue 4)"
  build/bench/delete_bench $((10000 / scale)) $((1000 / scale))
  echo "== check (issue 4)"
  build/bench/check_bench $((1000000 / scale)) $((100000 / scale))
  echo "== reset (issue 5)"
  build/bench/reset_bench $((1000 / scale)) $((2000 / scale))
  echo "== metas"
  build/bench/metas_bench $((1000 / scale)) $((2000 / scale))
}

echo "#### SQLite ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
run_all
if [ "$sqlite_only" = 0 ]; then
  # Set up as a site's long-running server would be, not as PostgreSQL's out-of-the-box defaults
  # on a server started a second ago: a creation of 100,000 courses writes 330 MB of tables and
  # indexes and 540 MB of WAL. shared_buffers 2GB and max_wal_size 8GB keep those pages cached
  # and the run free of checkpoints; wal_init_zero=off because a server that has been running
  # recycles its WAL segments, while a new one zero-fills each 16 MB segment as the backend first
  # needs it (3 s of the first run's 13; docs/PERFORMANCE.md, session 6).
  eval "$(CS_TEST_PG_OPTIONS="-c shared_buffers=2GB -c max_wal_size=8GB -c wal_init_zero=off" \
    scripts/pg-test-server.sh start)"
  trap 'scripts/pg-test-server.sh stop "$CS_TEST_PG_DIR"' EXIT
  echo "#### PostgreSQL (local server)"
  CS_BENCH_PG="$CS_TEST_PG_URL" run_all
fi
