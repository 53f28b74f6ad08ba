#!/usr/bin/env bash
# National scale on PostgreSQL (issue 19 §2, docs/national.md): `cakap demo --national` lays
# out ~4.7 million ASN in 546 governments from the demo regency, timed; then the national
# view (`GET /api/v1/national`, the `bkn` login) and the regency's leadership dashboard, cold
# after a restart and warm; then `cakap national refresh` with every stored JPM fresh. The
# database is kept for the page matrix beside it:
#
#   bench/national.sh                                   # ~30 min on 2 cores, ~20 GB
#   BENCH_ASN=470000 bench/national.sh                  # a tenth of the country
#   BENCH_REUSE=1 bench/national.sh                     # measure an existing database again
#   BENCH_DB=postgres BENCH_PG_DB=cakap_national BENCH_REUSE=1 bench/pages.sh   # the pages
#   psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE cakap_national'          # when done
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BENCH_PORT:-18092}
asn=${BENCH_ASN:-4700000}
db=${BENCH_PG_DB:-cakap_national}
url=postgres://postgres@127.0.0.1:5432/$db
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
sql() { psql -h 127.0.0.1 -U postgres -d "$db" -tAq -c "$1"; }

[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
if [ -z "${BENCH_REUSE:-}" ]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
  start=$(date +%s)
  ./target/release/cakap --database-url "$url" --keys-dir "$work/keys" demo --national --national-asn "$asn" 2>&1 \
    | grep -v '^demo: \|^national: '
  echo "cakap demo --national: $(( $(date +%s) - start )) s in all"
fi
echo "active ASN: $(sql "SELECT COUNT(*) FROM employees WHERE active") in $(sql "SELECT COUNT(*) FROM tenants WHERE kind = 'daerah'") governments;" \
  "assessments $(sql "SELECT COUNT(*) FROM assessments"), enrolments $(sql "SELECT COUNT(*) FROM enrollments")," \
  "activities $(sql "SELECT COUNT(*) FROM activities"), evaluations $(sql "SELECT COUNT(*) FROM evaluations");" \
  "database $(sql "SELECT pg_size_pretty(pg_database_size('$db'))")"
echo "largest government: $(sql "SELECT t.code || ' ' || COUNT(*) FROM employees e JOIN tenants t ON t.id = e.tenant_id GROUP BY t.code ORDER BY COUNT(*) DESC LIMIT 1")," \
  "smallest: $(sql "SELECT t.code || ' ' || COUNT(*) FROM employees e JOIN tenants t ON t.id = e.tenant_id GROUP BY t.code ORDER BY COUNT(*) LIMIT 1")"

start_server() {
  CAKAP_LOG=warn ./target/release/cakap --database-url "$url" serve --keys-dir "$work/keys" --addr 127.0.0.1:$port >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for who in bkn admin; do
    curl -sf -c "$work/jar.$who" -H 'content-type: application/json' \
      -d "{\"username\":\"$who\",\"password\":\"Cakap-Demo-2026\"}" "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
  done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
timed() { curl -s -o "$work/out" -w '%{http_code} %{time_total} s, %{size_download} bytes' -b "$work/jar.$1" "http://127.0.0.1:$port$2"; }

start_server
for path in /api/v1/national "/api/v1/national?province=32" /nasional "/nasional?provinsi=11"; do
  echo "bkn   GET $path (cold after a start): $(timed bkn "$path")"
  echo "bkn   GET $path (again): $(timed bkn "$path")"
done
echo "      $(grep -o '"total":{[^}]*}' "$work/out" 2>/dev/null || true)"
curl -s -b "$work/jar.bkn" "http://127.0.0.1:$port/api/v1/national" | grep -o '"total":{[^}]*}'
for path in /api/v1/dashboard /dashboard /api/v1/equity; do
  echo "admin GET $path (the regency among the country, cold after a start): $(timed admin "$path")"
  echo "admin GET $path (again): $(timed admin "$path")"
done
echo "RSS after: $(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status")"
stop_server

start=$(date +%s.%N)
./target/release/cakap --database-url "$url" national refresh 2>&1 | grep -v '^national: '
echo "cakap national refresh (stored JPM fresh): $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
