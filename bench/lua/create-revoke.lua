-- Each connection creates a personal access token, then revokes it, then creates the next (one connection per
-- thread, so a thread's requests alternate). BENCH_EXPIRES: the new tokens' expiry date.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

local headers = { ["Content-Type"] = "application/json", ["PRIVATE-TOKEN"] = os.getenv("BENCH_TOKEN") }
local create = '{"query":"mutation { personalAccessTokenCreate(input: {name: \\"bench\\", scopes: [\\"read_api\\"], expiresAt: \\"'
    .. os.getenv("BENCH_EXPIRES") .. '\\"}) { token accessToken { id } errors } }"}'
local pending = nil

graphql_errors = 0

function request()
    if pending then
        return wrk.format("POST", "/graphql", headers,
            '{"query":"mutation { accessTokenRevoke(input: {id: \\"' .. pending .. '\\"}) { accessToken { id revoked } errors } }"}')
    end
    return wrk.format("POST", "/graphql", headers, create)
end

function response(status, headers, body)
    if status ~= 200 or graphql_failed(body) then
        graphql_errors = graphql_errors + 1
        pending = nil
        return
    end
    if pending then
        pending = nil
    else
        pending = string.match(body, '"id":"(gid://[^"]+)"')
    end
end

function done(summary, latency, requests)
    summary_line(summary, latency)
end
