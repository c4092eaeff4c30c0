-- wrk script for bench/load/tokens.sh: every request is an RFC 8693 token exchange (POST /oauth2/token,
-- form-urlencoded) with ACTOR_TOKEN as the actor and, when SCOPE is set, that scope. Prints the same
-- RESULT line as wrk-report.lua.
function init(args)
  local actor = os.getenv("ACTOR_TOKEN") or ""
  local scope = os.getenv("SCOPE") or "bench:read"
  local body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
    .. "&actor_token=" .. actor
    .. "&actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
    .. "&scope=" .. scope
  exchange = wrk.format("POST", "/oauth2/token", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function request()
  return exchange
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d tokens_wrapped=0\n",
    summary.requests, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
