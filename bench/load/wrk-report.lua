-- One wrk script for every run of bench/load/run.sh.
--   TOKEN=<jwt>        every request carries this bearer token (token cache hit)
--   TOKENS_FILE=<path> every request carries the next token of the file (one per line), each thread
--                      taking every n-th line so that no token is sent twice unless the list runs out
--   neither            no Authorization header (plain nginx / plain YARP)
-- At the end it prints one machine-readable line:
--   RESULT requests=<n> rps=<x> p50_us=<x> p99_us=<x> non2xx=<n> socket_errors=<n> tokens_wrapped=<0|1>

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local token = os.getenv("TOKEN")
  local file = os.getenv("TOKENS_FILE")
  tokens = {}
  position = 1
  wrapped = 0
  if file and file ~= "" then
    local n = 0
    local line_no = 0
    for line in io.lines(file) do
      if line_no % counter_total() == id then
        n = n + 1
        tokens[n] = "Bearer " .. line
      end
      line_no = line_no + 1
    end
  elseif token and token ~= "" then
    fixed = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. token })
  end
end

function counter_total()
  return tonumber(os.getenv("WRK_THREADS") or "2")
end

function request()
  if #tokens > 0 then
    local t = tokens[position]
    position = position + 1
    if position > #tokens then
      position = 1
      wrapped = 1
    end
    return wrk.format(nil, nil, { ["Authorization"] = t })
  end
  if fixed then
    return fixed
  end
  return wrk.format(nil, nil)
end

function done(summary, latency, requests)
  local wrapped_any = 0
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") == 1 then wrapped_any = 1 end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d tokens_wrapped=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout, wrapped_any))
end
