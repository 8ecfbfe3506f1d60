-- wrk script for bench/load/run: GET each path of a list in turn (one path, or a child's page
-- over many ids), with a signed-in role's session cookie or, for the API's reads (/api/v1/…), a read
-- token instead; or POST a file to the feed API with a push token. Counts every response that is not
-- 200 (a 303 to the sign-in page, a 401 or a 404 is not an error to wrk itself) and prints wrk's
-- figures exactly, latencies in microseconds.
--
--   wrk -t2 -c32 -d20s --latency -s load.lua http://127.0.0.1:PORT -- PATHS_FILE COOKIE_FILE [BODY_FILE TOKEN_FILE]
--
-- COOKIE_FILE, BODY_FILE and TOKEN_FILE may be "-" (none). A COOKIE_FILE's first line is sent as
-- the Cookie header; a TOKEN_FILE's first line as `Authorization: Bearer TOKEN` (an API read:
-- `PATHS_FILE - - TOKEN_FILE`, no cookie). With a BODY_FILE every request is a POST of that file
-- (Content-Type: text/csv).
local threads = {}
local count = 0

function setup(thread)
  thread:set("offset", count)
  count = count + 1
  table.insert(threads, thread)
end

local function first_line(path)
  local f = assert(io.open(path))
  local line = f:read("*l")
  f:close()
  return line
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  if args[2] and args[2] ~= "-" then wrk.headers["Cookie"] = first_line(args[2]) end
  method, body = "GET", nil
  if args[3] and args[3] ~= "-" then
    local f = assert(io.open(args[3], "rb"))
    body = f:read("*a")
    f:close()
    method = "POST"
    wrk.headers["Content-Type"] = "text/csv"
  end
  if args[4] and args[4] ~= "-" then wrk.headers["Authorization"] = "Bearer " .. first_line(args[4]) end
  -- The threads start at different places in the list and walk it round.
  at = (offset * 97) % #paths
  non200 = 0
  first = ""
end

function request()
  at = at % #paths + 1
  return wrk.format(method, paths[at], nil, body)
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
    'LOAD-WRK {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "non200": %d, "first_non200": "%s", "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "status_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, bad, example, e.connect, e.read, e.write, e.timeout, e.status))
end
