#!/usr/bin/env bash
# Patrol's benchmark: one command, a fresh MariaDB database, every scenario against its reference.
# Usage: bench/run.sh [--quick] [--users N] [--tokens M] [--duration SECONDS] [--profile]   (see bench/README.md)
set -euo pipefail

MODE=full USERS=50000 TOKENS=1000000 DURATION=30 WARMUP=20 PROFILE=no
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE=quick USERS=2000 TOKENS=50000 DURATION=10 WARMUP=10 ;;
        --users) USERS="$2"; shift ;;
        --tokens) TOKENS="$2"; shift ;;
        --duration) DURATION="$2"; shift ;;
        --profile) PROFILE=yes ;;
        -h|--help) sed -n 2,3p "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
DB_URL="${PATROL_BENCH_DB_URL:-jdbc:mysql://127.0.0.1:3306/}"
DB_USER="${PATROL_BENCH_DB_USER:-root}"
DB_PASSWORD="${PATROL_BENCH_DB_PASSWORD:-}"
PORT=18080 REF_PORT=18081
AUTH_CONNECTIONS=16 READ_CONNECTIONS=8 AGGREGATE_CONNECTIONS=2 WRITE_CONNECTIONS=4 COLD_TOKENS=10000
WORK=$(mktemp -d /tmp/patrol-bench.XXXXXX)
DB="patrol_bench_$(date +%s)_$$"
SQL_USER="patrol_bench_$$"
SERVER_PID="" REF_PID="" USERSTAT_BEFORE="" POOL_BEFORE=""
BUFFER_POOL_MB="${BENCH_BUFFER_POOL_MB:-2048}"
ROWS=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools -------------------------------------------------------------------------------------------------

find_java() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [ -x "$candidate/bin/java" ] || continue
        if "$candidate/bin/java" -version 2>&1 | head -1 | grep -Eq '"(2[1-9]|[3-9][0-9])'; then
            echo "$candidate"; return
        fi
    done
    die "a JDK 21 or newer is needed (set JAVA_HOME)"
}
export JAVA_HOME; JAVA_HOME=$(find_java)
# Patrol refuses to start on MariaDB without a key for secrets at rest (README, Secrets at rest): one per run
export PATROL_SECRETS_KEYS_BENCH; PATROL_SECRETS_KEYS_BENCH=$(head -c 32 /dev/urandom | base64)
JAVA="$JAVA_HOME/bin/java"
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y wrk >/dev/null 2>&1 || die "wrk is missing and 'apt-get install -y wrk' failed"
fi
for tool in curl jq mariadb /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool is needed"; done

HOSTPORT=${DB_URL#jdbc:*://}; HOSTPORT=${HOSTPORT%%/*}
DB_HOST=${HOSTPORT%%:*}; DB_PORT=${HOSTPORT##*:}; [ "$DB_PORT" = "$HOSTPORT" ] && DB_PORT=3306
sql() { mariadb --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" ${DB_PASSWORD:+-p"$DB_PASSWORD"} -N -B "$@"; }
sqldb() { sql -D "$DB" "$@"; }

# --- clean-up: everything this run started or created, whatever happens --------------------------------------

stop_pid() {
    local pid="$1"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$SERVER_PID"; stop_pid "$REF_PID"
    sql -e "DROP DATABASE IF EXISTS $DB; DROP USER IF EXISTS '$SQL_USER'@'%'" 2>/dev/null || true
    [ -n "$USERSTAT_BEFORE" ] && sql -e "SET GLOBAL userstat = $USERSTAT_BEFORE" 2>/dev/null || true
    [ -n "$POOL_BEFORE" ] && sql -e "SET GLOBAL innodb_buffer_pool_size = $POOL_BEFORE" 2>/dev/null || true
    [ -n "${BENCH_KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$PORT" || die "port $PORT is in use"
port_free "$REF_PORT" || die "port $REF_PORT is in use"

# --- build ----------------------------------------------------------------------------------------------------

log "building Patrol and the reference app"
(cd "$ROOT" && mvn -B -q -DskipTests package) >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; die "build failed"; }
(cd "$BENCH/reference" && mvn -B -q -DskipTests package) >"$WORK/build-ref.log" 2>&1 || { cat "$WORK/build-ref.log"; die "reference build failed"; }
JAR=$(ls "$ROOT"/target/patrol-*.jar | grep -v original | head -1)
REF_JAR=$(ls "$BENCH"/reference/target/patrol-bench-reference-*.jar | grep -v original | head -1)
mkdir -p "$WORK/lib" "$WORK/classes" "$WORK/data"
unzip -q -j -o "$JAR" 'BOOT-INF/lib/mysql-connector-j-*.jar' -d "$WORK/lib"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/classes" -cp "$ROOT/target/classes:$WORK/lib/*" \
    "$BENCH/SqlBench.java" "$BENCH/SeedTokens.java" "$BENCH/JfrSummary.java"
TOOLS_CP="$WORK/classes:$ROOT/target/classes:$WORK/lib/*"

# --- database ---------------------------------------------------------------------------------------------------

DB_VERSION=$(sql -e "SELECT VERSION()") || die "cannot reach the database at $DB_HOST:$DB_PORT"
sql -e "CREATE DATABASE $DB"
# Statements per request come from MariaDB's user statistics for a user only Patrol uses (a global counter
# would count every other client of the server too).
STATS=yes
USERSTAT_BEFORE=$(sql -e "SELECT @@userstat" 2>/dev/null) || { STATS=no; USERSTAT_BEFORE=""; }
if [ "$STATS" = yes ] && sql -e "SET GLOBAL userstat = 1; CREATE USER '$SQL_USER'@'%' IDENTIFIED BY 'bench';
        GRANT ALL ON $DB.* TO '$SQL_USER'@'%'" 2>/dev/null; then
    APP_DB_USER="$SQL_USER" APP_DB_PASSWORD=bench
else
    STATS=no APP_DB_USER="$DB_USER" APP_DB_PASSWORD="$DB_PASSWORD"
    log "no user statistics on this server: SQL statements per request will be n/a"
fi
# A million tokens and their indexes do not fit MariaDB's default 128 MB buffer pool: without this every
# reference and every Patrol query would measure the disk, not the database. Restored on exit.
POOL_NOW=$(sql -e "SELECT @@innodb_buffer_pool_size" 2>/dev/null || echo 0)
if [ "$POOL_NOW" -lt $((BUFFER_POOL_MB * 1048576)) ] && sql -e "SET GLOBAL innodb_buffer_pool_size = $((BUFFER_POOL_MB * 1048576))" 2>/dev/null; then
    POOL_BEFORE=$POOL_NOW
fi
BUFFER_POOL="$(( $(sql -e "SELECT @@innodb_buffer_pool_size") / 1048576 )) MB InnoDB buffer pool"
[ -n "$POOL_BEFORE" ] && BUFFER_POOL="$BUFFER_POOL (raised from $((POOL_BEFORE / 1048576)) MB for the run)"
BASE_URL=${DB_URL%%\?*}; BASE_URL=${BASE_URL%/}
APP_JDBC_URL="$BASE_URL/$DB"
# "statements other-commands": SELECT + INSERT/UPDATE/DELETE, and the other round trips (SET autocommit, COMMIT, ...)
sql_statements() {
    [ "$STATS" = yes ] || { echo "0 0"; return; }
    sql -e "SELECT COALESCE(SUM(SELECT_COMMANDS + UPDATE_COMMANDS), 0), COALESCE(SUM(OTHER_COMMANDS), 0)
            FROM information_schema.USER_STATISTICS WHERE USER = '$SQL_USER'" | tr '\t' ' '
}

# --- processes --------------------------------------------------------------------------------------------------

RSS_MAX_FILE="$WORK/rss-max"
# The largest resident set of a process while a command runs, sampled every 100 ms.
sample_rss_during() {
    local pid="$1"; shift
    echo 0 >"$RSS_MAX_FILE"
    ( max=0; for _ in $(seq 1 36000); do
          kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
          [ -n "$kb" ] && [ "$kb" -gt "$max" ] && max=$kb && echo "$max" >"$RSS_MAX_FILE"
          sleep 0.1
      done ) &
    local sampler=$!
    "$@"; local rc=$?
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    return $rc
}
rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"; }

wait_for_http() { # port, timeout seconds, pid: until the first GraphQL answer; fails early if the process ends
    for _ in $(seq 1 $(($2 * 10))); do
        kill -0 "$3" 2>/dev/null || return 1
        if curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' \
                "http://127.0.0.1:$1/graphql"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

start_patrol() {
    SPRING_DATASOURCE_URL="$APP_JDBC_URL" SPRING_DATASOURCE_USERNAME="$APP_DB_USER" \
        SPRING_DATASOURCE_PASSWORD="$APP_DB_PASSWORD" PATROL_DATA_DIR="$WORK/data" PORT="$PORT" PATROL_MANAGEMENT_PORT=0 \
        PATROL_INTROSPECTION_RATELIMIT=100000000 "$JAVA" "${PROFILE_JVM_OPTIONS[@]}" -jar "$JAR" >>"$WORK/patrol.log" 2>&1 &
    SERVER_PID=$!
    local launched; launched=$(date +%s%N)
    wait_for_http "$PORT" 180 "$SERVER_PID" || { grep -E '^Caused by' "$WORK/patrol.log" | tail -1 | cut -c1-500;
        die "Patrol did not start (log: $WORK/patrol.log; set BENCH_KEEP_WORK=1 to keep it)"; }
    # ready = answering HTTP and done starting the context
    for _ in $(seq 1 600); do
        [ "$(grep -c 'Started PatrolApplication' "$WORK/patrol.log")" -ge "$1" ] && break
        sleep 0.1
    done
    STARTUP_MS=$(( ($(date +%s%N) - launched) / 1000000 ))
}

runner() { # script (relative to the repository) and args: Patrol's runner on the bench database, under time -v;
           # RUNNER_MODE: jar (default), train (writes the AOT cache of the extracted jar), aot (uses it) or
           # profile (a jar run under a flight recording, for --profile)
    local launch=("$JAVA" -jar "$JAR")
    case "${RUNNER_MODE:-jar}" in
        profile) launch=("$JAVA" -XX:StartFlightRecording=filename="$WORK/script.jfr",settings=profile
            "${PROFILE_JVM_OPTIONS[@]}" -jar "$JAR") ;;
        train) launch=("$JAVA" -XX:AOTCacheOutput="$WORK/app/patrol.aot" -jar "$WORK/app/$(basename "$JAR")") ;;
        aot) launch=("$JAVA" -XX:AOTCache="$WORK/app/patrol.aot" -jar "$WORK/app/$(basename "$JAR")") ;;
    esac
    (cd "$ROOT" && SPRING_DATASOURCE_URL="$APP_JDBC_URL" SPRING_DATASOURCE_USERNAME="$APP_DB_USER" \
        SPRING_DATASOURCE_PASSWORD="$APP_DB_PASSWORD" PATROL_DATA_DIR="$WORK/data" \
        /usr/bin/time -v -o "$WORK/time.txt" "${launch[@]}" runner "$@")
}
# wall time of a runner script, and the same net of what the runner costs with a script that does nothing
RUNNER_BASE="" RUNNER_BASE_AOT=""
runner_figures() { # wall-seconds reference-wall-seconds; prints "Patrol column|ratio column"
    local net; net=$(awk -v w="$1" -v b="${RUNNER_BASE:-0}" 'BEGIN { printf "%.2f", w - b }')
    echo "$1 s wall (${RUNNER_BASE:-?} s of it runner start-up), peak $(peak_mb) MB|$(ratio "$2" "$1") ($(ratio "$2" "$net") net of start-up)"
}
wall_seconds() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$WORK/time.txt"; }
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$WORK/time.txt"; }

# --- profiling (--profile) -------------------------------------------------------------------------------------
# A flight recording of Patrol's measured pass of each scenario (JFR's profile settings: a sample every 10 ms, a few
# per cent of the CPU), summarised by bench/JfrSummary.java into bench/results/<date>-<mode>-profile.md. Deep stacks
# (Tomcat, filters, graphql-java) need more than JFR's default 64 frames for "on the stack" to see the bottom.
PROFILE_JVM_OPTIONS=()
# Without DebugNonSafepoints a sample in compiled code is charged to the nearest safepoint's method, often a wrong one.
[ "$PROFILE" = yes ] && PROFILE_JVM_OPTIONS=(-XX:FlightRecorderOptions:stackdepth=512 -XX:+UnlockDiagnosticVMOptions
    -XX:+DebugNonSafepoints)
PROFILES="$WORK/profiles.md"
summarise_profile() { # recording title
    "$JAVA" -cp "$TOOLS_CP" JfrSummary "$1" "$2" >>"$PROFILES" 2>&1 || log "warning: no summary of $1"
}
profiled() { # title command...: runs the command, under a flight recording of the server when profiling (and
            # the title is not empty)
    local title="$1"; shift
    [ "$PROFILE" = yes ] && [ -n "$title" ] || { "$@"; return; }
    "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.start name=bench settings=profile >/dev/null
    "$@"; local rc=$?
    "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.stop name=bench filename="$WORK/bench.jfr" >/dev/null
    summarise_profile "$WORK/bench.jfr" "$title"
    return $rc
}

# --- measuring --------------------------------------------------------------------------------------------------

graphql_body() { jq -cn --arg q "$1" '{query: $q}'; }
gql() { # query [token]; prints the JSON answer
    curl -s -X POST "http://127.0.0.1:$PORT/graphql" -H 'Content-Type: application/json' \
        -H "PRIVATE-TOKEN: ${2:-$ROOT_TOKEN}" -d "$(graphql_body "$1")"
}
available() { # a query answers with data and no errors
    gql "$1" | jq -e '(.errors | not) and (.data != null)' >/dev/null 2>&1
}

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# wrk against a port; sets RPS P50 P99 REQUESTS and, for Patrol, STMTS (SQL statements per request)
wrk_run() { # port connections duration script [extra env via BENCH_*]
    local port="$1" connections="$2" duration="$3" script="$4" threads=2 before after out
    [ "$connections" -lt 2 ] && threads=1
    [ "$connections" -eq 4 ] && [ "$script" != graphql.lua ] && threads=4
    before=$(sql_statements)
    : >"$WORK/threads-done"
    BENCH_LUA="$BENCH/lua" BENCH_THREADS="$threads" BENCH_DONE_FILE="$WORK/threads-done" wrk -t"$threads" \
        -c"$connections" -d"${duration}s" --timeout 10s -s "$BENCH/lua/$script" "http://127.0.0.1:$port/graphql" \
        >"$WORK/wrk.out" &
    local wrk_pid=$!
    # wrk sleeps for all of -d even when a script has stopped every thread; SIGINT makes it report at once
    while kill -0 "$wrk_pid" 2>/dev/null; do
        if [ "$(wc -l <"$WORK/threads-done")" -ge "$threads" ]; then kill -INT "$wrk_pid"; break; fi
        sleep 0.2
    done
    wait "$wrk_pid" || true
    out=$(cat "$WORK/wrk.out")
    after=$(sql_statements)
    local line; line=$(grep '^RESULT' <<<"$out") || die "wrk printed no result: $out"
    RPS=$(field rps "$line") P50=$(field p50 "$line") P99=$(field p99 "$line") REQUESTS=$(field requests "$line")
    local failed=$(( $(field non2xx "$line") + $(field socket_errors "$line") + $(field graphql_errors "$line") ))
    [ "$failed" -eq 0 ] || log "warning: $failed of $REQUESTS requests failed ($line)"
    FAILED=$failed
    if [ "$STATS" = yes ] && [ "$port" = "$PORT" ] && [ "$REQUESTS" -gt 0 ]; then
        STMTS=$(awk -v b="$before" -v a="$after" -v n="$REQUESTS" 'BEGIN { split(b, x, " "); split(a, y, " ");
            printf "%.1f (+%.1f)", (y[1] - x[1]) / n, (y[2] - x[2]) / n }')
    else
        STMTS=n/a
    fi
}

sql_bench() { # scenario threads seconds [args]; sets SQL_RPS SQL_P50 SQL_P99 SQL_STMTS
    local scenario="$1" threads="$2" seconds="$3"; shift 3
    local out; out=$("$JAVA" -cp "$TOOLS_CP" SqlBench "$APP_JDBC_URL" "$DB_USER" "$DB_PASSWORD" \
        "$scenario" "$threads" "$seconds" "$@") || die "SqlBench $scenario failed"
    SQL_RPS=$(field rps "$out") SQL_P50=$(field p50 "$out") SQL_P99=$(field p99 "$out") SQL_STMTS=$(field stmts "$out")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { ROWS+=("| $(IFS='|'; echo "$*" | sed 's/|/ | /g') |"); log "result: ${ROWS[-1]}"; }
skip() { row "$1" "not available: $2" "" "" "" "" "" ""; log "skipped $1: $2"; }

# --- run ----------------------------------------------------------------------------------------------------------

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "work dir $WORK, database $DB, estate $USERS users / $TOKENS tokens, ${DURATION}s per scenario"
start_patrol 1
for _ in $(seq 1 300); do [ -s "$WORK/data/initial_root_token" ] && break; sleep 0.1; done
[ -s "$WORK/data/initial_root_token" ] || die "Patrol wrote no initial root token on an empty database"
FIRST_STARTUP_MS=$STARTUP_MS
ROOT_TOKEN=$(cat "$WORK/data/initial_root_token")
ROOT_ID=$(sqldb -e "SELECT id FROM users WHERE username = 'root'")

SECRETS="$WORK/secrets"
GENERATOR="$ROOT/console-scripts/generate_inventory.groovy"
log "generating the estate"
GEN_START=$(date +%s)
if [ -f "$GENERATOR" ]; then
    ESTATE_SOURCE="console-scripts/generate_inventory.groovy"
    runner console-scripts/generate_inventory.groovy --users "$USERS" --tokens "$TOKENS" --usable "$COLD_TOKENS" \
        --secrets-file "$SECRETS" >"$WORK/generate.log" 2>&1 \
        || { tail -30 "$WORK/generate.log"; die "generate_inventory.groovy failed"; }
else
    ESTATE_SOURCE="bench/SeedTokens.java (generate_inventory.groovy is not on this branch)"
    "$JAVA" -cp "$TOOLS_CP" SeedTokens "$APP_JDBC_URL" "$DB_USER" "$DB_PASSWORD" "$USERS" "$TOKENS" \
        "$COLD_TOKENS" "$SECRETS" >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log"; die "seeding failed"; }
fi
GEN_SECONDS=$(( $(date +%s) - GEN_START ))
sqldb -e "ANALYZE TABLE access_tokens, access_token_scopes, users" >/dev/null
TOKEN_ROWS=$(sqldb -e "SELECT COUNT(*) FROM access_tokens")
log "estate ready in ${GEN_SECONDS}s: $TOKEN_ROWS tokens"
if [ "$MODE" = full ]; then
    log "restarting Patrol on the estate"
    stop_pid "$SERVER_PID"
    start_patrol 2
    ESTATE_STARTUP="${STARTUP_MS} ms on the estate"
else
    ESTATE_STARTUP="not restarted on the estate in quick mode"
fi

CURRENT_USER=$(graphql_body '{ currentUser { id } }')
available '{ currentUser { id } }' || die "{ currentUser { id } } does not answer with the root token"

# 1. authentication ---------------------------------------------------------------------------------------------
# introspection (RFC 7662) answers for a token of the estate, asked by the root token (an administrator's api)
INTROSPECT_TOKEN=$(head -1 "$SECRETS")
INTROSPECTION=no
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/oauth/introspect" \
    -H "Authorization: Bearer $ROOT_TOKEN" --data-urlencode "token=$INTROSPECT_TOKEN")" = 200 ] && INTROSPECTION=yes
log "scenario 1: framework floor (bench/reference)"
PORT="$REF_PORT" "$JAVA" -jar "$REF_JAR" >"$WORK/reference.log" 2>&1 &
REF_PID=$!
wait_for_http "$REF_PORT" 120 "$REF_PID" || die "the reference app did not start"
export BENCH_BODY="$CURRENT_USER" BENCH_TOKEN="$ROOT_TOKEN" BENCH_TOKENS_FILE="$SECRETS"
wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$WARMUP" graphql.lua
wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$DURATION" graphql.lua
FLOOR_RPS=$RPS FLOOR_P50=$P50 FLOOR_P99=$P99
wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$DURATION" cold-tokens.lua
FLOOR_COLD_RPS=$RPS
if [ "$INTROSPECTION" = yes ]; then
    BENCH_TOKENS_FILE="" BENCH_INTROSPECT_TOKEN="$INTROSPECT_TOKEN" \
        wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$WARMUP" introspect.lua
    BENCH_TOKENS_FILE="" BENCH_INTROSPECT_TOKEN="$INTROSPECT_TOKEN" \
        wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$DURATION" introspect.lua
    FLOOR_INTRO_RPS=$RPS FLOOR_INTRO_P50=$P50 FLOOR_INTRO_P99=$P99
    wrk_run "$REF_PORT" "$AUTH_CONNECTIONS" "$DURATION" introspect.lua
    FLOOR_INTRO_COLD_RPS=$RPS
fi
stop_pid "$REF_PID"; REF_PID=""

log "scenario 1: token authentication, warm"
# Steady state: Patrol has far more code than the reference for the JIT to compile on these cores (the C2 compiler
# thread alone takes about 25 s of CPU), so its first warm-up is three times the reference's.
wrk_run "$PORT" "$AUTH_CONNECTIONS" "$(( WARMUP * 3 ))" graphql.lua
profiled "1 auth warm" sample_rss_during "$SERVER_PID" wrk_run "$PORT" "$AUTH_CONNECTIONS" "$DURATION" graphql.lua
RSS_UNDER_LOAD=$(( $(cat "$RSS_MAX_FILE") / 1024 ))
row "1 auth warm: currentUser, 1 PAT, ${AUTH_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" "$STMTS" \
    "framework floor (bench/reference)" "$FLOOR_RPS req/s (p50 $FLOOR_P50, p99 $FLOOR_P99)" "$(ratio "$RPS" "$FLOOR_RPS")"

log "scenario 1: token authentication, cold ($(wc -l <"$SECRETS") different tokens, each once)"
if [ "$(wc -l <"$SECRETS")" -ge 100 ]; then
    # three passes compile the cold path (JIT: a cold cache is not a cold server); each time the authentication
    # cache has forgotten the tokens (5 s time to live), the next pass sees every token cold again
    for pass in 1 2 3 4; do
        sleep 6
        profiled "$([ "$pass" = 4 ] && echo "1 auth cold")" wrk_run "$PORT" "$AUTH_CONNECTIONS" 120 cold-tokens.lua
    done
    COLD_RPS=$RPS COLD_P50=$P50 COLD_P99=$P99 COLD_STMTS=$STMTS COLD_REQUESTS=$REQUESTS COLD_FAILED=$FAILED
    sql_bench digest "$AUTH_CONNECTIONS" "$DURATION" "$SECRETS"
    DIGEST_RPS=$SQL_RPS
    row "1 auth cold: $COLD_REQUESTS tokens, each once, ${AUTH_CONNECTIONS} conn" "$COLD_RPS req/s" "$COLD_P50" \
        "$COLD_P99" "$COLD_STMTS" "framework floor, same rotation" "$FLOOR_COLD_RPS req/s" "$(ratio "$COLD_RPS" "$FLOOR_COLD_RPS")"
    row "1 auth cold vs DB floor" "$COLD_RPS req/s" "$COLD_P50" "$COLD_P99" "$COLD_STMTS" \
        "JDBC digest look-up ($SQL_STMTS stmts), ${AUTH_CONNECTIONS} threads" "$SQL_RPS/s (p50 $SQL_P50, p99 $SQL_P99)" \
        "$(ratio "$COLD_RPS" "$SQL_RPS")"
    [ "$COLD_FAILED" -eq 0 ] || log "warning: $COLD_FAILED cold requests failed: are all secrets active PATs?"
else
    skip "1 auth cold" "fewer than 100 personal access token secrets in the secrets file"
fi

if [ "$INTROSPECTION" = yes ]; then
    log "scenario 1: introspection, warm"
    BENCH_TOKENS_FILE="" BENCH_INTROSPECT_TOKEN="$INTROSPECT_TOKEN" \
        wrk_run "$PORT" "$AUTH_CONNECTIONS" "$WARMUP" introspect.lua
    BENCH_TOKENS_FILE="" BENCH_INTROSPECT_TOKEN="$INTROSPECT_TOKEN" \
        profiled "1 introspect warm" wrk_run "$PORT" "$AUTH_CONNECTIONS" "$DURATION" introspect.lua
    row "1 introspect warm: 1 token, 1 caller, ${AUTH_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" "$STMTS" \
        "framework floor (bench/reference POST /oauth/introspect)" \
        "$FLOOR_INTRO_RPS req/s (p50 $FLOOR_INTRO_P50, p99 $FLOOR_INTRO_P99)" "$(ratio "$RPS" "$FLOOR_INTRO_RPS")"
    if [ -n "${DIGEST_RPS:-}" ]; then
        log "scenario 1: introspection, cold ($(wc -l <"$SECRETS") different tokens, each once)"
        # as for authentication: three passes compile the cold path, each after the cache forgot the tokens
        for pass in 1 2 3 4; do
            sleep 6
            profiled "$([ "$pass" = 4 ] && echo "1 introspect cold")" wrk_run "$PORT" "$AUTH_CONNECTIONS" 120 introspect.lua
        done
        # both floors share the cores: the combined floor is 1 / (1/framework + 1/JDBC digest look-up)
        COMBINED=$(awk -v f="$FLOOR_INTRO_COLD_RPS" -v d="$DIGEST_RPS" 'BEGIN { printf "%.1f", 1 / (1 / f + 1 / d) }')
        row "1 introspect cold: $REQUESTS tokens, each once, ${AUTH_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" \
            "$STMTS" "framework floor, same rotation" "$FLOOR_INTRO_COLD_RPS req/s" \
            "$(ratio "$RPS" "$FLOOR_INTRO_COLD_RPS")"
        row "1 introspect cold vs combined floor" "$RPS req/s" "$P50" "$P99" "$STMTS" \
            "1 / (1/framework + 1/JDBC digest look-up)" "$COMBINED/s (JDBC $DIGEST_RPS/s)" "$(ratio "$RPS" "$COMBINED")"
        [ "$FAILED" -eq 0 ] || log "warning: $FAILED cold introspections failed or answered not active"
    else
        skip "1 introspect cold" "no cold-token run (fewer than 100 secrets)"
    fi
else
    skip "1 introspect" "POST /oauth/introspect does not answer 200 with the root token on this build"
fi

# 2. and 3. inventory pages ----------------------------------------------------------------------------------
NODES='nodes { id kind type name scopes expiresAt lastUsedAt lastUsedIps owner { username } } pageInfo { endCursor hasNextPage }'
TODAY=$(date -u +%F) IN30=$(date -u -d '+30 days' +%F)
if available '{ credentialsInventory(first: 1) { nodes { id } } }'; then
    log "scenario 2: inventory, first page"
    export BENCH_BODY; BENCH_BODY=$(graphql_body "{ credentialsInventory(first: 100, sort: CREATED_DESC) { $NODES } }")
    wrk_run "$PORT" "$READ_CONNECTIONS" "$WARMUP" graphql.lua
    profiled "2 inventory first page" wrk_run "$PORT" "$READ_CONNECTIONS" "$DURATION" graphql.lua
    FIRST_RPS=$RPS
    sql_bench page "$READ_CONNECTIONS" "$DURATION"
    row "2 inventory first page (100), ${READ_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" "$STMTS" \
        "SQL page + owners/scopes/IPs ($SQL_STMTS stmts)" "$SQL_RPS/s (p50 $SQL_P50)" "$(ratio "$RPS" "$SQL_RPS")"

    # the 10,000th page, or proportionally deep on a smaller estate: walk the cursors to it (in wrk, on one
    # connection: a curl and a jq per page took ten minutes for 10,000 pages)
    DEEP=$(( TOKEN_ROWS / 100 < 10000 ? TOKEN_ROWS / 100 : 10000 ))
    [ "$DEEP" -ge 2 ] || DEEP=2
    log "scenario 2: walking to page $DEEP"
    WALK_START=$(date +%s)
    : >"$WORK/threads-done"; : >"$WORK/cursor"
    BENCH_BODY_FIRST=$(graphql_body "{ credentialsInventory(first: 100, sort: CREATED_DESC) { pageInfo { endCursor } } }") \
    BENCH_BODY_AFTER=$(graphql_body "{ credentialsInventory(first: 100, sort: CREATED_DESC, after: \"@CURSOR@\") { pageInfo { endCursor } } }") \
    BENCH_PAGES=$((DEEP - 1)) BENCH_CURSOR_FILE="$WORK/cursor" BENCH_DONE_FILE="$WORK/threads-done" \
        wrk -t1 -c1 -d1h --timeout 30s -s "$BENCH/lua/walk-cursors.lua" "http://127.0.0.1:$PORT/graphql" >/dev/null &
    WALK_PID=$!
    while kill -0 "$WALK_PID" 2>/dev/null; do
        if [ -s "$WORK/threads-done" ]; then kill -INT "$WALK_PID"; break; fi
        sleep 0.2
    done
    wait "$WALK_PID" || true
    CURSOR=$(cat "$WORK/cursor")
    log "walked $((DEEP - 1)) pages in $(( $(date +%s) - WALK_START ))s"
    if [ -n "$CURSOR" ]; then
        BENCH_BODY=$(graphql_body "{ credentialsInventory(first: 100, sort: CREATED_DESC, after: \"$CURSOR\") { $NODES } }")
        wrk_run "$PORT" "$READ_CONNECTIONS" "$DURATION" graphql.lua
        IFS=$'\t' read -r CURSOR_CREATED CURSOR_ID < <(sqldb -e "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f'), id
            FROM access_tokens ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $(( (DEEP - 1) * 100 - 1 ))")
        sql_bench page "$READ_CONNECTIONS" "$DURATION" "$CURSOR_CREATED" "$CURSOR_ID"
        row "2 inventory page $DEEP by cursor" "$RPS req/s" "$P50" "$P99" "$STMTS" \
            "SQL keyset page ($SQL_STMTS stmts); API first page" "$SQL_RPS/s; $FIRST_RPS req/s" \
            "$(ratio "$RPS" "$SQL_RPS") of SQL, $(ratio "$RPS" "$FIRST_RPS") of first page"
    else
        skip "2 inventory deep page" "the cursor walk ended before page $DEEP"
    fi

    log "scenario 3: filtered inventory"
    BENCH_BODY=$(graphql_body "{ credentialsInventory(first: 100, filter: {states: [ACTIVE], scopesAnyOf: [\"api\"],
        expiresAfter: \"$TODAY\", expiresBefore: \"$IN30\", ownerKinds: [HUMAN]}, sort: EXPIRES_ASC) { $NODES } }")
    wrk_run "$PORT" "$READ_CONNECTIONS" "$WARMUP" graphql.lua
    profiled "3 filtered inventory" wrk_run "$PORT" "$READ_CONNECTIONS" "$DURATION" graphql.lua
    sql_bench filtered "$READ_CONNECTIONS" "$DURATION"
    row "3 filtered: active, api, expiring in 30 days, humans" "$RPS req/s" "$P50" "$P99" "$STMTS" \
        "SQL ($SQL_STMTS stmts)" "$SQL_RPS/s (p50 $SQL_P50)" "$(ratio "$RPS" "$SQL_RPS")"
else
    skip "2 inventory pages" "no credentialsInventory query on this build"
    skip "3 filtered inventory" "no credentialsInventory query on this build"
fi

# 4. aggregates ------------------------------------------------------------------------------------------------
STATS_QUERY='{ inventoryStats { countsByTypeAndState { type state count } topExpiryDates { date count } } }'
if available "$STATS_QUERY"; then
    log "scenario 4: aggregates"
    BENCH_BODY=$(graphql_body "$STATS_QUERY")
    wrk_run "$PORT" "$AGGREGATE_CONNECTIONS" "$WARMUP" graphql.lua
    wrk_run "$PORT" "$AGGREGATE_CONNECTIONS" "$DURATION" graphql.lua
    sql_bench aggregates "$AGGREGATE_CONNECTIONS" "$DURATION"
    row "4 aggregates: top-10 expiry dates + type x state, ${AGGREGATE_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" \
        "$STMTS" "SQL GROUP BYs ($SQL_STMTS stmts)" "$SQL_RPS/s (p50 $SQL_P50)" "$(ratio "$RPS" "$SQL_RPS")"
else
    skip "4 aggregates" "no inventoryStats query on this build"
fi

# 5. mutations -------------------------------------------------------------------------------------------------
IN7=$(date -u -d '+7 days' +%F)
create_token_id() {
    gql "mutation { personalAccessTokenCreate(input: {name: \"bench\", scopes: [\"read_api\"], expiresAt: \"$IN7\"}) { accessToken { id } errors } }" \
        | jq -r '.data.personalAccessTokenCreate.accessToken.id // empty' 2>/dev/null
}
PROBE_ID=$(create_token_id || true)
if [ -n "$PROBE_ID" ] && gql "mutation { accessTokenRevoke(input: {id: \"$PROBE_ID\"}) { accessToken { id revoked } errors } }" \
        | jq -e '.data.accessTokenRevoke.accessToken.revoked == true' >/dev/null 2>&1; then
    log "scenario 5: create + revoke"
    export BENCH_EXPIRES="$IN7"
    wrk_run "$PORT" "$WRITE_CONNECTIONS" "$WARMUP" create-revoke.lua
    profiled "5 create + revoke" wrk_run "$PORT" "$WRITE_CONNECTIONS" "$DURATION" create-revoke.lua
    sql_bench create-revoke "$WRITE_CONNECTIONS" "$DURATION" "$ROOT_ID"
    row "5 create + revoke a PAT (alternating), ${WRITE_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" "$STMTS" \
        "SQL transactions ($SQL_STMTS stmts)" "$SQL_RPS/s (p50 $SQL_P50)" "$(ratio "$RPS" "$SQL_RPS")"
    ROTATE_IDS=""
    for _ in $(seq 1 "$WRITE_CONNECTIONS"); do ROTATE_IDS="$ROTATE_IDS${ROTATE_IDS:+,}$(create_token_id)"; done
    if available "mutation { accessTokenRotate(input: {id: \"$(create_token_id)\", expiresAt: \"$IN7\"}) { accessToken { id } errors } }"; then
        log "scenario 5: rotate"
        export BENCH_ROTATE_IDS="$ROTATE_IDS"
        profiled "5 rotate" wrk_run "$PORT" "$WRITE_CONNECTIONS" "$DURATION" rotate.lua
        sql_bench rotate "$WRITE_CONNECTIONS" "$DURATION" "$ROOT_ID"
        row "5 rotate a PAT (chained), ${WRITE_CONNECTIONS} conn" "$RPS req/s" "$P50" "$P99" "$STMTS" \
            "SQL transaction ($SQL_STMTS stmts)" "$SQL_RPS/s (p50 $SQL_P50)" "$(ratio "$RPS" "$SQL_RPS")"
    else
        skip "5 rotate" "no accessTokenRotate mutation on this build"
    fi
else
    skip "5 mutations" "no personalAccessTokenCreate / accessTokenRevoke mutations on this build"
fi

# 6. console bulk work -----------------------------------------------------------------------------------------
# Each script runs as README says (java -jar), and on JDK 25+ also with the AOT cache README describes; the
# runner's own start-up (a script that prints "ok") is measured both ways and reported beside each wall time.
echo 'println "ok"' >"$WORK/noop.groovy"
RUNNER_MODES=(jar)
runner "$WORK/noop.groovy" >"$WORK/noop.log" 2>&1 && RUNNER_BASE=$(wall_seconds)
if "$JAVA" -version 2>&1 | head -1 | grep -Eq '"(2[5-9]|[3-9][0-9])'; then
    "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null 2>&1 \
        && RUNNER_MODE=train runner "$WORK/noop.groovy" >"$WORK/aot-train.log" 2>&1 \
        && RUNNER_MODE=aot runner "$WORK/noop.groovy" >"$WORK/noop-aot.log" 2>&1 \
        && RUNNER_BASE_AOT=$(wall_seconds) && RUNNER_MODES+=(aot) \
        || log "no AOT cache: $(tail -1 "$WORK/aot-train.log" 2>/dev/null)"
fi
log "runner start-up: ${RUNNER_BASE:-?} s as a jar${RUNNER_BASE_AOT:+, $RUNNER_BASE_AOT s with the AOT cache}"

script_rows() { # label reference-wall reference-mb reset-command script args...: one row per runner mode
    local label="$1" ref_wall="$2" ref_mb="$3" reset="$4" mode; shift 4
    for mode in "${RUNNER_MODES[@]}"; do
        $reset
        if RUNNER_MODE=$mode runner "$@" >"$WORK/script.log" 2>&1; then
            local base=$RUNNER_BASE suffix=""
            [ "$mode" = aot ] && base=$RUNNER_BASE_AOT suffix=", AOT cache"
            IFS='|' read -r FIGURE RATIO <<<"$(RUNNER_BASE=$base runner_figures "$(wall_seconds)" "$ref_wall")"
            row "$label$suffix" "$FIGURE" "" "" "" "${REFERENCE_LABEL}" "$ref_wall s, peak $ref_mb MB" "$RATIO"
        else
            skip "$label" "the script failed: $(tail -1 "$WORK/script.log")"
        fi
    done
    if [ "$PROFILE" = yes ]; then
        $reset
        RUNNER_MODE=profile runner "$@" >"$WORK/script.log" 2>&1 \
            && summarise_profile "$WORK/script.jfr" "$label (java -jar, the whole run: start-up included)"
    fi
}

DATE=$(sqldb -e "SELECT expires_at FROM access_tokens WHERE revoked_at IS NULL AND expires_at > '$TODAY'
    AND expires_at <= '$(date -u -d '+300 days' +%F)' GROUP BY expires_at ORDER BY COUNT(*) DESC LIMIT 1")
NEW_DATE=$(date -u -d "$DATE +30 days" +%F)
# the tokens the script extends: unrevoked personal, project and group access tokens
EXTENDED="expires_at = '$DATE' AND revoked_at IS NULL AND type IN ('PERSONAL', 'PROJECT', 'GROUP')"
sqldb -e "CREATE TABLE bench_extend_ids (PRIMARY KEY (id)) AS SELECT id FROM access_tokens WHERE $EXTENDED"
EXTEND_ROWS=$(sqldb -e "SELECT COUNT(*) FROM bench_extend_ids")
log "scenario 6: extending $EXTEND_ROWS tokens expiring on $DATE to $NEW_DATE"
/usr/bin/time -v -o "$WORK/time.txt" mariadb --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" \
    ${DB_PASSWORD:+-p"$DB_PASSWORD"} -D "$DB" -e "UPDATE access_tokens SET expires_at = '$NEW_DATE' WHERE $EXTENDED"
REF_WALL=$(wall_seconds) REF_MB=$(peak_mb)
# a join, not IN (SELECT ...): MariaDB ran the IN form row by row over a million tokens for minutes
reset_extended() { sqldb -e "UPDATE access_tokens t JOIN bench_extend_ids e ON e.id = t.id SET t.expires_at = '$DATE'"; }
REFERENCE_LABEL="raw UPDATE (mariadb CLI)"
script_rows "6 extend_expiring_tokens.groovy: $EXTEND_ROWS tokens" "$REF_WALL" "$REF_MB" reset_extended \
    console-scripts/extend_expiring_tokens.groovy "$DATE" "$NEW_DATE"

log "scenario 6: expired_tokens_date_range.groovy 1.month"
IN_A_MONTH=$(date -u -d '+1 month' +%F)
# what the script lists: human users' personal and impersonation tokens, and project/group tokens expiring today .. in a month
/usr/bin/time -v -o "$WORK/time.txt" mariadb --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" \
    ${DB_PASSWORD:+-p"$DB_PASSWORD"} -D "$DB" -B -e "SELECT t.id, t.type, t.name, u.email, t.last_used_at,
    (SELECT GROUP_CONCAT(s.scope) FROM access_token_scopes s WHERE s.token_id = t.id) AS scopes
    FROM access_tokens t LEFT JOIN users u ON u.id = t.user_id
    WHERE t.expires_at BETWEEN '$TODAY' AND '$IN_A_MONTH'
    AND (t.type IN ('PROJECT', 'GROUP') OR (t.type IN ('PERSONAL', 'IMPERSONATION') AND u.kind = 'HUMAN'))
    ORDER BY t.id" >"$WORK/range.ref"
REF_WALL=$(wall_seconds) REF_MB=$(peak_mb) RANGE_ROWS=$(( $(wc -l <"$WORK/range.ref") - 1 ))
REFERENCE_LABEL="raw SELECT (mariadb CLI)"
script_rows "6 expired_tokens_date_range.groovy 1.month ($RANGE_ROWS rows in SQL)" "$REF_WALL" "$REF_MB" true \
    console-scripts/expired_tokens_date_range.groovy 1.month

# 7. export ----------------------------------------------------------------------------------------------------
EXPORT_URL="http://127.0.0.1:$PORT/inventory/export?format=csv"
if [ "$(curl -s -o /dev/null -w '%{http_code}' -I -H "PRIVATE-TOKEN: $ROOT_TOKEN" "$EXPORT_URL")" != 404 ]; then
    log "scenario 7: CSV export"
    export_csv() { curl -s -f -o "$WORK/export.csv" -w '%{time_total}' -H "PRIVATE-TOKEN: $ROOT_TOKEN" "$EXPORT_URL" >"$WORK/export.time"; }
    RSS_BEFORE=$(rss_mb "$SERVER_PID")
    if profiled "7 CSV export" sample_rss_during "$SERVER_PID" export_csv; then
        EXPORT_S=$(cat "$WORK/export.time") EXPORT_ROWS=$(( $(wc -l <"$WORK/export.csv") - 1 ))
        EXPORT_PEAK=$(( $(cat "$RSS_MAX_FILE") / 1024 ))
        /usr/bin/time -v -o "$WORK/time.txt" mariadb --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" \
            ${DB_PASSWORD:+-p"$DB_PASSWORD"} -D "$DB" -B -e "SELECT t.id, t.type, t.name, u.username, u.kind,
            t.access_level, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
            (SELECT GROUP_CONCAT(s.scope SEPARATOR ' ') FROM access_token_scopes s WHERE s.token_id = t.id) AS scopes,
            (SELECT GROUP_CONCAT(i.ip SEPARATOR ' ') FROM access_token_last_used_ips i WHERE i.token_id = t.id) AS ips
            FROM access_tokens t LEFT JOIN users u ON u.id = t.user_id
            UNION ALL SELECT k.id, 'SSH_KEY', k.title, u.username, u.kind, NULL, k.created_at, k.expires_at, NULL,
            k.last_used_at, NULL, NULL FROM ssh_keys k JOIN users u ON u.id = k.user_id" >"$WORK/export.ref"
        REF_WALL=$(wall_seconds) REF_ROWS=$(( $(wc -l <"$WORK/export.ref") - 1 ))
        EXPORT_RATE=$(awk -v n="$EXPORT_ROWS" -v s="$EXPORT_S" 'BEGIN { printf "%d", n / s }')
        REF_RATE=$(awk -v n="$REF_ROWS" -v s="$REF_WALL" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
        row "7 CSV export: $EXPORT_ROWS rows" "$EXPORT_RATE rows/s, server RSS $RSS_BEFORE -> $EXPORT_PEAK MB" "" "" "" \
            "the same rows and columns (scopes, addresses) as TSV (mariadb CLI)" "$REF_RATE rows/s" \
            "$(ratio "$EXPORT_RATE" "$REF_RATE")"
    else
        skip "7 CSV export" "GET /inventory/export failed"
    fi
else
    skip "7 CSV export" "no GET /inventory/export on this build"
fi

# --- report ----------------------------------------------------------------------------------------------------
HWM=$(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$SERVER_PID/status")
CORES=$(nproc) MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
JDK=$("$JAVA" -version 2>&1 | head -1)
RESULT="$BENCH/results/$(date -u +%F)-$MODE.md"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD -- . ':!bench/results' 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"
mkdir -p "$BENCH/results"
{
    echo "# Patrol benchmark, $MODE mode, $(date -u '+%F %H:%M UTC')"
    echo
    echo "- commit $COMMIT"
    echo "- machine: $CORES cores ($CPU), $MEM memory; $JDK; MariaDB $DB_VERSION on $DB_HOST:$DB_PORT, $BUFFER_POOL"
    echo "- estate: $USERS users, $TOKEN_ROWS tokens, from $ESTATE_SOURCE in ${GEN_SECONDS}s"
    echo "- ${DURATION}s per measured run after ${WARMUP}s of warm-up; wrk, the reference app and MariaDB share the cores"
    echo "- load average (1, 5, 15 min) before the run: $LOAD_START; after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  (anything above ~0.5 means other processes competed for the cores: treat the absolute numbers with care)"
    echo "- Patrol start-up: ${FIRST_STARTUP_MS} ms to the first answer on an empty database (migrations included); $ESTATE_STARTUP"
    echo "- Patrol memory: RSS up to ${RSS_UNDER_LOAD} MB under the warm-auth load, peak ${HWM} MB over the whole run"
    echo "- latencies in ms; SQL/req = statements (SELECT + INSERT/UPDATE/DELETE) the Patrol server ran per request,"
    echo "  and in brackets its other round trips (SET autocommit, COMMIT, ...), from MariaDB's USER_STATISTICS for a"
    echo "  database user only it uses (background jobs included);"
    echo "  ratio = Patrol's throughput / the reference's (for wall times: reference time / Patrol time)"
    echo
    echo "| scenario | Patrol | p50 | p99 | SQL/req | reference | reference figure | ratio |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
} >"$RESULT"
cat "$RESULT"
log "written to ${RESULT#"$ROOT"/}"
if [ "$PROFILE" = yes ]; then
    PROFILE_RESULT="${RESULT%.md}-profile.md"
    { echo "# Where Patrol's CPU went: $MODE run of $(date -u '+%F %H:%M UTC'), commit $COMMIT"
      echo
      echo "JFR during each scenario's measured pass (bench/run.sh --profile; summaries by bench/JfrSummary.java)."
      echo "\"self\": the first frame from the top that is not the JDK's; \"on the stack\": anywhere on the stack."
      echo
      cat "$PROFILES"; } >"$PROFILE_RESULT"
    log "profiles written to ${PROFILE_RESULT#"$ROOT"/}"
fi
