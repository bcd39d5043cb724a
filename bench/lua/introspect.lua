-- POSTs RFC 7662 introspection requests (POST /oauth/introspect, a form with token=...) as one resource server
-- (Authorization: Bearer BENCH_TOKEN). Warm: always the token BENCH_INTROSPECT_TOKEN. Cold (BENCH_TOKENS_FILE set):
-- each thread takes its own slice of the file and stops once every token of its slice was answered, as
-- cold-tokens.lua does. An answer that is not {"active":true,...} counts as a failure (in graphql_errors).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local headers = { ["Content-Type"] = "application/x-www-form-urlencoded",
                  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
local warm_body = "token=" .. (os.getenv("BENCH_INTROSPECT_TOKEN") or "")
local tokens_file = os.getenv("BENCH_TOKENS_FILE")
local tokens = {}
local first, share, sent, answered

graphql_errors = 0

function init(args)
    sent, answered = 0, 0
    if tokens_file == nil or tokens_file == "" then
        return
    end
    for line in io.lines(tokens_file) do
        if line ~= "" then
            table.insert(tokens, line)
        end
    end
    local threads = tonumber(os.getenv("BENCH_THREADS"))
    share = math.floor(#tokens / threads)
    first = (thread_index - 1) * share
end

function request()
    if share == nil then
        return wrk.format("POST", "/oauth/introspect", headers, warm_body)
    end
    if answered == 0 then
        started_us = now_us()
    end
    local token = tokens[first + (sent % share) + 1]
    sent = sent + 1
    return wrk.format("POST", "/oauth/introspect", headers, "token=" .. token)
end

function response(status, headers, body)
    if status == 200 and (body == nil or string.find(body, '"active":true', 1, true) == nil) then
        graphql_errors = graphql_errors + 1
    end
    if share == nil then
        return
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
