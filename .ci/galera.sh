#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback, for Patrol's cluster tests and benchmark.
# Usage: .ci/galera.sh start|stop|kill N|leave N|rejoin N|status|url
#
#   node N (1..3): SQL port 331N, group communication 457N, IST 458N, SST (rsync) 459N, all on 127.0.0.1;
#   datadir, socket, config and log under $PATROL_CLUSTER_DIR/nN (default /tmp/patrol-galera).
#   start    installs galera-4, mariadb-server and rsync when missing, bootstraps node 1, joins 2 and 3 (SST),
#            waits until wsrep_cluster_size = 3 and every node is Synced
#   stop     stops every node this harness started (by the PIDs it recorded) and removes the directory
#   kill N   SIGKILLs node N (as a crash would), leaves its datadir for rejoin
#   leave N  stops node N cleanly (SIGTERM): it leaves the cluster, which stays primary even with one node left
#   rejoin N starts node N again, joining the running cluster (IST, or SST when IST cannot serve it), and waits
#            until it is Synced
#   status   one line per node: port, PID, cluster size and local state
#   url      the multi-host Connector/J URL for database $2 (default patrol)
# Every node runs with its own --defaults-file: the machine's own MariaDB (3306, /etc/mysql, /var/lib/mysql,
# /run/mysqld) is never read or touched.
set -euo pipefail

DIR="${PATROL_CLUSTER_DIR:-/tmp/patrol-galera}"
NODES=(1 2 3)
PROVIDER=""
MARIADB="$(command -v mariadb || echo /usr/bin/mariadb)"
# As root the nodes run as mysql: the rsync daemon of an SST, started by root, would drop to nobody and could not
# write a root-owned datadir.
RUN_AS=$(id -un); [ "$RUN_AS" = root ] && RUN_AS=mysql

log() { printf '[galera %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

sql_port() { echo $((3310 + $1)); }
node_dir() { echo "$DIR/n$1"; }
pid_of() { cat "$(node_dir "$1")/mariadbd.pid.harness" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
sql() { "$MARIADB" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$(sql_port "$1")" -u root -N -B -e "$2" 2>/dev/null; }
status_var() { sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }

install_packages() {
    local missing=()
    [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
    find_provider >/dev/null || missing+=(galera-4)
    command -v rsync >/dev/null || missing+=(rsync)
    # the rsync SST script looks for its listener with lsof or ss, and for its parent with ps
    command -v lsof >/dev/null || command -v ss >/dev/null || missing+=(iproute2)
    command -v ps >/dev/null || missing+=(procps)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        # the package's own service must not start on 3306 if none runs there yet: policy-rc.d keeps it down
        local policy=/usr/sbin/policy-rc.d created=""
        if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        [ -n "$created" ] && rm -f "$policy"
    fi
    PROVIDER=$(find_provider) || die "the Galera provider library (galera-4) is missing"
}

find_provider() {
    local lib
    for lib in /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so /usr/lib64/galera-4/libgalera_smm.so; do
        [ -f "$lib" ] && { echo "$lib"; return 0; }
    done
    return 1
}

write_config() {
    local n="$1" d; d=$(node_dir "$n")
    cat >"$d/my.cnf" <<EOF
[mysqld]
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mariadbd.pid
log-error=$d/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
user=$RUN_AS
skip-name-resolve
skip-log-bin
performance_schema=OFF
max_connections=300
innodb_buffer_pool_size=128M
innodb_log_file_size=64M
innodb_flush_log_at_trx_commit=2
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=patrol_test
wsrep_cluster_address=gcomm://127.0.0.1:4571,127.0.0.1:4572,127.0.0.1:4573
wsrep_node_name=n$n
wsrep_node_address=127.0.0.1:$((4570 + n))
wsrep_node_incoming_address=127.0.0.1:$(sql_port "$n")
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4590 + n))
wsrep_slave_threads=2
# A dead peer is declared dead after 1.5 s instead of 5 s: until then the survivors' commits wait for it.
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$((4570 + n));ist.recv_addr=127.0.0.1:$((4580 + n));gcache.size=128M;evs.keepalive_period=PT0.3S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT1.5S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S;gmcast.peer_timeout=PT1S;pc.wait_prim_timeout=PT10S"
EOF
}

launch() {
    local n="$1" extra="${2:-}" d; d=$(node_dir "$n")
    if alive "$n"; then log "node $n already runs (PID $(pid_of "$n"))"; return; fi
    write_config "$n"
    # shellcheck disable=SC2086
    nohup /usr/sbin/mariadbd --defaults-file="$d/my.cnf" $extra >>"$d/stdout.log" 2>&1 </dev/null &
    echo $! >"$d/mariadbd.pid.harness"
    log "node $n started (PID $!, port $(sql_port "$n"))"
}

wait_synced() {
    local n="$1" want_size="$2" deadline=$((SECONDS + ${3:-120})) state size
    while [ $SECONDS -lt $deadline ]; do
        alive "$n" || { tail -n 30 "$(node_dir "$n")/error.log" >&2; die "node $n exited while starting"; }
        state=$(status_var "$n" wsrep_local_state_comment || true)
        size=$(status_var "$n" wsrep_cluster_size || true)
        if [ "$state" = Synced ] && [ -n "$size" ] && [ "$size" -ge "$want_size" ]; then
            log "node $n: Synced, cluster size $size"
            return 0
        fi
        sleep 0.5
    done
    tail -n 30 "$(node_dir "$n")/error.log" >&2
    die "node $n did not reach Synced with cluster size $want_size"
}

cluster_size() { local n; for n in "${NODES[@]}"; do alive "$n" && { status_var "$n" wsrep_cluster_size; return; }; done; echo 0; }

check_ports_free() {
    local n port
    for n in "${NODES[@]}"; do
        for port in $(sql_port "$n") $((4570 + n)) $((4580 + n)) $((4590 + n)); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                die "port $port is in use (another cluster? try: $0 stop)"
            fi
        done
    done
}

start() {
    install_packages
    if [ -d "$DIR" ] && alive 1 && alive 2 && alive 3; then log "the cluster already runs"; status; return; fi
    [ -d "$DIR" ] && stop_all
    check_ports_free
    mkdir -p "$DIR"
    local template="$DIR/template" n
    log "creating the system tables"
    mariadb-install-db --no-defaults --datadir="$template" --user="$RUN_AS" --auth-root-authentication-method=normal \
        --skip-test-db >"$DIR/install-db.log" 2>&1 || { cat "$DIR/install-db.log" >&2; die "mariadb-install-db failed"; }
    for n in "${NODES[@]}"; do
        mkdir -p "$(node_dir "$n")"
        cp -a "$template" "$(node_dir "$n")/data"
    done
    rm -rf "$template"
    chown -R "$RUN_AS" "$DIR"
    launch 1 --wsrep-new-cluster
    wait_synced 1 1
    # the install gave root@localhost no password; with skip-name-resolve TCP clients come as 127.0.0.1
    sql 1 "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION" \
        || "$MARIADB" --no-defaults -S "$(node_dir 1)/mysqld.sock" -u root -e \
            "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION"
    launch 2
    launch 3
    wait_synced 2 3
    wait_synced 3 3
    log "cluster ready: $(url patrol)"
}

stop_node() {
    local n="$1" signal="${2:-TERM}" pid d; d=$(node_dir "$n"); pid=$(pid_of "$n")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "-$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    # an rsync daemon serving or receiving an SST outlives a killed node: stop it by the PID file it left
    local f spid
    for f in "$d"/data/rsync_sst.pid "$d"/data/*.pid.sst; do
        [ -f "$f" ] || continue
        spid=$(cat "$f" 2>/dev/null || true)
        [ -n "$spid" ] && kill -KILL "$spid" 2>/dev/null || true
        rm -f "$f"
    done
    rm -f "$d/mariadbd.pid.harness"
}

stop_all() {
    local n
    for n in "${NODES[@]}"; do stop_node "$n" TERM & done
    wait
    rm -rf "$DIR"
    log "stopped"
}

kill_node() {
    local n="$1" pid; pid=$(pid_of "$n")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || die "node $n does not run"
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$(node_dir "$n")/mariadbd.pid.harness"
    log "node $n killed (SIGKILL, PID $pid)"
}

rejoin() {
    local n="$1"
    alive "$n" && die "node $n runs already"
    PROVIDER=$(find_provider) || die "galera-4 is missing"
    local survivors; survivors=$(cluster_size)
    launch "$n"
    wait_synced "$n" $((survivors + 1))
}

status() {
    local n
    for n in "${NODES[@]}"; do
        if alive "$n"; then
            printf 'node %s: port %s, PID %s, cluster size %s, %s\n' "$n" "$(sql_port "$n")" "$(pid_of "$n")" \
                "$(status_var "$n" wsrep_cluster_size || echo '?')" "$(status_var "$n" wsrep_local_state_comment || echo '?')"
        else
            printf 'node %s: port %s, down\n' "$n" "$(sql_port "$n")"
        fi
    done
}

url() {
    echo "jdbc:mysql://127.0.0.1:3311,127.0.0.1:3312,127.0.0.1:3313/${1:-patrol}"
}

case "${1:-}" in
    start) start ;;
    stop) stop_all ;;
    kill) [ -n "${2:-}" ] || die "which node?"; kill_node "$2" ;;
    leave) [ -n "${2:-}" ] || die "which node?"; alive "$2" || die "node $2 does not run"; stop_node "$2" TERM
        log "node $2 left the cluster" ;;
    rejoin) [ -n "${2:-}" ] || die "which node?"; rejoin "$2" ;;
    status) status ;;
    url) url "${2:-patrol}" ;;
    *) sed -n 2,19p "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
