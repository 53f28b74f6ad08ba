#!/usr/bin/env bash
# The page matrix: every GET route of the pages router (listed in bench/pages.conf, which a test
# keeps complete) as the user who uses it, alone and under 64 sessions, with the lean reference
# page (../shared/lean-reference) measured in the same run before and after, on SQLite and
# PostgreSQL. Prints a Markdown table per database (req/s, p50, p99, bytes, % of the
# reference) and the server's peak RSS. Loopback only; about 8 s per page and database.
#
#   bench/pages.sh                                 # both databases, 5 s per page under load
#   BENCH_DB=sqlite BENCH_SECONDS=10 bench/pages.sh
#   BENCH_ONLY='^/learn' bench/pages.sh            # the routes matching a regex
#   BENCH_COLD=1 bench/pages.sh                    # also: each page right after a restart
#   BENCH_AFTER_WRITE=1 bench/pages.sh             # also: each page right after a write
#   LEAN_REFERENCE=/path/to/lean-reference bench/pages.sh
#   BENCH_NO_BUILD=1 bench/pages.sh                # measure target/release/cakap as it is
#   BENCH_DB=postgres BENCH_PG_DB=cakap_national BENCH_REUSE=1 bench/pages.sh
#                                                  # an existing database as it is (e.g. the
#                                                  # national data of bench/national.sh), kept
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-5}
conns=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18080}
ref_port=$((port + 1))
backends=${BENCH_DB:-sqlite postgres}
employees=${BENCH_EMPLOYEES:-5000}
only=${BENCH_ONLY:-.}
lean=${LEAN_REFERENCE:-../shared/lean-reference}
root=$PWD
work=$(mktemp -d)
server=""
ref=""
pg_db=${BENCH_PG_DB:-cakap_pages}
reuse=${BENCH_REUSE:-}
cleanup() {
  kill "$server" "$ref" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "$reuse" ] || psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  for db in lean_pages; do
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 1; }
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
[ -d "$lean" ] || { echo "the lean reference is not at $lean (set LEAN_REFERENCE)" >&2; exit 1; }
(cd "$lean" && CARGO_TARGET_DIR="$root/target/lean-reference" cargo build --release --quiet)
lean_bin=$root/target/lean-reference/release/webspike

# measure CONNECTIONS SECONDS COOKIE_FILE COOKIE_NAME URL → "rps p50_ms p99_ms errors"
measure() {
  CAKAP_COOKIES="$3" CAKAP_COOKIE_NAME="$4" wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2"s --latency -s bench/sessions.lua "$5" \
    | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                       printf "%s %s %s %s\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"] }'
}

wait_up() { # URL: any HTTP answer will do
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0
    sleep 0.1
  done
  echo "server did not start: $1" >&2; return 1
}

start_cakap() { # URL LOG
  CAKAP_LOG=warn ./target/release/cakap --database-url "$1" serve --addr 127.0.0.1:$port >>"$2" 2>&1 &
  server=$!
  wait_up "http://127.0.0.1:$port/healthz"
}

stop_cakap() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }

peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }

logins() { # USER FILE: $conns sessions of USER, one cookie value per line
  : >"$2"
  [ "$1" = "-" ] && return 0
  for _ in $(seq "$conns"); do
    curl -s -c - -o /dev/null -H 'content-type: application/json' \
      -d "{\"username\":\"$1\",\"password\":\"Cakap-Demo-2026\"}" "http://127.0.0.1:$port/api/v1/auth/login" \
      | awk '$6 == "cakap_session" {print $7}' >>"$2"
  done
  [ "$(wc -l <"$2")" -eq "$conns" ] || { echo "logins of $1 failed" >&2; exit 1; }
}

for backend in $backends; do
  if [ "$backend" = postgres ]; then
    for db in $([ -n "$reuse" ] || echo "$pg_db") lean_pages; do
      psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    done
    url=postgres://postgres@127.0.0.1:5432/$pg_db
    lean_url=postgres://postgres@127.0.0.1:5432/lean_pages
    sql() { psql -h 127.0.0.1 -U postgres -d "$pg_db" -tAq -c "$1"; }
  else
    url=sqlite://$work/pages.db
    lean_url=sqlite://$work/lean.db
    sql() { sqlite3 "$work/pages.db" "$1"; }
  fi
  started=$(date +%s.%N)
  if [ -n "$reuse" ] && [ "$backend" = postgres ]; then
    employees="$(sql "SELECT COUNT(*) FROM employees") (the whole database)"
  else
    ./target/release/cakap --database-url "$url" demo --employees "$employees" >/dev/null
  fi
  loaded=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  start_cakap "$url" "$work/server.log"

  # The lean reference beside it, on the same kind of database.
  (cd "$lean" && DATABASE_URL="$lean_url" ADDR=127.0.0.1:$ref_port exec "$lean_bin" >"$work/lean.log" 2>&1) &
  ref=$!
  wait_up "http://127.0.0.1:$ref_port/login"
  : >"$work/ref.cookies"
  for _ in $(seq "$conns"); do
    curl -s -c - -o /dev/null -H 'content-type: application/json' -d '{"username":"admin","password":"rahasia"}' \
      "http://127.0.0.1:$ref_port/login" | awk '$6 == "sid" {print $7}' >>"$work/ref.cookies"
  done
  ref_url="http://127.0.0.1:$ref_port/employees?page=37"
  measure "$conns" 3 "$work/ref.cookies" sid "$ref_url" >/dev/null # warm-up
  read -r ref1 _ ref1_p99 _ < <(measure "$conns" "$seconds" "$work/ref.cookies" sid "$ref_url")

  # Resolve every route to a URL of the demo, and check it answers 200 before measuring it.
  : >"$work/plan"
  trim() { sed 's/^ *//; s/ *$//' <<<"$1"; }
  grep -v '^#' bench/pages.conf | grep -v '^ *$' | while IFS='|' read -r route user kind query; do
    route=$(trim "$route"); user=$(trim "$user"); kind=$(trim "$kind"); query=$(trim "$query")
    [[ "$route" =~ $only ]] || continue
    path=$route
    if [ "$query" != "-" ] && [[ "$kind" != skip:* ]]; then
      value=$(sql "$query" 2>&1 | head -1 || true)
      if [ -z "$value" ] || [[ "$value" == *rror* ]]; then
        kind="skip:no demo value (${value:-nothing found}) for: $query"
      fi
      path=$(echo "$route" | sed "s|{[a-z]*}|$value|")
    fi
    echo "$route|$user|$kind|$path" >>"$work/plan"
  done
  # Sessions of this database only: the previous one's cookies mean nothing here.
  rm -f "$work"/cookies.*
  for user in $(cut -d'|' -f2 "$work/plan" | sort -u); do
    logins "$user" "$work/cookies.$user"
  done

  echo
  echo "### $backend — $(date -u +%Y-%m-%d) $(git rev-parse --short HEAD), $employees ASN (demo loaded in ${loaded} s), $conns sessions, ${seconds} s per page, $(nproc) cores"
  echo
  echo "Lean reference \`/employees?page=37\`: $ref1 req/s, p99 $ref1_p99 ms (before the pages)."
  echo
  echo "| route | user | bytes | alone p50 ms | req/s | p50 ms | p99 ms | errors | % of reference | RSS after, MB |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  while IFS='|' read -r route user kind path; do
    if [[ "$kind" == skip:* ]]; then
      echo "| \`$route\` | $user | — | — | — | — | — | — | not measured: ${kind#skip:} | |"
      continue
    fi
    cookies=$work/cookies.$user
    first=$(head -1 "$cookies" || true)
    target="http://127.0.0.1:$port$path"
    read -r status bytes < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
      ${first:+-b "cakap_session=$first"} "$target")
    # A redirect is the page's answer too (/idp sends the ASN to their own plan).
    if [ "$status" != 200 ] && [ "$status" != 303 ]; then
      echo "| \`$route\` | $user | — | — | — | — | — | — | **answered $status at $path** | |"
      continue
    fi
    read -r _ alone_p50 _ _ < <(measure 1 2 "$cookies" cakap_session "$target")
    if [ "$kind" = file ]; then
      echo "| \`$route\` | $user | $bytes | $alone_p50 | — | — | — | — | a download: measured alone | $(rss_mb) |"
      continue
    fi
    read -r rps p50 p99 errors < <(measure "$conns" "$seconds" "$cookies" cakap_session "$target")
    pct=$(awk -v a="$rps" -v b="$ref1" 'BEGIN { printf "%.0f %%", 100 * a / b }')
    echo "| \`$route\` | $user | $bytes | $alone_p50 | $rps | $p50 | $p99 | $errors | $pct | $(rss_mb) |"
  done <"$work/plan"
  read -r ref2 _ ref2_p99 _ < <(measure "$conns" "$seconds" "$work/ref.cookies" sid "$ref_url")
  echo
  echo "Lean reference after the pages: $ref2 req/s, p99 $ref2_p99 ms. Cakap's peak RSS: $(peak_rss_mb) MB."

  if [ -n "${BENCH_COLD:-}" ]; then
    echo
    echo "Cold: each page under $conns sessions for 3 s right after a restart (empty caches)."
    echo
    echo "| route | user | req/s | p99 ms | errors |"
    echo "|---|---|---|---|---|"
    while IFS='|' read -r route user kind path; do
      [ "$kind" = page ] || continue
      stop_cakap
      start_cakap "$url" "$work/server.log"
      read -r rps _ p99 errors < <(measure "$conns" 3 "$work/cookies.$user" cakap_session "http://127.0.0.1:$port$path")
      echo "| \`$route\` | $user | $rps | $p99 | $errors |"
    done <"$work/plan"
  fi
  if [ -n "${BENCH_AFTER_WRITE:-}" ]; then
    # Two writes through the JSON API before each page, as BKPSDM makes them all day: an
    # employee's phone (People, which most caches hang on) and an assessment (Assessments:
    # the gap engine, the stored JPM). The page is viewed once first, then the writes, then it
    # answers 64 sessions for 3 s.
    # (The JSON API takes a session cookie without a CSRF token: JSON cannot come from a form.)
    [ -z "$reuse" ] || { echo "BENCH_AFTER_WRITE writes: not on a reused database" >&2; exit 1; }
    curl -s -o /dev/null -c "$work/writer.jar" -H 'content-type: application/json' \
      -d '{"username":"admin","password":"Cakap-Demo-2026"}' "http://127.0.0.1:$port/api/v1/auth/login"
    # The admin's tenant is the demo's first; one of its people with a standard, and one of
    # the competencies it asks for.
    read -r nip code < <(sql "SELECT e.nip || ' ' || c.code FROM employees e JOIN position_requirements r ON r.tenant_id = e.tenant_id AND r.position_id = e.position_id JOIN competencies c ON c.tenant_id = r.tenant_id AND c.id = r.competency_id JOIN users u ON u.tenant_id = e.tenant_id AND u.username = 'admin' ORDER BY e.id, c.code LIMIT 1")
    write() { # METHOD PATH BODY: fails unless the write is taken
      local status
      status=$(curl -s -o /dev/null -w '%{http_code}' -X "$1" -b "$work/writer.jar" \
        -H 'content-type: application/json' -d "$3" "http://127.0.0.1:$port$2")
      [ "$status" = 200 ] || [ "$status" = 201 ] || { echo "$1 $2 answered $status" >&2; exit 1; }
      echo "$status"
    }
    echo
    echo "After a write: each page is viewed once, then the admin changes an employee's phone and records an assessment (both through the API); then the page under $conns sessions for 3 s."
    echo
    echo "| route | user | writes | req/s | p99 ms | errors |"
    echo "|---|---|---|---|---|---|"
    n=0
    while IFS='|' read -r route user kind path; do
      [ "$kind" = page ] || continue
      n=$((n + 1))
      # The page as someone has it open (one view, so what it caches is there and fresh),
      # then the writes, then the load.
      cookie=$([ "$user" = - ] || echo "cakap_session=$(head -1 "$work/cookies.$user")")
      curl -s -o /dev/null -b "$cookie" "http://127.0.0.1:$port$path"
      w1=$(write PATCH "/api/v1/employees/$nip" "{\"phone\":\"0812$(printf %08d "$n")\"}")
      w2=$(write POST /api/v1/assessments "{\"nip\":\"$nip\",\"competency\":\"$code\",\"level\":$((n % 5 + 1)),\"method\":\"uji_kompetensi\",\"assessed_on\":\"$(date -d yesterday +%F)\"}")
      read -r rps _ p99 errors < <(measure "$conns" 3 "$work/cookies.$user" cakap_session "http://127.0.0.1:$port$path")
      echo "| \`$route\` | $user | $w1 $w2 | $rps | $p99 | $errors |"
    done <"$work/plan"
  fi
  stop_cakap
  kill "$ref" 2>/dev/null || true
  wait "$ref" 2>/dev/null || true
  ref=""
done
