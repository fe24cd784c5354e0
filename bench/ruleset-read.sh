#!/usr/bin/env bash
# Cost of merely reading a large ruleset: `portcullis ruleset dump` (netlink reader + JSON dump)
# vs `nft -j list ruleset`, side by side, in one run. The ruleset — 10,000 rules and a
# 100,000-element interval set — is loaded into a private network namespace; the root
# namespace's ruleset is never touched. Needs root, nft, python3 and /usr/bin/time (package `time`).
#
# Usage: bench/ruleset-read.sh [RULES] [ELEMENTS]     (defaults 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=${1:-10000}
ELEMENTS=${2:-100000}
NS="pcbench$$"
WORK=$(mktemp -d)
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
BIN=.build/release/portcullis
if [ ! -x "$BIN" ] || [ -n "$(find Sources -newer "$BIN" -name '*.swift' | head -1)" ]; then
  swift build -c release --static-swift-stdlib --product portcullis >&2
fi

python3 - "$RULES" "$ELEMENTS" > "$WORK/ruleset.nft" <<'PY'
import sys
rules, elements = int(sys.argv[1]), int(sys.argv[2])
out = ["table inet bench {", "  set blocklist {", "    type ipv4_addr; flags interval;", "    elements = {"]
# Disjoint /28 ranges spread over 10.0.0.0/8 (never adjacent, so nothing is merged).
elems = []
for i in range(elements):
    a = i * 32
    elems.append("10.%d.%d.%d/28" % ((a >> 16) & 255, (a >> 8) & 255, a & 255))
for i in range(0, len(elems), 500):
    out.append("      " + ", ".join(elems[i:i + 500]) + ",")
out[-1] = out[-1].rstrip(",")
out += ["    }", "  }"]
chains = 20
per = rules // chains
out += ["  chain input {", "    type filter hook input priority 0; policy drop;",
        "    ct state established,related accept", "    ip saddr @blocklist drop"]
for c in range(chains):
    out.append("    ip saddr 172.%d.0.0/16 jump c%d" % (16 + c % 16, c))
out.append("  }")
n = 2 + chains
for c in range(chains):
    out.append("  chain c%d {" % c)
    for r in range(per):
        if n >= rules: break
        k = c * per + r
        if k % 3 == 0:
            out.append("    ip saddr 192.168.%d.%d tcp dport %d accept" % (k // 256 % 256, k % 256, 1024 + k % 60000))
        elif k % 3 == 1:
            out.append("    iifname \"eth%d\" tcp dport { %d, %d } counter accept" % (k % 8, 2000 + k % 1000, 3000 + k % 1000))
        else:
            out.append("    ip6 saddr fd00:%x::/32 udp dport %d-%d drop" % (k, 5000 + k % 100, 6000 + k % 100))
        n += 1
    out.append("  }")
out.append("}")
print("\n".join(out))
PY

ip netns add "$NS"
echo "loading $RULES rules and a $ELEMENTS-element interval set into namespace $NS (nft -f) …" >&2
ip netns exec "$NS" nft -f "$WORK/ruleset.nft"
COUNT=$(ip netns exec "$NS" nft -a list ruleset | grep -c '# handle' || true)
echo "loaded: $COUNT handles listed by nft -a" >&2

measure() {  # label, command…  (stdout kept for its size; wall, CPU and peak RSS from time -v)
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/out" 2> "$WORK/err" || { echo "$label failed:"; cat "$WORK/err"; return 1; }
  awk -F': ' -v label="$label" -v bytes="$(stat -c %s "$WORK/out")" '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident set size/ { rss = $2 }
    END { printf "%-46s %8.2f s %8.2f s %8.2f s %9.1f MiB %10d\n", label, wall, user, sys, rss / 1024, bytes }' "$WORK/time.txt"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall time suffers on a busy machine; CPU time does not)"
printf '%-46s %10s %10s %10s %13s %10s\n' "command" "wall" "user" "sys" "peak RSS" "stdout B"
for run in 1 2 3; do
  measure "portcullis ruleset show --summary (read only)" "$BIN" ruleset show --summary --netns "$NS"
  measure "portcullis ruleset dump (read + JSON file)" "$BIN" ruleset dump --netns "$NS" --output "$WORK/out.json"
  measure "nft -j list ruleset" ip netns exec "$NS" nft -j list ruleset
done
"$BIN" ruleset dump --netns "$NS" --output "$WORK/check.json"
python3 - "$WORK/check.json" "$ELEMENTS" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["ruleset"]
rules = sum(len(c["rules"]) for t in rs["tables"] for c in t["chains"])
big = [s for t in rs["tables"] for s in t["sets"] if s["name"] == "blocklist"][0]
print("portcullis read %d rules; blocklist has %d ranges (expected %s)" % (rules, len(big["elements"]), sys.argv[2]))
PY
