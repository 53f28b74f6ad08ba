#!/usr/bin/env bash
# Equity at 100,000 ASN on PostgreSQL (issue 17: "equity for 100,000 ASN in under 1 s"): the
# demo regency (5,000 ASN) loaded, then every employee copied 19 more times with their JP
# (enrolments, activities) and competence (assessment results) — 100,000 ASN in the same
# units and positions — and `GET /api/v1/equity` timed: the first time ever (every JPM computed
# by the gap engine and stored, docs/architecture.md#standings), right after a restart (the
# goal: stored JPM, every grouping computed, nothing cached), warm, per grouping, and around a
# change (an assessment through the API: the answer at once from stored JPM, then how long
# until the refreshed JPM shows). Loopback only; the database is dropped afterwards
# (BENCH_KEEP=1 keeps it).
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

# The copy stands for a bulk import: it moves the counter that marks stored JPM stale.
psql -q -h 127.0.0.1 -U postgres -d "$db" -c "INSERT INTO jpm_changes (tenant_id, generation) SELECT id, 1 FROM tenants ON CONFLICT (tenant_id) DO UPDATE SET generation = jpm_changes.generation + 1" >/dev/null

start_server() {
  CAKAP_LOG=warn ./target/release/cakap --database-url "$url" serve --keys-dir "$work/keys" --addr 127.0.0.1:$port >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf -c "$work/jar" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Cakap-Demo-2026"}' "http://127.0.0.1:$port/api/v1/auth/login" >"$work/login.json"
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; }
year=$(date +%Y)
timed() { curl -s -o "$work/out.json" -w '%{http_code} %{time_total}' -b "$work/jar" "http://127.0.0.1:$port$1"; }
computed_at() { grep -o '"jpm_computed_at":[0-9]*' "$work/out.json" | cut -d: -f2; }

start_server
for y in "$year" "$((year - 1))"; do
  echo "GET /api/v1/equity?year=$y (first ever: every JPM computed by the gap engine and stored): $(timed "/api/v1/equity?year=$y") s"
done
echo "  people counted: $(grep -o '"people":[0-9]*' "$work/out.json" | awk -F: '{s+=$2} END {print s}')"
stop_server

start_server
echo "GET /api/v1/equity?year=$year (cold after a restart: stored JPM, every grouping computed): $(timed "/api/v1/equity?year=$year") s"
echo "GET /api/v1/equity?year=$year (warm): $(timed "/api/v1/equity?year=$year") s"
for by in kecamatan gender golongan age_band status position_kind; do
  echo "  by=$by (warm): $(timed "/api/v1/equity?year=$year&by=$by") s"
done
echo "GET /api/v1/equity?year=$((year - 1)) (cold after a restart, a past year: JPM on its 31 December): $(timed "/api/v1/equity?year=$((year - 1))") s"

# A change: one assessment through the API. Equity answers from the stored JPM while the
# refresh runs in the background; then the refreshed figures.
timed "/api/v1/equity?year=$year" >/dev/null
before=$(computed_at)
nip=$(psql -tA -h 127.0.0.1 -U postgres -d "$db" -c "SELECT e.nip FROM employees e JOIN position_requirements r ON r.tenant_id = e.tenant_id AND r.position_id = e.position_id ORDER BY e.id LIMIT 1")
code=$(psql -tA -h 127.0.0.1 -U postgres -d "$db" -c "SELECT c.code FROM employees e JOIN position_requirements r ON r.tenant_id = e.tenant_id AND r.position_id = e.position_id JOIN competencies c ON c.tenant_id = r.tenant_id AND c.id = r.competency_id WHERE e.nip = '$nip' LIMIT 1")
csrf=$(grep -o '"csrf_token":"[^"]*"' "$work/login.json" | cut -d'"' -f4)
curl -s -o /dev/null -w "POST /api/v1/assessments: %{http_code}\n" -b "$work/jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
  -d "{\"nip\":\"$nip\",\"competency\":\"$code\",\"level\":5,\"method\":\"assessment_center\",\"assessed_on\":\"$(date -d yesterday +%F)\"}" \
  "http://127.0.0.1:$port/api/v1/assessments"
t0=$(date +%s.%N)
echo "GET /api/v1/equity?year=$year (right after the change: stored JPM, refresh started): $(timed "/api/v1/equity?year=$year") s"
for _ in $(seq 200); do
  timed "/api/v1/equity?year=$year" >/dev/null
  [ "$(computed_at)" != "$before" ] && break
  sleep 0.1
done
echo "  refreshed JPM in equity after $(echo "$(date +%s.%N) - $t0" | bc) s (computed_at $before → $(computed_at))"
echo "server RSS: $(ps -o rss= -p "$server" | awk '{printf "%.0f MB", $1/1024}')"
