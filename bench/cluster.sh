#!/usr/bin/env bash
# Patrol on a Galera cluster: cold authentication and create+revoke with 1 instance on 1 node versus 2 instances on
# 3 nodes (failover and load-balanced URLs), and how long a revocation takes to reach the other instance.
# Usage: bench/cluster.sh [--duration SECONDS] [--secrets N]   (writes bench/results/<date>-cluster.md)
# Uses .ci/galera.sh (started here when it is not running, and then stopped again) and the packaged jar.
set -euo pipefail

DURATION=15 SECRETS_N=4000
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift ;;
        --secrets) SECRETS_N="$2"; shift ;;
        -h|--help) sed -n 2,5p "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
HARNESS="$ROOT/.ci/galera.sh"
WORK=$(mktemp -d /tmp/patrol-bench-cluster.XXXXXX)
DB="patrol_bench_cluster_$$"
PIDS=() STARTED_CLUSTER="" ROWS=()
CREATE_CONNECTIONS=4 AUTH_CONNECTIONS=16

log() { printf '[bench-cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_java() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        if "$candidate/bin/java" -version 2>&1 | head -1 | grep -Eq '"(2[1-9]|[3-9][0-9])'; then
            echo "$candidate"; return
        fi
    done
    die "a JDK 21 or newer is needed (set JAVA_HOME)"
}
export JAVA_HOME; JAVA_HOME=$(find_java)
JAVA="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null 2>&1 || die "wrk is needed"
for tool in curl jq mariadb; do command -v "$tool" >/dev/null || die "$tool is needed"; done
JAR=$(ls "$ROOT"/target/patrol-*.jar 2>/dev/null | grep -v original | head -1)
[ -n "$JAR" ] || die "build the jar first: mvn -B -ntp -q package -DskipTests"
export PATROL_SECRETS_KEYS_BENCH; PATROL_SECRETS_KEYS_BENCH=$(head -c 32 /dev/urandom | base64)

sql() { mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$1" -u root -N -B -e "$2"; }

stop_pid() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
stop_instances() { local pid; for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; PIDS=(); }
cleanup() {
    stop_instances
    local n status
    status=$("$HARNESS" status 2>/dev/null || true)
    for n in 2 3; do
        if grep -q "node $n: .*down" <<<"$status"; then "$HARNESS" rejoin "$n" >/dev/null 2>&1 || true; fi
    done
    sql 3311 "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true
    [ -n "$STARTED_CLUSTER" ] && "$HARNESS" stop || true
    [ -n "${BENCH_KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$("$HARNESS" status 2>/dev/null | grep -c 'cluster size 3, Synced')" -lt 3 ]; then
    "$HARNESS" start
    STARTED_CLUSTER=1
fi

start_instance() { # name port url
    local name="$1" port="$2" url="$3"
    SPRING_DATASOURCE_URL="$url" SPRING_DATASOURCE_USERNAME=root SPRING_DATASOURCE_PASSWORD= \
        PATROL_DATA_DIR="$WORK/data-$name" PORT="$port" PATROL_MANAGEMENT_PORT=0 PATROL_DATABASE_MIGRATE="${MIGRATE:-true}" \
        "$JAVA" -jar "$JAR" >>"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 240); do
        grep -q "Started PatrolApplication" "$WORK/$name.log" 2>/dev/null && return 0
        kill -0 "${PIDS[-1]}" 2>/dev/null || die "instance $name did not start ($WORK/$name.log)"
        sleep 0.5
    done
    die "instance $name did not start in time"
}

OPTIONS="connectTimeout=1000&socketTimeout=15000&sessionVariables=wsrep_sync_wait=1"
url_failover() { echo "jdbc:mysql://$1/$DB?failOverReadOnly=false&$OPTIONS"; }
url_loadbalance() { echo "jdbc:mysql:loadbalance://$1/$DB?loadBalanceBlocklistTimeout=5000&$OPTIONS"; }

wrk_result() { # port connections duration script [env...]: prints "rps p50 p99 errors"
    local port="$1" connections="$2" duration="$3" script="$4" threads=2 out
    [ "$connections" -eq 4 ] && threads=4
    local done_file; done_file=$(mktemp "$WORK/done.XXXX")
    out=$(BENCH_LUA="$BENCH/lua" BENCH_THREADS="$threads" BENCH_DONE_FILE="$done_file" \
        wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$BENCH/lua/$script" \
        "http://127.0.0.1:$port/graphql" 2>&1 &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            [ "$(wc -l <"$done_file")" -ge "$threads" ] && kill -INT "$pid" 2>/dev/null && break
            sleep 0.2
        done
        wait "$pid" || true)
    local line; line=$(grep '^RESULT' <<<"$out") || die "wrk printed no result: $out"
    sed -E 's/.*rps=([0-9.]+) p50=([0-9.]+) p99=([0-9.]+) non2xx=([0-9]+) socket_errors=([0-9]+) graphql_errors=([0-9]+).*/\1 \2 \3 \4+\5+\6/' <<<"$line"
}

sum() { awk '{ s += $1 } END { printf "%.1f", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); log "result: $1: $2 ($3) $4"; }

# --- estate ------------------------------------------------------------------------------------------------

log "creating $DB and seeding $SECRETS_N tokens"
sql 3311 "CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
MIGRATE=true start_instance seed 18280 "$(url_failover 127.0.0.1:3311)"
for _ in $(seq 1 120); do [ -s "$WORK/data-seed/initial_root_token" ] && break; sleep 0.5; done
ROOT_TOKEN=$(cat "$WORK/data-seed/initial_root_token")
stop_instances
mkdir -p "$WORK/lib"
unzip -q -j -o "$JAR" 'BOOT-INF/lib/mysql-connector-j-*.jar' -d "$WORK/lib"
"$JAVA" -cp "$ROOT/target/classes:$WORK/lib/*" "$BENCH/SeedTokens.java" "jdbc:mysql://127.0.0.1:3311/$DB" root "" \
    200 "$SECRETS_N" "$SECRETS_N" "$WORK/secrets" >"$WORK/seed.log" 2>&1 || die "seeding failed ($WORK/seed.log)"
half=$((SECRETS_N / 2))
head -n "$half" "$WORK/secrets" >"$WORK/secrets-1"
tail -n +"$((half + 1))" "$WORK/secrets" >"$WORK/secrets-2"
EXPIRES=$(date -u -d '+300 days' +%F)

cold_pass() { # port tokens-file: every token once, twice (the first pass compiles the cold path)
    BENCH_TOKENS_FILE="$2" BENCH_BODY='{"query":"{ currentUser { username } }"}' wrk_result "$1" "$AUTH_CONNECTIONS" 120 cold-tokens.lua >/dev/null
    sleep 6 # the authentication cache (5 s) forgets them
    BENCH_TOKENS_FILE="$2" BENCH_BODY='{"query":"{ currentUser { username } }"}' wrk_result "$1" "$AUTH_CONNECTIONS" 120 cold-tokens.lua
}
create_revoke() { # port
    BENCH_TOKEN="$ROOT_TOKEN" BENCH_EXPIRES="$EXPIRES" wrk_result "$1" "$CREATE_CONNECTIONS" "$DURATION" create-revoke.lua
}

# --- 1 instance on 1 node ----------------------------------------------------------------------------------

log "setup 1: one instance on node 1, nodes 2 and 3 down (a one-node cluster)"
"$HARNESS" leave 2; "$HARNESS" leave 3
start_instance one 18281 "$(url_failover 127.0.0.1:3311)"
read -r COLD1 COLD1_P50 COLD1_P99 COLD1_ERR < <(cold_pass 18281 "$WORK/secrets")
BENCH_TOKEN="$ROOT_TOKEN" BENCH_EXPIRES="$EXPIRES" wrk_result 18281 "$CREATE_CONNECTIONS" 5 create-revoke.lua >/dev/null
read -r CR1 CR1_P50 CR1_P99 CR1_ERR < <(create_revoke 18281)
stop_instances
"$HARNESS" rejoin 2; "$HARNESS" rejoin 3
row "1 instance, 1 node: auth cold, $AUTH_CONNECTIONS conn" "$COLD1 req/s" "p50 $COLD1_P50 ms, p99 $COLD1_P99 ms" "errors $COLD1_ERR"
row "1 instance, 1 node: create+revoke, $CREATE_CONNECTIONS conn" "$CR1 req/s" "p50 $CR1_P50 ms, p99 $CR1_P99 ms" "errors $CR1_ERR"

# --- 2 instances on 3 nodes --------------------------------------------------------------------------------

two_instances() { # mode label
    local mode="$1" label="$2" url_a url_b
    if [ "$mode" = failover ]; then
        url_a=$(url_failover 127.0.0.1:3311,127.0.0.1:3313,127.0.0.1:3312)
        url_b=$(url_failover 127.0.0.1:3312,127.0.0.1:3313,127.0.0.1:3311)
    else
        url_a=$(url_loadbalance 127.0.0.1:3311,127.0.0.1:3312,127.0.0.1:3313)
        url_b=$url_a
    fi
    log "setup: two instances, three nodes, $label"
    start_instance "a-$mode" 18282 "$url_a"
    MIGRATE=wait start_instance "b-$mode" 18283 "$url_b"
    cold_pass 18282 "$WORK/secrets-1" >"$WORK/cold-a" & local pa=$!
    cold_pass 18283 "$WORK/secrets-2" >"$WORK/cold-b" & local pb=$!
    wait "$pa" "$pb"
    local cold; cold=$(cat "$WORK/cold-a" "$WORK/cold-b" | sum)
    BENCH_TOKEN="$ROOT_TOKEN" BENCH_EXPIRES="$EXPIRES" wrk_result 18282 "$CREATE_CONNECTIONS" 5 create-revoke.lua >/dev/null
    create_revoke 18282 >"$WORK/cr-a" & pa=$!
    create_revoke 18283 >"$WORK/cr-b" & pb=$!
    wait "$pa" "$pb"
    local cr; cr=$(cat "$WORK/cr-a" "$WORK/cr-b" | sum)
    row "2 instances, 3 nodes, $label: auth cold, 2 x $AUTH_CONNECTIONS conn" "$cold req/s" \
        "$(ratio "$cold" "$COLD1") x one node" "a: $(cat "$WORK/cold-a"); b: $(cat "$WORK/cold-b") (rps p50 p99 errors)"
    row "2 instances, 3 nodes, $label: create+revoke, 2 x $CREATE_CONNECTIONS conn" "$cr req/s" \
        "$(ratio "$cr" "$CR1") x one node" "a: $(cat "$WORK/cr-a"); b: $(cat "$WORK/cr-b") (rps p50 p99 errors)"
    if [ "$mode" = failover ]; then
        revocation_bound
    fi
    stop_instances
}

gql() { # port token query
    curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/graphql" -H "PRIVATE-TOKEN: $2" \
        -H 'Content-Type: application/json' -d "$(jq -cn --arg q "$3" '{query: $q}')"
}

revocation_bound() { # a token warm on both instances, revoked through A: time until B refuses it
    local times=() i created token id start status elapsed
    for i in $(seq 1 20); do
        created=$(curl -s http://127.0.0.1:18282/graphql -H "PRIVATE-TOKEN: $ROOT_TOKEN" -H 'Content-Type: application/json' \
            -d '{"query":"mutation { personalAccessTokenCreate(input: {name: \"probe\", scopes: [\"read_api\"]}) { token accessToken { id } } }"}')
        token=$(jq -r .data.personalAccessTokenCreate.token <<<"$created")
        id=$(jq -r .data.personalAccessTokenCreate.accessToken.id <<<"$created")
        gql 18282 "$token" '{ currentUser { username } }' >/dev/null
        gql 18283 "$token" '{ currentUser { username } }' >/dev/null
        gql 18282 "$ROOT_TOKEN" "mutation { accessTokenRevoke(input: {id: \"$id\"}) { errors } }" >/dev/null
        start=$(date +%s%N)
        while status=$(gql 18283 "$token" '{ currentUser { username } }') && [ "$status" = 200 ]; do :; done
        elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
        times+=("$elapsed")
        sleep 0.$((RANDOM % 9 + 1))
    done
    local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    row "revocation on A refused by B (20 tokens, warm on both)" "p50 $(sed -n 10p <<<"$sorted") ms" \
        "max $(tail -1 <<<"$sorted") ms" "bound: stale-after 1 s; poll every 250 ms"
}

two_instances failover "failover URL (A: node 1 first, B: node 2 first)"
two_instances loadbalance "load-balanced URL (both over nodes 1-3)"

# --- report ------------------------------------------------------------------------------------------------

OUT="$BENCH/results/$(date -u +%F)-cluster.md"
{
    echo "# Cluster bench $(date -u '+%F %H:%M') UTC"
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d MB", $2/1024}' /proc/meminfo); three Galera nodes,"
    echo "the instances, wrk and the seeding all on it. $SECRETS_N seeded tokens; create+revoke for ${DURATION} s."
    echo
    echo "| scenario | result | latency / ratio | notes |"
    echo "| --- | --- | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT"
log "written: $OUT"
cat "$OUT"
