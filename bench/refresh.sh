#!/usr/bin/env bash
# The first visit to the leadership dashboard after a write, on SQLite with the demo
# (docs/architecture.md, "Refreshed after a change"): the admin reads /dashboard, records an
# assessment through the API, and opens /dashboard again 5 s later — refreshed in the
# background, a cache hit. Then the same when the dashboard was last read more than a minute
# before the write (not refreshed: that visit rebuilds it). About 90 s.
#
#   bench/refresh.sh
#   BENCH_NO_BUILD=1 BENCH_EMPLOYEES=5000 bench/refresh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-18093}
work=$(mktemp -d)
server=""
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for tool in curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install $tool" >&2; exit 1; }
done
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
url=sqlite://$work/r.db
./target/release/cakap --database-url "$url" --keys-dir "$work/keys" demo --employees "${BENCH_EMPLOYEES:-5000}" >/dev/null
CAKAP_LOG=warn ./target/release/cakap --database-url "$url" --keys-dir "$work/keys" serve --addr 127.0.0.1:$port >"$work/server.log" 2>&1 &
server=$!
up=""
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && { up=1; break; }; sleep 0.1; done
[ -n "$up" ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
curl -sf -c "$work/jar" -o /dev/null -H 'content-type: application/json' \
  -d '{"username":"admin","password":"Cakap-Demo-2026"}' "http://127.0.0.1:$port/api/v1/auth/login" \
  || { echo "the admin could not log in" >&2; exit 1; }
read -r nip code < <(sqlite3 "$work/r.db" "SELECT e.nip || ' ' || c.code FROM employees e JOIN position_requirements r ON r.tenant_id = e.tenant_id AND r.position_id = e.position_id JOIN competencies c ON c.tenant_id = r.tenant_id AND c.id = r.competency_id JOIN users u ON u.tenant_id = e.tenant_id AND u.username = 'admin' ORDER BY e.id, c.code LIMIT 1") \
  || { echo "the demo has no employee with a standard" >&2; exit 1; }
visit() { # fails unless the dashboard answers 200 (a lost session answers 303 in a millisecond)
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} in %{time_total} s' -b "$work/jar" "http://127.0.0.1:$port/dashboard")
  [ "${out%% *}" = 200 ] || { echo "/dashboard answered $out" >&2; exit 1; }
  echo "$out"
}
write() { # LEVEL: records an assessment; fails unless it is taken
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$work/jar" -H 'content-type: application/json' \
    -d "{\"nip\":\"$nip\",\"competency\":\"$code\",\"level\":$1,\"method\":\"uji_kompetensi\",\"assessed_on\":\"$(date -d yesterday +%F)\"}" \
    "http://127.0.0.1:$port/api/v1/assessments")
  [ "$status" = 201 ] || [ "$status" = 200 ] || { echo "the assessment was refused: $status" >&2; exit 1; }
  echo "$status"
}
echo "/dashboard cold: $(visit); warm: $(visit)"
echo "assessment recorded ($(write 2)); /dashboard 5 s later: $(sleep 5; visit)"
echo "assessment recorded ($(write 3)); /dashboard 5 s later: $(sleep 5; visit)"
sleep 62
echo "dashboard last read 62 s ago; assessment recorded ($(write 4)); /dashboard 5 s later (not refreshed): $(sleep 5; visit)"
