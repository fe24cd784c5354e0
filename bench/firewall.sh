#!/usr/bin/env bash
# Benchmark: the cost of answering "is inbound TCP 443 open?" on a large ruleset.
#
# Loads, inside a network namespace this script creates (never the host's ruleset), 10,000 rules
# and a 100,000-element interval set, then runs side by side, measured by GNU time:
#   portcullis firewall --format json --netns NS   (read over netlink + symbolic summary, v4 and v6)
#   ip netns exec NS nft -j list ruleset            (merely reading it)
#   bench/c/setdump                                 (the floor: dumping the set's elements, nothing else)
# Target: portcullis in at most 1/3 of the time and 1/4 of the peak memory of nft.
#
# Usage (root): bench/firewall.sh [RULES] [ELEMENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=${1:-10000}
ELEMENTS=${2:-100000}
[ "$(id -u)" = 0 ] || { echo "bench/firewall.sh: needs root (network namespaces)" >&2; exit 4; }
[ -x /usr/bin/time ] || { echo "bench/firewall.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 4; }

WORK="$(mktemp -d)"
# Release build with the Swift runtime linked in, as README builds it.
swift build -c release --static-swift-stdlib --product portcullis >/dev/null
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/portcullis"
# The floor: a C program that only dumps the big set's elements over netlink and discards them.
CC=${CC:-$(command -v cc || command -v clang)}
"$CC" -O2 -o "$WORK/setdump" bench/c/setdump.c -lmnl

NS="pcfwbench$$-$RANDOM"
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up

# The ruleset: an interval set of ELEMENTS disjoint IPv4 ranges, a drop rule on it, and RULES rules
# of the shapes real rulesets use (source prefixes and ports, sets, jumps to per-service chains).
python3 - "$RULES" "$ELEMENTS" > "$WORK/ruleset.nft" <<'PY'
import sys
rules, elements = int(sys.argv[1]), int(sys.argv[2])
out = []
out.append("table inet bench {")
out.append("  set blocked { type ipv4_addr; flags interval; elements = {")
base = 11 << 24
chunk = []
for i in range(elements):
    a = base + i * 16
    b = a + 7
    f = lambda x: "%d.%d.%d.%d" % (x >> 24, x >> 16 & 255, x >> 8 & 255, x & 255)
    chunk.append("%s-%s" % (f(a), f(b)))
    if len(chunk) == 1000:
        out.append("    " + ", ".join(chunk) + ",")
        chunk = []
if chunk: out.append("    " + ", ".join(chunk))
out.append("  } }")
services = 50
for s in range(services):
    out.append("  chain svc%d {" % s)
    out.append("    ip saddr 10.%d.0.0/16 accept" % s)
    out.append("    ip6 saddr fd00:%x::/32 accept" % s)
    out.append("  }")
out.append("  chain input { type filter hook input priority 0; policy drop;")
out.append("    ct state established,related accept")
out.append("    meta l4proto ipv6-icmp accept")
out.append("    ip saddr @blocked drop")
n = 4
i = 0
while n < rules:
    kind = i % 5
    host = "172.%d.%d.%d" % (16 + (i >> 16) % 16, (i >> 8) & 255, i & 255)
    if kind == 0:
        out.append("    ip saddr %s tcp dport %d accept" % (host, 1024 + i % 60000))
    elif kind == 1:
        out.append("    tcp dport %d ip saddr 192.168.%d.0/24 drop" % (1024 + (i * 7) % 60000, i % 256))
    elif kind == 2:
        out.append("    ip6 saddr fd%02x:%x::/48 tcp dport { %d, %d } accept" % (i % 256, i, 2000 + i % 5000, 3000 + i % 5000))
    elif kind == 3:
        out.append("    iifname \"veth%d\" tcp dport %d counter accept" % (i % 1000, 5000 + i % 1000))
    else:
        out.append("    tcp dport %d jump svc%d" % (20000 + i % 40000, i % services))
    n += 1
    i += 1
out.append("    ip saddr 203.0.113.0/24 tcp dport 443 accept")
out.append("    tcp dport 443 jump svc7")
out.append("  }")
out.append("}")
print("\n".join(out))
PY
echo "loading $(grep -c '' "$WORK/ruleset.nft") lines ($RULES rules, $ELEMENTS interval elements) into namespace $NS …"
ip netns exec "$NS" nft -f "$WORK/ruleset.nft"
echo "loaded: $(ip netns exec "$NS" nft -a list chain inet bench input | grep -c 'handle') rules in input"

measure() {  # label, command… → "label seconds maxrss_kib user sys"
    local label=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" || {
        echo "$label failed: $(head -c 400 "$WORK/$label.err")" >&2; exit 1; }
    read -r secs kib user sys < "$WORK/time"
    echo "$label $secs $kib $user $sys"
}

# Warm caches once, then take the best of 3 runs of each.
"$BIN" firewall --format json --netns "$NS" > /dev/null
ip netns exec "$NS" nft -j list ruleset > /dev/null
best() {  # best wall time of 3 runs, with that run's user/sys; lowest peak RSS
    local label=$1; shift
    local bs="" bk="" bu="" bsys=""
    for _ in 1 2 3; do
        read -r _ s k u y < <(measure "$label" "$@")
        if [ -z "$bs" ] || awk "BEGIN{exit !($s < $bs)}"; then bs=$s; bu=$u; bsys=$y; fi
        if [ -z "$bk" ] || [ "$k" -lt "$bk" ]; then bk=$k; fi
    done
    echo "$bs $bk $bu $bsys"
}
read -r pt pm pu ps < <(best portcullis "$BIN" firewall --format json --netns "$NS")
read -r nt nm nu ns < <(best nft ip netns exec "$NS" nft -j list ruleset)
read -r ft fm fu fs < <(best floor ip netns exec "$NS" "$WORK/setdump" inet bench blocked)

printf '\n%-48s %9s %9s %9s %15s\n' "command (best of 3)" "wall (s)" "user (s)" "sys (s)" "peak RSS (MiB)"
printf '%-48s %9s %9s %9s %15.1f\n' "portcullis firewall --format json --netns NS" "$pt" "$pu" "$ps" "$(awk "BEGIN{print $pm/1024}")"
printf '%-48s %9s %9s %9s %15.1f\n' "ip netns exec NS nft -j list ruleset" "$nt" "$nu" "$ns" "$(awk "BEGIN{print $nm/1024}")"
printf '%-48s %9s %9s %9s %15.1f\n' "floor: bench/c/setdump (the set's dump alone)" "$ft" "$fu" "$fs" "$(awk "BEGIN{print $fm/1024}")"
awk -v pt="$pt" -v nt="$nt" -v pm="$pm" -v nm="$nm" -v pu="$pu" -v nu="$nu" 'BEGIN {
    printf "ratio portcullis/nft: wall time %.2f (target <= 0.33), user time %.2f, peak memory %.2f (target <= 0.25)\n", pt / nt, (nu > 0 ? pu / nu : 0), pm / nm
}'
awk -v ft="$ft" -v nt="$nt" 'BEGIN { printf "floor/nft: %.2f — no netlink reader can go below the floor line\n", ft / nt }'
echo "(the floor is the kernel's element dump: its rbtree walk restarts for every 32 KiB netlink"
echo " batch, quadratic in the set size, and the batch size is capped by the kernel.)"
echo
echo "portcullis answer (ipv4/ipv6 verdicts):"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k: (d[k]["verdict"], d[k]["acceptedFrom"][:4]) for k in ("ipv4","ipv6")})' "$WORK/portcullis.out"
