-- Walks a list page by page on one connection, each request asking for the page after the previous answer's
-- endCursor, as a client paging through would; after BENCH_PAGES answers it writes the last endCursor to
-- BENCH_CURSOR_FILE (empty when the list ended first) and adds a line to BENCH_DONE_FILE so that run.sh ends wrk.
-- BENCH_BODY_FIRST is the first page's body; BENCH_BODY_AFTER has @CURSOR@ where the cursor goes.
local first_body = os.getenv("BENCH_BODY_FIRST")
local after_body = os.getenv("BENCH_BODY_AFTER")
local pages = tonumber(os.getenv("BENCH_PAGES"))
local answered, cursor, finished = 0, nil, false

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["PRIVATE-TOKEN"] = os.getenv("BENCH_TOKEN")

local function finish(value)
    finished = true
    local file = io.open(os.getenv("BENCH_CURSOR_FILE"), "w")
    file:write(value or "")
    file:close()
    local done_file = io.open(os.getenv("BENCH_DONE_FILE"), "a")
    done_file:write("thread done\n")
    done_file:close()
    wrk.thread:stop()
end

function request()
    if cursor == nil then
        return wrk.format(nil, nil, nil, first_body)
    end
    return wrk.format(nil, nil, nil, (after_body:gsub("@CURSOR@", cursor)))
end

function response(status, headers, body)
    if finished then
        return
    end
    answered = answered + 1
    cursor = body:match('"endCursor":"([^"]+)"')
    if cursor == nil then
        finish(nil)
    elseif answered == pages then
        finish(cursor)
    end
end
