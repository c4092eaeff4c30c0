-- wrk script for bench/load/decision-apis.sh: every request is a POST of the file BODY_FILE (application/json)
-- with `Authorization: Bearer $AUTH`; without BODY_FILE a GET with that header. Ends with the same RESULT line as
-- wrk-report.lua: RESULT requests=<n> rps=<x> p50_us=<x> p99_us=<x> non2xx=<n> socket_errors=<n> tokens_wrapped=0

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. (os.getenv("AUTH") or "") }
  local file = os.getenv("BODY_FILE")
  if file and file ~= "" then
    local f = assert(io.open(file, "rb"))
    local body = f:read("*a")
    f:close()
    headers["Content-Type"] = "application/json"
    fixed = wrk.format("POST", nil, headers, body)
  else
    fixed = wrk.format("GET", nil, headers)
  end
end

function request()
  return fixed
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d tokens_wrapped=0\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
