-- POSTs one GraphQL body (BENCH_BODY) with one token (BENCH_TOKEN) over and over.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["PRIVATE-TOKEN"] = os.getenv("BENCH_TOKEN")

graphql_errors = 0

function response(status, headers, body)
    if graphql_failed(body) then
        graphql_errors = graphql_errors + 1
    end
end

function done(summary, latency, requests)
    summary_line(summary, latency)
end
