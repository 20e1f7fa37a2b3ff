-- The endorsement spike: every request POSTs the endorse form as a
-- different member (BENCH_SESSIONS: a file of session keys, one a line;
-- thread i of n takes lines i, i+n, ...). CSRF: the cookie and the form
-- carry the same 32-character secret (BENCH_CSRF), which Django accepts.
-- A member is used once; when a thread runs out it asks /healthz instead,
-- counted apart. Success is the redirect back to the proposal's page
-- (BENCH_PROPOSAL_PATH); a redirect anywhere else (the login page) is not.
-- POSTs stop BENCH_POST_SECONDS after the start, a few seconds before wrk
-- does (it asks /healthz meanwhile), so that every endorsement sent is
-- answered and counted: wrk drops what is in flight when it stops, and
-- "stored = told" needs none dropped.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  told = 0
  sent = 0
  late = 0
  stop_at = os.time() + tonumber(os.getenv("BENCH_POST_SECONDS") or "1e9")
  other_redirects = 0
  bad = 0
  exhausted = 0
  keys = {}
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  local i = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    if i % n == id and line ~= "" then
      table.insert(keys, line)
    end
    i = i + 1
  end
  next_key = 1
  csrf = os.getenv("BENCH_CSRF")
  path = os.getenv("BENCH_PATH")
  proposal_path = os.getenv("BENCH_PROPOSAL_PATH")
  body = "csrfmiddlewaretoken=" .. csrf
end

function request()
  if os.time() >= stop_at then
    late = late + 1
    return wrk.format("GET", "/healthz")
  end
  local key = keys[next_key]
  if key == nil then
    exhausted = exhausted + 1
    return wrk.format("GET", "/healthz")
  end
  next_key = next_key + 1
  sent = sent + 1
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. key .. "; csrftoken=" .. csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
  elseif status >= 300 then
    local location = headers["Location"] or headers["location"] or ""
    if string.find(location, proposal_path, 1, true) then
      told = told + 1
    else
      other_redirects = other_redirects + 1
    end
  end
end

function done(summary, latency, requests)
  local t_, o, b, x, s, l = 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("sent")
    l = l + t:get("late")
    t_ = t_ + t:get("told")
    o = o + t:get("other_redirects")
    b = b + t:get("bad")
    x = x + t:get("exhausted")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "sent": %d, "after_stop": %d, "told": %d, "other_redirects": %d, "http_errors": %d, ' ..
    '"exhausted": %d, "socket_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, s, l, t_, o, b, x,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
