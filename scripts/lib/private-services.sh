# Private, throw-away services for scripts and benchmarks (sourced, not run): a standalone
# ZooKeeper from Debian's package on a free loopback port with its own data directory, and
# helpers to find free ports and wait for HTTP servers. Nothing here touches system config.
#
#   source scripts/lib/private-services.sh
#   port=$(free_port)
#   start_zookeeper "$work"          # needs $reactor; sets zk_pid and zk_hosts (127.0.0.1:PORT)
#   wait_for_http "http://127.0.0.1:$port/" 30 || exit 1

# A TCP port nobody listens on right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts ZooKeeper with its data and log under DIR (`reactor zookeeper run`, which writes its
# zoo.cfg; $reactor must name the reactor binary); waits until it serves (up to 30 s).
# Sets zk_pid and zk_hosts; returns non-zero (after printing the log tail) if it did not start.
start_zookeeper() {
    local dir=$1 port ready=""
    port=$(free_port)
    "$reactor" zookeeper run --dir "$dir/zk" --port "$port" --no-fsync > "$dir/zk.log" 2>&1 &
    zk_pid=$!
    zk_hosts="127.0.0.1:$port"
    for _ in $(seq 1 300); do
        ready=$(python3 - "$port" <<'PY' 2>/dev/null || true
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"srvr")
print("yes" if b"Mode: standalone" in s.recv(4096) else "")
PY
)
        [ "$ready" = yes ] && return 0
        sleep 0.1
    done
    echo "ZooKeeper did not start:" >&2
    tail -20 "$dir/zk.log" >&2
    return 1
}

# Waits until URL answers any HTTP status, for up to SECONDS (default 30).
wait_for_http() {
    local url=$1 seconds=${2:-30}
    for _ in $(seq 1 $((seconds * 10))); do
        curl -s -o /dev/null --max-time 1 "$url" && return 0
        sleep 0.1
    done
    return 1
}

# Stops PID with SIGTERM, then SIGKILL after SECONDS (default 10). Returns the process's exit
# status when it was our child and exited on its own, 137 when it had to be killed.
stop_process() {
    local pid=$1 seconds=${2:-10}
    local status=0
    if ! kill -TERM "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || status=$?  # already gone: report how it ended
        return $status
    fi
    for _ in $(seq 1 $((seconds * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        return 137
    fi
    wait "$pid" 2>/dev/null || status=$?
    return $status
}
