#!/usr/bin/env bash
# Benchmark: enumerate 10,000 listening sockets with their owners.
# Opens N (default 10000) TCP listening sockets in a network namespace this script creates (one
# python3 process), then prints, side by side, wall time and peak memory (/usr/bin/time -v) of
#   portcullis listeners --format json --netns NS   (release build)
#   ip netns exec NS ss -ltnup
# Each is run RUNS times (default 3); every run is printed. Run as root. Cleans up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-10000}
RUNS=${RUNS:-3}
BIN=${PORTCULLIS:-.build/release/portcullis}
NS="pclsbench$$"
OUT=$(mktemp -d /tmp/pc-bench-listeners.XXXXXX)
PY_PID=""

cleanup() {
    if [ -n "$PY_PID" ]; then kill "$PY_PID" 2>/dev/null || true; wait "$PY_PID" 2>/dev/null || true; fi
    ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$OUT"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "bench/listeners.sh: needs root (network namespaces)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/listeners.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
if [ ! -x "$BIN" ]; then
    echo "building release binary…" >&2
    swift build -c release --static-swift-stdlib --product portcullis >&2
fi

ip netns add "$NS"
ip -n "$NS" link set lo up

ip netns exec "$NS" /usr/bin/python3 - "$N" > "$OUT/py.out" 2> "$OUT/py.err" <<'PY' &
import resource, socket, sys, time
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 256, n + 256))
socks = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("0.0.0.0", 20000 + i))
    s.listen(1)
    socks.append(s)
print("ready", flush=True)
time.sleep(3600)
PY
PY_PID=$!
for _ in $(seq 1 600); do
    grep -q ready "$OUT/py.out" 2>/dev/null && break
    kill -0 "$PY_PID" 2>/dev/null || { cat "$OUT/py.err" >&2; exit 1; }
    sleep 0.1
done
grep -q ready "$OUT/py.out" || { echo "listeners did not start" >&2; exit 1; }

# measure LABEL CMD… → prints "wall_seconds cpu_seconds max_rss_kib" and keeps stdout in $OUT/LABEL.out
# (cpu = user + system: the figure that does not depend on what else the machine is running)
measure() {
    local label=$1; shift
    /usr/bin/time -v -o "$OUT/$label.time" "$@" > "$OUT/$label.out" 2> "$OUT/$label.err"
    local wall rss user sys
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$label.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$label.time")
    user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$OUT/$label.time")
    sys=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$OUT/$label.time")
    # wall is m:ss.ss (or h:mm:ss)
    python3 -c 'import sys; p=[float(x) for x in sys.argv[1].split(":")]; s=sum(v*60**i for i,v in enumerate(reversed(p))); print(f"{s:.3f} {float(sys.argv[3])+float(sys.argv[4]):.2f} {int(sys.argv[2])}")' "$wall" "$rss" "$user" "$sys"
}

# Sanity: both see every socket, and portcullis found the owner of each.
measure warm "$BIN" listeners --format json --netns "$NS" >/dev/null
python3 - "$OUT/warm.out" "$N" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
mine = [l for l in doc["listeners"] if 20000 <= l["port"] < 20000 + n]
owned = sum(1 for l in mine if l["processes"])
assert len(mine) == n, f"portcullis listed {len(mine)} of {n} sockets"
assert owned == n, f"portcullis found owners of {owned} of {n} sockets"
PY
ip netns exec "$NS" ss -ltnup > "$OUT/ss-check.out"
SS_COUNT=$(grep -c 'pid=' "$OUT/ss-check.out" || true)
[ "$SS_COUNT" -ge "$N" ] || { echo "ss listed $SS_COUNT owned sockets, expected $N" >&2; exit 1; }

echo "Listening sockets: $N TCP in namespace $NS (one python3 owner); kernel $(uname -r); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "                portcullis listeners --format json --netns NS  |  ip netns exec NS ss -ltnup"
printf '%-5s  %9s %9s %12s  |  %9s %9s %12s\n' run "wall (s)" "cpu (s)" "peak RSS MiB" "wall (s)" "cpu (s)" "peak RSS MiB"
for i in $(seq 1 "$RUNS"); do
    read -r pt pc pm < <(measure portcullis "$BIN" listeners --format json --netns "$NS")
    read -r st sc sm < <(measure ss ip netns exec "$NS" ss -ltnup)
    printf '%-5s  %9s %9s %12.1f  |  %9s %9s %12.1f\n' "$i" "$pt" "$pc" "$(awk -v k="$pm" 'BEGIN{print k/1024}')" "$st" "$sc" "$(awk -v k="$sm" 'BEGIN{print k/1024}')"
done
echo "(portcullis includes reading the namespace's nf_tables ruleset and the exposure of every socket; output $(wc -c < "$OUT/portcullis.out") bytes JSON)"
