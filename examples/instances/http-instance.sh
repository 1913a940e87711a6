#!/bin/sh
# A demo instance for the `process` cloud: serves HTTP on its own loopback address, registers
# with Reactor once it listens, and unregisters when it is stopped.
#
#   [cloud:process]
#   command = sh /path/to/examples/instances/http-instance.sh
#
# Reactor sets REACTOR_INSTANCE_IP, REACTOR_PORT, REACTOR_API, REACTOR_INSTANCE_ID, REACTOR_ENDPOINT.
set -u
port=${REACTOR_PORT:-8000}
dir=$(mktemp -d)
printf 'instance %s of %s\n' "$REACTOR_INSTANCE_ID" "${REACTOR_ENDPOINT:-}" > "$dir/index.html"
cd "$dir"
python3 -m http.server --bind "$REACTOR_INSTANCE_IP" "$port" >/dev/null 2>&1 &
server=$!
stop() {
    curl -s -m 2 --interface "$REACTOR_INSTANCE_IP" -X POST "$REACTOR_API/v1.1/unregister" >/dev/null
    kill "$server" 2>/dev/null
    rm -rf "$dir"
    exit 0
}
trap stop TERM INT
for _ in $(seq 1 100); do
    curl -s -o /dev/null -m 1 "http://$REACTOR_INSTANCE_IP:$port/" && break
    sleep 0.1
done
curl -s -m 5 --interface "$REACTOR_INSTANCE_IP" -X POST "$REACTOR_API/v1.1/register" >/dev/null
echo "registered $REACTOR_INSTANCE_IP:$port"
wait "$server"
