#!/usr/bin/env bash
# Browser tests of the web console (tests/browser/*.test.mjs, playwright-core driving Debian's
# Chromium). Builds nothing: given the built binary, starts `coursesync serve` on a free loopback
# port over a temporary data folder, sets the admin password, runs the node tests, stops the
# server. Screenshots and the access log go to build/browser-artifacts/ (or $CS_BROWSER_ARTIFACTS).
# Exits non-zero when a test failed; the last line is "N passed, N failed".
#
#   scripts/browser-test.sh build/coursesync
set -uo pipefail
cd "$(dirname "$0")/.."

bin="${1:-}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "usage: scripts/browser-test.sh PATH/TO/coursesync" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
bin="$(realpath "$bin")"
artifacts="$(realpath -m "${CS_BROWSER_ARTIFACTS:-build/browser-artifacts}")"
chromium="${CHROMIUM:-/usr/bin/chromium}"
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png

if ! command -v node >/dev/null || [ ! -x "$chromium" ]; then
  echo "browser-test: node and $chromium are needed (scripts/install-deps.sh installs them)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [ ! -f node_modules/playwright-core/package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2 || {
    echo "browser-test: npm ci failed" >&2
    echo "0 passed, 1 failed"
    exit 1
  }
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

data="$tmp/data"
password="browser-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
if ! printf '%s\n' "$password" | "$bin" --data "$data" admin set-password --password-stdin >/dev/null; then
  echo "browser-test: admin set-password failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

"$bin" --data "$data" serve --listen 127.0.0.1:0 --access-log "$artifacts/access.log" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's|^Listening on \(https\{0,1\}://[^ ]*\)/ .*|\1|p' "$tmp/serve.out")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "browser-test: the server did not start" >&2
  cat "$tmp/serve.out" "$tmp/serve.err" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "browser-test: server at $url (data $data)" >&2

passed=0
failed=0
status=0
for t in tests/browser/*.test.mjs; do
  CS_BASE_URL="$url" CS_ADMIN_PASSWORD="$password" CS_ARTIFACTS="$artifacts" CHROMIUM="$chromium" \
    node "$t" | tee "$tmp/node.out"
  rc=${PIPESTATUS[0]}
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/node.out" | tail -1)"
  if [ -n "$summary" ]; then
    passed=$((passed + ${summary%% passed*}))
    f="${summary##*, }"
    failed=$((failed + ${f%% failed}))
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
  fi
  [ "$rc" -ne 0 ] && status=1
done

kill -TERM "$server_pid" 2>/dev/null
if ! wait "$server_pid"; then
  echo "browser-test: the server did not stop cleanly" >&2
  cat "$tmp/serve.err" >&2
  status=1
fi
server_pid=""
[ "$failed" -gt 0 ] && status=1
echo "browser-test: screenshots in $artifacts" >&2
echo "$passed passed, $failed failed"
exit "$status"
