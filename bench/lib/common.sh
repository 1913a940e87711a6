# What the bench scripts share (sourced, not run): which binaries they measure and the smoke mode.
#
#   source bench/lib/common.sh
#   reactor=$(bench_binary reactor)       # or zk-bench
#   if [ "$smoke" = 1 ]; then ...; fi
#
# BENCH_SMOKE=1 makes a bench a quick check that it still runs: tiny counts and durations, a
# debug build, its figures printed and no target judged (docs/benchmarks.md).
#
# Binaries: $REACTOR (reactor) and $ZK_BENCH (zk-bench, else the zk-bench beside $REACTOR) when
# set. Otherwise a full run builds this tree in release, and a smoke run takes .build/debug,
# building the product there only when it is missing (never a release build). Builds are taken
# under `flock $SWIFT_BUILD_LOCK` when that variable names a lock file (several checkouts sharing
# one machine's cores).

smoke=0
[ "${BENCH_SMOKE:-0}" = 1 ] && smoke=1

# bench_build ARGS...: `swift build ARGS...`, under the build lock when there is one; output
# to stderr.
bench_build() {
    local lock=${SWIFT_BUILD_LOCK:-}
    if [ -n "$lock" ]; then
        flock "$lock" swift build "$@" >&2
    else
        swift build "$@" >&2
    fi
}

# bench_binary PRODUCT: prints the path of the PRODUCT (reactor or zk-bench) binary to measure,
# building it when needed (see above).
bench_binary() {
    local product=$1
    if [ "$product" = reactor ] && [ -n "${REACTOR:-}" ]; then
        echo "$REACTOR"
        return
    fi
    if [ "$product" = zk-bench ]; then
        if [ -n "${ZK_BENCH:-}" ]; then
            echo "$ZK_BENCH"
            return
        fi
        if [ -n "${REACTOR:-}" ] && [ -x "$(dirname "$REACTOR")/zk-bench" ]; then
            echo "$(dirname "$REACTOR")/zk-bench"
            return
        fi
    fi
    if [ "$smoke" = 1 ]; then
        if [ ! -x ".build/debug/$product" ]; then
            echo "building $product (debug) ..." >&2
            bench_build --product "$product" || return 1
        fi
        echo "$PWD/.build/debug/$product"
    else
        echo "building $product (release) ..." >&2
        bench_build -c release --product "$product" || return 1
        echo "$(swift build -c release --show-bin-path)/$product"
    fi
}

# bench_verdict MET MESSAGE_MET MESSAGE_MISSED: prints whether the target was met and returns
# non-zero when it was missed; a smoke run says its figures are not judged and returns 0.
bench_verdict() {
    if [ "$smoke" = 1 ]; then
        echo "smoke run: figures from tiny counts, target not judged"
        return 0
    fi
    if [ "$1" = 1 ]; then
        echo "target met: $2"
    else
        echo "target missed: $3"
        return 1
    fi
}

# kill_instance_groups DIR: SIGKILLs the process group of every process-cloud instance whose pid
# file ("<endpoint>/<instance> PID STARTTIME") is under DIR/reactor-instances (the managers ran
# with TMPDIR=DIR/). Instances run in sessions of their own: stopping a manager does not end
# them. A pid now held by a process that started at another time is left alone.
kill_instance_groups() {
    local file pid started now
    for file in "$1"/reactor-instances/*/*.pid; do
        [ -f "$file" ] || continue
        read -r _ pid started _ < "$file" || true
        [[ $pid =~ ^[1-9][0-9]*$ ]] || continue
        if [ -r "/proc/$pid/stat" ]; then
            now=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}')
            [ -n "$now" ] && [ "$now" != "$started" ] && continue
        fi
        kill -KILL -- "-$pid" 2>/dev/null
    done
    return 0
}
