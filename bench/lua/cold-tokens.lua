-- Authenticates each request with a different token from BENCH_TOKENS_FILE (one value a line): thread i of
-- BENCH_THREADS takes its own slice and stops when it has been answered for every token of its slice, so no
-- token is seen twice and an authentication cache cannot help (at most connections-per-thread requests beyond
-- the slice reuse its first tokens while the thread stops). Throughput is timed from the first request to the
-- last answer; each thread that is done adds a line to BENCH_DONE_FILE so that run.sh can end wrk, which would
-- otherwise wait for the whole -d even when every thread has stopped.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local body = os.getenv("BENCH_BODY")
local headers = { ["Content-Type"] = "application/json" }
local tokens = {}
local first, share, sent, answered

graphql_errors = 0

function init(args)
    for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
        if line ~= "" then
            table.insert(tokens, line)
        end
    end
    local threads = tonumber(os.getenv("BENCH_THREADS"))
    share = math.floor(#tokens / threads)
    first = (thread_index - 1) * share
    sent, answered = 0, 0
end

function request()
    if answered == 0 then
        -- the last request sent before the first answer: wrk also calls request() once while setting up
        started_us = now_us()
    end
    headers["PRIVATE-TOKEN"] = tokens[first + (sent % share) + 1]
    sent = sent + 1
    return wrk.format("POST", "/graphql", headers, body)
end

function response(status, headers, body)
    if graphql_failed(body) then
        graphql_errors = graphql_errors + 1
    end
    answered = answered + 1
    if answered == share then
        finished_us = now_us()
        local done_file = io.open(os.getenv("BENCH_DONE_FILE"), "a")
        done_file:write("thread done\n")
        done_file:close()
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    summary_line(summary, latency)
end
