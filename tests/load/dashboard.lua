-- wrk script for the dashboard load test (tests/integration/dashboard_load_test.cpp): every
-- connection rotates over the requests the dashboard's page makes, plus one path that does not
-- exist, whose 404 is expected and counted apart from the other statuses.
--
--   wrk -t2 -c200 -d30s --timeout 10s --latency -s tests/load/dashboard.lua \
--       http://127.0.0.1:PORT -- RUN_ID...
--
-- The arguments after "--" are ids of recorded runs, each asked as /api/runs/<id>. done() prints
-- one line "loadcast-load: {json}" with the totals, the errors, the statuses and the latency
-- percentiles, for the test to read.

-- The path whose 404 is expected; the body of the answer names it.
local missing = "/api/no-such-endpoint"

local paths = {
  "/",
  "/assets/app.js",
  "/api/overview",
  "/api/years/2020?horizon=year",
  "/api/years/2020?horizon=day",
  "/api/backtests",
  "/api/models",
  "/api/models?horizon=day",
  "/api/alerts",
  "/api/alerts?severity=critical&unacknowledged=1",
  "/api/runs",
  "/api/runs?limit=5",
  missing,
}

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- wrk passes the script's arguments from index 0 or 1 depending on how it was invoked: take
  -- every argument that is a run id.
  for i = 0, #args do
    local arg = args[i]
    if arg ~= nil and string.match(arg, "^%d+$") then
      table.insert(paths, "/api/runs/" .. arg)
    end
  end
  requests = {}
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path)
  end
  -- Threads start at different places in the rotation.
  next_request = (thread_number or 0) * 5
  statuses = {}
  expected_missing = 0
  empty_bodies = 0
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  if status == 404 and body ~= nil and string.find(body, missing, 1, true) then
    expected_missing = expected_missing + 1
    return
  end
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 200 and (body == nil or #body == 0) then
    empty_bodies = empty_bodies + 1
  end
end

function done(summary, latency, requests_per_thread)
  local counts = {}
  local missing_total = 0
  local empty_total = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + count
    end
    missing_total = missing_total + (thread:get("expected_missing") or 0)
    empty_total = empty_total + (thread:get("empty_bodies") or 0)
  end
  local status_fields = {}
  for status, count in pairs(counts) do
    table.insert(status_fields, string.format('"%s": %d', status, count))
  end
  table.sort(status_fields)
  local e = summary.errors
  io.write(string.format(
    'loadcast-load: {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, "expected_404": %d, "empty_bodies": %d, ' ..
    '"latency_us": {"mean": %.0f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(status_fields, ", "), missing_total, empty_total,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
