#!/usr/bin/env bash
# Load test: 64 logged-in sessions against the employee list (5,000 ASN) and, in the same
# run, the server's static asset route as the reference. Loopback only; bounded in time.
#
#   bench/load.sh                 # SQLite
#   BENCH_DB=postgres bench/load.sh
#   BENCH_SECONDS=20 BENCH_PATH='/employees?q=ri' bench/load.sh
#   BENCH_USER=asn BENCH_PATH=/learn bench/load.sh     # the learner dashboard, as the demo ASN
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-20}
conns=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18080}
path=${BENCH_PATH:-/employees}
backend=${BENCH_DB:-sqlite}
user=${BENCH_USER:-admin}
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS cakap_bench WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
if [ "$backend" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS cakap_bench WITH (FORCE)" -c "CREATE DATABASE cakap_bench" >/dev/null
  url=postgres://postgres@127.0.0.1:5432/cakap_bench
else
  url=sqlite://$work/bench.db
fi
./target/release/cakap --database-url "$url" demo --employees 5000 >/dev/null
CAKAP_LOG=warn ./target/release/cakap --database-url "$url" serve --addr 127.0.0.1:$port >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

: >"$work/cookies"
for _ in $(seq "$conns"); do
  curl -s -c - -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"Cakap-Demo-2026\"}" "http://127.0.0.1:$port/api/v1/auth/login" \
    | awk '$6 == "cakap_session" {print $7}' >>"$work/cookies"
done
[ "$(wc -l <"$work/cookies")" -eq "$conns" ] || { echo "logins failed" >&2; exit 1; }
asset=$(curl -s -b "cakap_session=$(head -1 "$work/cookies")" "http://127.0.0.1:$port$path" | grep -o '/static/[0-9a-f]*/app.css' | head -1)
page_bytes=$(curl -s -b "cakap_session=$(head -1 "$work/cookies")" "http://127.0.0.1:$port$path" | wc -c)
rss() { ps -o rss= -p "$server" | awk '{printf "%.0f", $1/1024}'; }

run() { # name url connections seconds
  CAKAP_COOKIES="$work/cookies" wrk -t2 -c"$3" -d"$4"s --latency -s bench/sessions.lua "$2" | grep '^RESULT' | sed "s/^RESULT/$1/"
}
echo "backend=$backend page=$path bytes=$page_bytes sessions=$conns seconds=$seconds cores=$(nproc)"
CAKAP_COOKIES="$work/cookies" wrk -t1 -c1 -d5s --latency -s bench/sessions.lua "http://127.0.0.1:$port$path" | grep "^RESULT" | sed "s/^RESULT/single   /"
page=$(run "page     " "http://127.0.0.1:$port$path" "$conns" "$seconds"); echo "$page"
static=$(run "static   " "http://127.0.0.1:$port$asset" "$conns" "$seconds"); echo "$static"
echo "rss_mb=$(rss)"
p=$(echo "$page" | sed 's/.*rps=\([0-9]*\).*/\1/'); s=$(echo "$static" | sed 's/.*rps=\([0-9]*\).*/\1/')
awk -v p="$p" -v s="$s" 'BEGIN { printf "ratio page/static = %.3f\n", p / s }'
