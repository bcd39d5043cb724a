#!/usr/bin/env bash
# GitLab's REST API (/api/v4) driven by real GitLab clients: builds the jar, starts Patrol on a free port with a fresh
# embedded H2 in a temporary folder, reads the root token from the data folder (as the README says), runs the
# @gitbeaker/rest suite (src/test/clients/gitbeaker, node:test) and the python-gitlab suite (src/test/clients/python-gitlab, Debian's
# python3-gitlab 3.12, for the calls that version has), then checks that no token value reached the server's log.
# Installs Node.js, the suite's npm packages and python3-gitlab when missing; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n== %s\n' "$*"; }

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
    for candidate in /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/javac" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
            JAVA_HOME=$candidate
            break
        fi
    done
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "Installing Node.js and npm from Debian's packages"
    apt-get update -qq && apt-get install -y -qq nodejs npm
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
    echo "FATAL: the gitbeaker suite needs Node.js 18 or newer (node:test, fetch); found $(node --version)" >&2
    exit 1
fi

SUITE="$ROOT/src/test/clients/gitbeaker"
if ! /usr/bin/python3 -c 'import gitlab' 2>/dev/null; then
    log "Installing python3-gitlab from Debian's packages"
    apt-get update -qq && apt-get install -y -qq python3-gitlab
fi
if [ ! -d "$SUITE/node_modules/@gitbeaker/rest" ]; then
    log "Installing the suite's npm packages (no lockfile)"
    (cd "$SUITE" && npm install --no-package-lock --no-audit --no-fund --loglevel=error)
fi

JAR=$(ls "$ROOT"/target/patrol-*.jar 2>/dev/null | grep -v -- '-plain' | head -n1 || true)
if [ -z "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/db" "$ROOT/schema" -newer "$JAR" -type f 2>/dev/null | head -n1)" ]; then
    log "Building the jar"
    mvn -B -ntp -q package -Dmaven.test.skip=true
    JAR=$(ls "$ROOT"/target/patrol-*.jar | grep -v -- '-plain' | head -n1)
fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
SERVER_PID=
stop() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap stop EXIT

log "Starting Patrol on port $PORT (H2 in $WORK)"
PORT=$PORT PATROL_MANAGEMENT_PORT=0 PATROL_DATA_DIR="$WORK" \
    SPRING_DATASOURCE_URL="jdbc:h2:file:$WORK/patrol;MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;NON_KEYWORDS=VALUE,USER" \
    java -jar "$JAR" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
    if [ -s "$WORK/initial_root_token" ] && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "FATAL: Patrol did not start" >&2; exit 1; }
    sleep 1
done
[ -s "$WORK/initial_root_token" ] || { tail -n 50 "$WORK/server.log" >&2; echo "FATAL: no initial root token" >&2; exit 1; }

log "gitbeaker suite ($(node -p 'require("'"$SUITE"'/node_modules/@gitbeaker/rest/package.json").version'))"
(cd "$SUITE" && PATROL_URL="http://127.0.0.1:$PORT" PATROL_ROOT_TOKEN=$(cat "$WORK/initial_root_token") \
    node --test --test-reporter=spec)

log "python-gitlab suite ($(/usr/bin/python3 -c 'import gitlab; print(gitlab.__version__)'))"
(cd "$ROOT/src/test/clients/python-gitlab" && PATROL_URL="http://127.0.0.1:$PORT" \
    PATROL_ROOT_TOKEN=$(cat "$WORK/initial_root_token") /usr/bin/python3 -m unittest -v test_tokens)

log "No token value in the server's log"
if grep -nE '\bgl[a-z]+-[A-Za-z0-9]{20,}' "$WORK/server.log"; then
    echo "FATAL: a token value appears in the server log (lines above)" >&2
    exit 1
fi
echo "none"
