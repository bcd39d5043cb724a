-- Shared by the scenario scripts: counts GraphQL errors (HTTP 200 with a non-empty "errors") per thread and
-- prints one machine-readable summary line from done().
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_index", #threads)
end

function graphql_failed(body)
    return body ~= nil and string.find(body, '"errors":%[[^%]]') ~= nil
end

-- A monotonic clock in microseconds (wrk runs LuaJIT, whose ffi reaches clock_gettime).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
function now_us()
    ffi.C.clock_gettime(1, timespec)
    return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

-- Scripts whose threads stop early set started_us/finished_us: wrk itself always runs for the full -d.
function summary_line(summary, latency)
    local graphql_errors, first, last = 0, nil, nil
    for _, t in ipairs(threads) do
        graphql_errors = graphql_errors + (t:get("graphql_errors") or 0)
        local started, finished = t:get("started_us"), t:get("finished_us")
        if started and finished then
            first = (first == nil or started < first) and started or first
            last = (last == nil or finished > last) and finished or last
        end
    end
    local seconds = summary.duration / 1e6
    if first and last then
        seconds = (last - first) / 1e6
    end
    local e = summary.errors
    io.write(string.format("RESULT requests=%d rps=%.1f p50=%.2f p99=%.2f non2xx=%d socket_errors=%d graphql_errors=%d\n",
        summary.requests, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.status, e.connect + e.read + e.write + e.timeout, graphql_errors))
end
