#!/usr/bin/env bash
# CI pass 3: the cluster suite (JUnit tag "cluster") against a three-node MariaDB Galera cluster on loopback
# (.ci/galera.sh installs galera-4, mariadb-server and rsync when missing). The harness is stopped whatever
# happens. Expects JAVA_HOME and mvn as .ci/run sets them up.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

stop_cluster() { .ci/galera.sh stop || true; }
trap stop_cluster EXIT

log "Starting a three-node Galera cluster on 127.0.0.1:3311-3313"
.ci/galera.sh start
.ci/galera.sh status

log "Test pass 3: two Patrol instances on the Galera cluster (tag cluster)"
mvn -B -ntp test -Dpatrol.excludedGroups= -Dgroups=cluster -Dsurefire.failIfNoSpecifiedTests=false
