#!/usr/bin/env bash
# The ADL LRS conformance suite (xAPI 2.0.0) against Cakap's /xapi, on SQLite and on
# PostgreSQL, each a fresh database and a server started for it (docs/interfaces.md#xapi).
# The suite is read from $XAPI_SUITE (default: ../shared/xapi-conformance beside the
# repository); it is copied to a temporary folder and its npm packages installed there.
# Prints the pass/fail counts; fails when any test fails or the suite is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${CAKAP_BIN:-$root/target/release/cakap}
suite=${XAPI_SUITE:-$root/../shared/xapi-conformance}
[ -x "$bin" ] || { echo "no release binary at $bin (cargo build --release)" >&2; exit 1; }
[ -f "$suite/bin/console_runner.js" ] || { echo "no conformance suite at $suite" >&2; exit 1; }

work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pgdb" postgres 2>/dev/null || true
  rm -rf "$work"
}
pgdb="cakap_xapi_$$"
trap cleanup EXIT

cp -r "$suite" "$work/suite"
(cd "$work/suite" && npm install --no-audit --no-fund --loglevel=error >/dev/null)

run() { # name database-url
  local name=$1 url=$2 port out
  DATABASE_URL=$url "$bin" migrate >/dev/null
  out=$(DATABASE_URL=$url "$bin" xapi-client add conformance 2>/dev/null)
  local key secret
  key=$(awk '/key:/ {print $2}' <<<"$out")
  secret=$(awk '/secret:/ {print $2}' <<<"$out")
  port=$((20000 + RANDOM % 20000))
  DATABASE_URL=$url "$bin" serve --addr "127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  (cd "$work/suite" && node bin/console_runner.js -x 2.0.0 -e "http://127.0.0.1:$port/xapi" \
    -a -u "$key" -p "$secret" -z >"$work/$name.out" 2>&1) || true
  kill "$server"; wait "$server" 2>/dev/null || true; server=
  local last
  last=$(grep -o '{"total":[0-9]*,"passed":[0-9]*,"failed":[0-9]*[^}]*}' "$work/$name.out" | tail -1)
  echo "xAPI conformance ($name): $last"
  if [ -z "$last" ] || ! grep -q '"failed":0' <<<"$last" \
     || [ "$(sed 's/.*"total":\([0-9]*\).*"passed":\([0-9]*\).*/\1 \2/' <<<"$last" | awk '{print ($1==$2)}')" != 1 ]; then
    tail -50 "$work/$name.out" >&2
    return 1
  fi
}

run sqlite "sqlite://$work/lrs.db"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $pgdb" postgres
run postgres "postgres://postgres@127.0.0.1:5432/$pgdb"
