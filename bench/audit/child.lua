-- wrk script for bench/audit/run: GET /children/<id> over a rotating list of children, with the
-- signed-in session's cookie. Counts every response that is not 200 (a 303 to the sign-in page
-- is not an error to wrk itself) and prints wrk's figures exactly, latencies in microseconds.
--
--   wrk -t2 -c8 -d15s --latency -s child.lua http://127.0.0.1:PORT -- IDS_FILE COOKIE_FILE
local threads = {}
local count = 0

function setup(thread)
  thread:set("offset", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = "/children/" .. line end
  end
  local f = assert(io.open(args[2]))
  wrk.headers["Cookie"] = f:read("*l")
  f:close()
  -- The threads start at different places in the list and walk it round.
  at = (offset * 97) % #paths
  non200 = 0
  first = ""
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first == "" then first = tostring(status) .. " " .. (headers["Location"] or "") end
  end
end

function done(summary, latency, requests)
  local bad, example = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
    if example == "" then example = t:get("first") end
  end
  local e = summary.errors
  io.write(string.format(
    'AUDIT-WRK {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "non200": %d, "first_non200": "%s", "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, bad, example, e.connect, e.read, e.write, e.timeout, e.status))
end
