#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (Debian's postgresql package): initdb in a temp
# folder, listening on 127.0.0.1 only, on a free port, password authentication over TCP.
#
#   eval "$(scripts/pg-test-server.sh start)"   # exports CS_TEST_PG_URL and CS_TEST_PG_DIR
#   (cd build && ctest)                          # tests then run against PostgreSQL
#   scripts/pg-test-server.sh stop "$CS_TEST_PG_DIR"
#
# `start [DIR]` uses DIR (created, must be empty) or a new temp folder; it prints shell `export`
# lines on stdout and progress on stderr; DIR/url holds the URL of the maintenance database
# (postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres). `stop DIR` stops the server and
# removes DIR. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
# CS_TEST_PG_OPTIONS adds server settings to the start (`-c name=value ...`): bench/run.sh sizes
# the server as a site would (shared_buffers, max_wal_size); the tests keep PostgreSQL's defaults.
set -euo pipefail

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    die "initdb not found: install Debian's postgresql package"
  fi
}

# Runs a command as the server's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local dir="${1:-}"
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/cs-pg.XXXXXX")
  else
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  fi
  dir=$(cd "$dir" && pwd)
  local bin
  bin=$(bindir)
  OWNER=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    OWNER=postgres
    id -u "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/false "$OWNER"
    chown "$OWNER" "$dir"
    chmod 700 "$dir"
  fi
  local password
  password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$(id -u)" -ne 0 ] || chown "$OWNER" "$dir/pwfile"
  echo "pg-test-server: initdb in $dir/data ($bin)" >&2
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 -N >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -5 "$dir/initdb.log")"
  rm -f "$dir/pwfile"

  local port="" try
  for try in 1 2 3 4 5 6 7 8; do
    local p=$((20000 + RANDOM % 30000))
    port_in_use "$p" && continue
    # Durability is pointless for a throw-away server: fsync and friends off.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $p -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off ${CS_TEST_PG_OPTIONS:-}" >/dev/null 2>&1; then
      port=$p
      break
    fi
    echo "pg-test-server: start on port $p failed (try $try): $(tail -2 "$dir/server.log")" >&2
  done
  [ -n "$port" ] || die "could not start the server; see $dir/server.log"
  local url="postgresql://postgres:$password@127.0.0.1:$port/postgres"
  printf '%s\n' "$url" >"$dir/url"
  chmod 600 "$dir/url"
  echo "pg-test-server: PostgreSQL listening on 127.0.0.1:$port (data in $dir)" >&2
  printf "export CS_TEST_PG_DIR='%s'\nexport CS_TEST_PG_URL='%s'\n" "$dir" "$url"
}

stop() {
  local dir="${1:-}"
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    local bin
    bin=$(bindir)
    OWNER=$(stat -c %U "$dir/data")
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  echo "pg-test-server: stopped, $dir removed" >&2
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  url) cat "${2:?usage: $0 url DIR}/url" ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR | url DIR" >&2
    exit 2
    ;;
esac
