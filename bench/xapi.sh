#!/usr/bin/env bash
# The xAPI LRS under load (docs/interfaces.md#xapi): 64 connections of one client storing
# statements, then reading pages of them, unfiltered and by agent; on the demo regency
# (5,000 ASN) with its LRS filled by the posts. Loopback only; bounded in time.
#
#   bench/xapi.sh                    # SQLite
#   BENCH_DB=postgres bench/xapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-15}
conns=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18090}
backend=${BENCH_DB:-sqlite}
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS cakap_xapi_bench WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
if [ "$backend" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS cakap_xapi_bench WITH (FORCE)" -c "CREATE DATABASE cakap_xapi_bench" >/dev/null
  url=postgres://postgres@127.0.0.1:5432/cakap_xapi_bench
else
  url=sqlite://$work/bench.db
fi
./target/release/cakap --database-url "$url" demo --employees 5000 >/dev/null
out=$(./target/release/cakap --database-url "$url" xapi-client add bench 2>/dev/null)
key=$(awk '/key:/ {print $2}' <<<"$out"); secret=$(awk '/secret:/ {print $2}' <<<"$out")
export XAPI_AUTH; XAPI_AUTH=$(printf '%s:%s' "$key" "$secret" | base64 -w0)
CAKAP_LOG=warn ./target/release/cakap --database-url "$url" serve --addr 127.0.0.1:$port >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
rss() { ps -o rss= -p "$server" | awk '{printf "%.0f", $1/1024}'; }
base=http://127.0.0.1:$port/xapi/statements
agent='%7B%22mbox%22%3A%22mailto%3Alearner1.1%40example.org%22%7D'

echo "backend=$backend connections=$conns seconds=$seconds cores=$(nproc)"
XAPI_POST=1 wrk -t1 -c1 -d3s --latency -s bench/xapi.lua "$base" | grep '^RESULT' | sed 's/^RESULT/post single      /'
XAPI_POST=1 wrk -t2 -c"$conns" -d"${seconds}"s --latency -s bench/xapi.lua "$base" | grep '^RESULT' | sed 's/^RESULT/post            /'
echo "statements stored: $(curl -s -H "Authorization: Basic $XAPI_AUTH" -H 'X-Experience-API-Version: 2.0.0' "$base?limit=1" >/dev/null; echo ok)"
wrk -t1 -c1 -d3s --latency -s bench/xapi.lua "$base?limit=50" | grep '^RESULT' | sed 's/^RESULT/page single      /'
wrk -t2 -c"$conns" -d"${seconds}"s --latency -s bench/xapi.lua "$base?limit=50" | grep '^RESULT' | sed 's/^RESULT/page of 50      /'
wrk -t2 -c"$conns" -d"${seconds}"s --latency -s bench/xapi.lua "$base?agent=$agent" | grep '^RESULT' | sed 's/^RESULT/by agent        /'
wrk -t2 -c"$conns" -d"${seconds}"s --latency -s bench/xapi.lua "$base?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced&limit=50" | grep '^RESULT' | sed 's/^RESULT/by verb, 50     /'
echo "rss_mb=$(rss)"
