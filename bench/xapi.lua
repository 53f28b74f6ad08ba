-- wrk script for the xAPI LRS: Basic credentials and the version header on every request;
-- XAPI_POST=1 posts a completion of a fresh (random) learner each time. One
-- machine-readable line at the end, as bench/sessions.lua.
local auth = os.getenv("XAPI_AUTH")
local post = os.getenv("XAPI_POST") == "1"
local n = 0
math.randomseed(os.time())

request = function()
  n = n + 1
  local headers = {
    ["Authorization"] = "Basic " .. auth,
    ["X-Experience-API-Version"] = "2.0.0",
  }
  if not post then
    return wrk.format("GET", nil, headers)
  end
  headers["Content-Type"] = "application/json"
  local body = string.format(
    '{"actor":{"mbox":"mailto:learner%d.%d@example.org","name":"Peserta %d"},' ..
    '"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced","display":{"en-US":"experienced"}},' ..
    '"object":{"id":"https://lms.example.org/course/%d","definition":{"name":{"id-ID":"Modul %d"}}},' ..
    '"result":{"completion":true,"duration":"PT12M"}}',
    math.random(1, 1000000), n, n, n % 50, n % 50)
  return wrk.format("POST", nil, headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout))
end
