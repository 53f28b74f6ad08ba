#!/usr/bin/env bash
# Equity at 100,000 ASN on PostgreSQL (issue 17: "equity for 100,000 ASN in under 1 s"): the
# demo regency (5,000 ASN) loaded, then every employee copied 19 more times with their JP
# (enrolments, activities) and competence (assessment results) — 100,000 ASN in the same
# units and positions — and `GET /api/v1/equity` timed right after a start (nothing cached:
# the whole aggregate of every grouping is computed), then warm, then per grouping. Loopback
# only; the database is dropped afterwards.
#
#   bench/equity.sh
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BENCH_PORT:-18091}
copies=${BENCH_COPIES:-19}
db=cakap_equity_bench
url=postgres://postgres@127.0.0.1:5432/$db
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
start=$(date +%s)
./target/release/cakap --database-url "$url" demo --employees 5000 --keys-dir "$work/keys" >/dev/null
echo "demo (5,000 ASN) loaded in $(( $(date +%s) - start )) s"
start=$(date +%s)
# Copies: ids moved by 10,000,000 × copy, NIPs made unique (18 digits), everything else as is.
psql -q -h 127.0.0.1 -U postgres -d "$db" -v ON_ERROR_STOP=1 <<SQL
DO \$\$
DECLARE t text; cols text; sel text;
BEGIN
  SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
    FROM information_schema.columns WHERE table_name = 'employees';
  sel := replace(replace(cols, 'nip', 'lpad((id + g * 10000000)::text, 18, ''9'')'),
                 'id, tenant_id', 'id + g * 10000000, tenant_id');
  EXECUTE format('INSERT INTO employees (%s) SELECT %s FROM employees CROSS JOIN generate_series(1, $copies) g', cols, sel);
  FOREACH t IN ARRAY ARRAY['enrollments', 'activities', 'assessments'] LOOP
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
      FROM information_schema.columns WHERE table_name = t AND column_name <> 'id';
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I CROSS JOIN generate_series(1, $copies) g',
      t, cols, replace(cols, 'employee_id', 'employee_id + g * 10000000'), t);
  END LOOP;
END \$\$;
ANALYZE;
SQL
people=$(psql -tA -h 127.0.0.1 -U postgres -d "$db" -c "SELECT COUNT(*) FROM employees WHERE active")
echo "copied to $people active ASN in $(( $(date +%s) - start )) s"

CAKAP_LOG=warn ./target/release/cakap --database-url "$url" serve --keys-dir "$work/keys" --addr 127.0.0.1:$port >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf -c "$work/jar" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"Cakap-Demo-2026"}' "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
year=$(date +%Y)
timed() { curl -s -o "$work/out.json" -w '%{http_code} %{time_total}' -b "$work/jar" "http://127.0.0.1:$port$1"; }
echo "GET /api/v1/equity?year=$year (cold, all groupings computed): $(timed "/api/v1/equity?year=$year") s"
echo "  people counted: $(grep -o '"people":[0-9]*' "$work/out.json" | awk -F: '{s+=$2} END {print s}')"
echo "GET /api/v1/equity?year=$year (warm): $(timed "/api/v1/equity?year=$year") s"
for by in kecamatan gender golongan age_band status position_kind; do
  echo "  by=$by (warm): $(timed "/api/v1/equity?year=$year&by=$by") s"
done
echo "GET /api/v1/equity?year=$((year - 1)) (cold, a past year: JPM on its 31 December): $(timed "/api/v1/equity?year=$((year - 1))") s"
echo "server RSS: $(ps -o rss= -p "$server" | awk '{printf "%.0f MB", $1/1024}')"
