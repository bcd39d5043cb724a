-- Each connection rotates its own token chain: thread i starts from the i-th id in BENCH_ROTATE_IDS
-- (comma-separated global IDs) and continues with the successor each rotation returns.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local headers = { ["Content-Type"] = "application/json", ["PRIVATE-TOKEN"] = os.getenv("BENCH_TOKEN") }
local expires = os.getenv("BENCH_EXPIRES")
local current

graphql_errors = 0

function init(args)
    local ids = {}
    for id in string.gmatch(os.getenv("BENCH_ROTATE_IDS"), "[^,]+") do
        table.insert(ids, id)
    end
    current = ids[thread_index]
end

function request()
    return wrk.format("POST", "/graphql", headers,
        '{"query":"mutation { accessTokenRotate(input: {id: \\"' .. current .. '\\", expiresAt: \\"' .. expires
        .. '\\"}) { token accessToken { id } errors } }"}')
end

function response(status, headers, body)
    local successor = string.match(body or "", '"accessToken":{"id":"(gid://[^"]+)"')
    if status ~= 200 or graphql_failed(body) or successor == nil then
        graphql_errors = graphql_errors + 1
        return
    end
    current = successor
end

function done(summary, latency, requests)
    summary_line(summary, latency)
end
