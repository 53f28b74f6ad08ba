-- wrk script: every request carries one of the logged-in sessions, in turn, and the run
-- ends with one machine-readable line.
local cookies = {}
for line in io.lines(os.getenv("CAKAP_COOKIES")) do
  cookies[#cookies + 1] = line
end
local n = 0
local name = os.getenv("CAKAP_COOKIE_NAME") or "cakap_session"

request = function()
  n = n + 1
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = name .. "=" .. cookies[(n % #cookies) + 1]
  end
  return wrk.format("GET", nil, headers)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout))
end
