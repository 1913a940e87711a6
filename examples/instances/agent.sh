#!/bin/sh
# An instance agent: registers the instance with Reactor when it starts (retrying until the API
# answers), reports its load every REACTOR_METRICS_INTERVAL seconds, and unregisters when it is
# stopped (SIGTERM or SIGINT).
#
#   sh agent.sh                  report for this machine until stopped
#   sh agent.sh COMMAND [ARG...] run COMMAND (the application) too; stop when it exits
#
# Run it on each instance (a VM's boot script, a container's entry point, or the command of the
# `process` cloud, which sets every variable below). Environment:
#
#   REACTOR_API               the API (default http://127.0.0.1:8080)
#   REACTOR_INSTANCE_IP       the instance's address: requests leave from it (curl --interface),
#                             since the API knows an instance by the address a request comes from
#                             (default: whatever address the route to the API picks)
#   REACTOR_PORT              the port the application listens on; when set, `active` (its
#                             established TCP connections) is reported besides `load`
#   REACTOR_METRICS_INTERVAL  seconds between reports (default 10)
#   REACTOR_AUTH_KEY          the endpoint's key (or the admin key), needed for the metrics and
#                             the unregistration once either key is set
#
# Metrics posted to POST /v1.1/endpoint/metrics (the endpoint that confirmed this address):
#   load    1-minute load average (/proc/loadavg)
#   active  established connections to REACTOR_PORT on REACTOR_INSTANCE_IP (ss), when set
# each as [weight, value] with weight 1.
#
# Registering only queues the address: a manager confirms it when it belongs to an instance of
# an endpoint's cloud. Until then the metrics calls answer 404 ("no endpoint has confirmed the IP
# address ..."), which the agent prints and retries.
set -u

api=${REACTOR_API:-http://127.0.0.1:8080}
api=${api%/}
ip=${REACTOR_INSTANCE_IP:-}
port=${REACTOR_PORT:-}
key=${REACTOR_AUTH_KEY:-}
interval=${REACTOR_METRICS_INTERVAL:-10}
case $interval in '' | *[!0-9.]* | *.*.*) echo "agent: REACTOR_METRICS_INTERVAL must be a number of seconds" >&2; exit 64 ;; esac

body=$(mktemp) || exit 1
code=000
child=
sleeper=

say() { printf '%s agent%s: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "${ip:+ $ip}" "$*" >&2; }

# call METHOD PATH [JSON]: sets $code (000 when the API cannot be reached); the body is in $body.
call() {
    method=$1 path=$2 data=${3:-}
    set -- -s -m 5 -o "$body" -w '%{http_code}' -X "$method" -H 'Accept: application/json'
    if [ -n "$ip" ]; then set -- "$@" --interface "$ip"; fi
    if [ -n "$key" ]; then set -- "$@" -H "X-Auth-Key: $key"; fi
    if [ -n "$data" ]; then set -- "$@" -H 'Content-Type: application/json' --data "$data"; fi
    : >"$body"
    code=$(curl "$@" "$api$path" 2>/dev/null) || code=000
}

# What the API said, on one line.
message() { tr -d '\n' <"$body" | cut -c1-300; }

# Sleeps in the background so that a signal ends the wait at once.
pause() {
    sleep "$1" &
    sleeper=$!
    wait "$sleeper" 2>/dev/null
    sleeper=
}

stop() {
    trap - TERM INT
    if [ -n "$sleeper" ]; then kill "$sleeper" 2>/dev/null; fi
    if [ -n "$child" ]; then
        kill "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    call POST /v1.1/unregister
    case $code in
        200) say "unregistered" ;;
        000) say "cannot unregister: the API at $api does not answer" ;;
        *) say "unregister failed ($code): $(message)" ;;
    esac
    rm -f "$body"
    exit 0
}
trap stop TERM INT

register() {
    delay=1
    while :; do
        call POST /v1.1/register
        case $code in
            200) say "registered with $api"; return ;;
            000) say "the API at $api does not answer; trying again in ${delay}s" ;;
            *) say "register failed ($code): $(message); trying again in ${delay}s" ;;
        esac
        pause "$delay"
        if [ "$delay" -lt 30 ]; then delay=$((delay * 2)); fi
    done
}

metrics() {
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
    json="{\"load\": [1, ${load:-0}]"
    if [ -n "$port" ] && command -v ss >/dev/null 2>&1; then
        if [ -n "$ip" ]; then
            active=$(ss -Htn state established src "$ip" "( sport = :$port )" 2>/dev/null | wc -l)
        else
            active=$(ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l)
        fi
        json="$json, \"active\": [1, $active]"
    fi
    echo "$json}"
}

if [ $# -gt 0 ]; then
    "$@" &
    child=$!
    say "started $1 (pid $child)"
fi

register
last=
while :; do
    if [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null; then
        wait "$child" 2>/dev/null
        say "$1 exited (status $?)"
        child=
        stop
    fi
    sample=$(metrics)
    call POST /v1.1/endpoint/metrics "$sample"
    # Print what happened when it changes, not every interval.
    case $code in
        200) state="reporting $sample" ;;
        000) state="the API at $api does not answer" ;;
        404) state="not confirmed yet: $(message)" ;;
        401) state="metrics refused (401): set REACTOR_AUTH_KEY to the endpoint's key" ;;
        *) state="metrics failed ($code): $(message)" ;;
    esac
    case $code in
        200) if [ "${last%% *}" != reporting ]; then say "$state"; fi ;;
        *) if [ "$state" != "$last" ]; then say "$state"; fi ;;
    esac
    last=$state
    pause "$interval"
done
