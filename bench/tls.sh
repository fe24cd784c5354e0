#!/usr/bin/env bash
# TLS probe benchmark: portcullis probe vs sslyze, sslscan and testssl.sh, side by side,
# against the same local endpoints (nginx: TLS 1.3 only, Mozilla intermediate, legacy TLS 1.0/1.1),
# each run as Debian's stock nginx.conf runs it: a master process and `worker_processes auto` (one
# worker per core). (Until 2026-11-29 the endpoints ran with `master_process off`, which ignores
# `worker_processes` and serves every handshake from one process, unlike any real deployment.)
#
# Everything runs inside a private network namespace (servers on its 127.0.0.1, tools inside it);
# an nftables table in that namespace counts the SYNs each tool sends to each endpoint. Peak memory
# is the max RSS of the tool's largest process, wall time a monotonic clock around the tool alone
# (bench/tls_run.py). The root namespace's
# ruleset is never touched.
#
# Usage: bench/tls.sh [--skip-testssl] [--runs N]
# Needs root (netns, nft). Installs sslyze into bench/.venv (PyPI) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SKIP_TESTSSL=0
RUNS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-testssl) SKIP_TESTSSL=1 ;;
    --runs) RUNS=$2; shift ;;
    *) echo "usage: $0 [--skip-testssl] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done

for tool in nginx openssl nft ip sslscan testssl python3; do
  command -v "$tool" >/dev/null || { echo "bench/tls.sh: missing $tool (apt-get install nginx-light openssl nftables iproute2 sslscan testssl.sh python3-venv)" >&2; exit 2; }
done
if [ ! -x bench/.venv/bin/sslyze ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q sslyze
fi

# Release build with the Swift runtime linked in (as shipped): halves process start-up.
echo "building portcullis (release, static Swift stdlib)…" >&2
swift build -c release --static-swift-stdlib --product portcullis >/dev/null
PORTCULLIS=$(swift build -c release --static-swift-stdlib --show-bin-path)/portcullis

OUT=$ROOT/bench/out/tls-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d /tmp/pc-bench-XXXXXX)
NS=pcbench$$
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
inns() { ip netns exec "$NS" "$@"; }

# --- PKI: root CA → intermediate → RSA-2048 leaf for localhost, valid 365 days ---------------
cd "$WORK"
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -subj "/CN=Bench Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "/CN=Bench Intermediate CA" 2>/dev/null
printf "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n" > ca.ext
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3650 -extfile ca.ext -out inter.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=localhost" 2>/dev/null
printf "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n" > leaf.ext
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 365 -extfile leaf.ext -out leaf.pem 2>/dev/null
cat leaf.pem inter.pem > chain.pem

# --- Endpoints ---------------------------------------------------------------------------------
pick_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A PORT
start_nginx() { # name, server directives
  local name=$1 body=$2 port h2=""
  [ "$name" = tls13 ] && h2=" http2"
  port=$(inns python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/$name"
  cat > "$WORK/$name/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes auto;
pid $WORK/$name/nginx.pid;
error_log $WORK/$name/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/$name/body; proxy_temp_path $WORK/$name/proxy; fastcgi_temp_path $WORK/$name/fcgi;
  uwsgi_temp_path $WORK/$name/uwsgi; scgi_temp_path $WORK/$name/scgi;
  server {
    listen 127.0.0.1:$port ssl$h2;
    server_name localhost;
    ssl_certificate $WORK/chain.pem;
    ssl_certificate_key $WORK/leaf.key;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
$body
    location / { return 200 "ok\n"; }
  }
}
CONF
  inns nginx -e stderr -p "$WORK/$name" -c "$WORK/$name/nginx.conf" 2>"$WORK/$name/stderr.log" &
  PIDS+=($!)
  PORT[$name]=$port
}
start_nginx tls13 '    ssl_protocols TLSv1.3;
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;'
start_nginx intermediate '    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;
    add_header Strict-Transport-Security "max-age=63072000" always;'
start_nginx legacy '    ssl_protocols TLSv1 TLSv1.1;
    ssl_ciphers ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0;
    ssl_prefer_server_ciphers on;'
ENDPOINTS=(tls13 intermediate legacy)
for e in "${ENDPOINTS[@]}"; do
  for i in $(seq 1 100); do
    inns bash -c "exec 3<>/dev/tcp/127.0.0.1/${PORT[$e]}" 2>/dev/null && break
    sleep 0.05
  done
done

# --- SYN counters: one rule per endpoint port, in the namespace only -------------------------------
{
  echo "table inet bench {"
  echo "  chain input { type filter hook input priority 0; policy accept;"
  for e in "${ENDPOINTS[@]}"; do echo "    tcp dport ${PORT[$e]} tcp flags & (syn | ack) == syn counter comment \"$e\""; done
  echo "  }"
  echo "}"
} | inns nft -f -
syns() { # endpoint → SYN count so far
  inns nft list chain inet bench input | awk -v c="\"$1\"" '$0 ~ c { for (i=1;i<=NF;i++) if ($i=="packets") print $(i+1) }'
}

# --- Ground truth (from the configurations above) ---------------------------------------------
NOT_AFTER=$(openssl x509 -in leaf.pem -noout -enddate | cut -d= -f2)
cat > "$OUT/truth.json" <<JSON
{
  "tls13": {"protocols": ["tls1.3"],
            "suites": {"tls1.3": ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]},
            "groups": ["x25519", "secp256r1", "secp384r1"],
            "key": "RSA 2048", "notAfter": "$NOT_AFTER", "hstsMaxAge": 63072000, "h2": true},
  "intermediate": {"protocols": ["tls1.2", "tls1.3"],
            "suites": {"tls1.3": ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
                       "tls1.2": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]},
            "serverOrder": false, "groups": ["x25519", "secp256r1", "secp384r1"],
            "key": "RSA 2048", "notAfter": "$NOT_AFTER", "hstsMaxAge": 63072000, "h2": false,
            "secureRenegotiation": true, "fallbackScsv": true},
  "legacy": {"protocols": ["tls1.0", "tls1.1"],
            "suites": {"tls1.0": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"],
                       "tls1.1": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"]},
            "serverOrder": true, "groups": ["x25519", "secp256r1", "secp384r1"],
            "key": "RSA 2048", "notAfter": "$NOT_AFTER", "hstsMaxAge": null, "h2": false,
            "secureRenegotiation": true, "fallbackScsv": true}
}
JSON
openssl ciphers -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' > "$OUT/openssl-names.txt"

# --- Runs --------------------------------------------------------------------------------------
TOOLS=(portcullis sslyze sslscan)
[ "$SKIP_TESTSSL" = 1 ] || TOOLS+=(testssl)
run_tool() { # tool endpoint port outfile
  local tool=$1 e=$2 port=$3 out=$4
  local timed=(inns python3 "$ROOT/bench/tls_run.py" "$out.time")
  case $tool in
    portcullis) "${timed[@]}" "$out.json" "$out.err" -- "$PORTCULLIS" probe "127.0.0.1:$port" --sni localhost \
                  --ca-file "$WORK/root.pem" --format json ;;
    sslyze) "${timed[@]}" "$out.txt" "$out.err" -- "$ROOT/bench/.venv/bin/sslyze" --quiet --json_out="$out.json" \
                  --certinfo --certinfo_ca_file "$WORK/root.pem" --sslv2 --sslv3 --tlsv1 --tlsv1_1 --tlsv1_2 --tlsv1_3 \
                  --reneg --fallback --http_headers --elliptic_curves --compression "localhost:$port{127.0.0.1}" ;;
    sslscan) "${timed[@]}" "$out.txt" "$out.err" -- sslscan --no-colour --show-certificate --xml="$out.xml" \
                  --sni-name=localhost "127.0.0.1:$port" ;;
    testssl) "${timed[@]}" "$out.txt" "$out.err" -- testssl --quiet --color 0 --warnings off --ip 127.0.0.1 \
                  --add-ca "$WORK/root.pem" -p -E -P -S -h -R -Z -f --jsonfile "$out.json" "https://localhost:$port" ;;
  esac
}
# Warm-up, untimed: every tool but testssl.sh (90 s a round, and 100× slower anyway) probes every
# endpoint once, so neither a tool's first start (binary and libraries into the page cache) nor
# the nginx workers' first handshakes are charged to whichever tool happens to run first.
for tool in "${TOOLS[@]}"; do
  [ "$tool" = testssl ] && continue
  for e in "${ENDPOINTS[@]}"; do
    echo "warm-up: $tool → $e" >&2
    run_tool "$tool" "$e" "${PORT[$e]}" "$WORK/warmup-$tool-$e"
  done
done
for run in $(seq 1 "$RUNS"); do
  for tool in "${TOOLS[@]}"; do
    for e in "${ENDPOINTS[@]}"; do
      echo "run $run: $tool → $e" >&2
      before=$(syns "$e")
      rm -f "$OUT/$tool-$e.json"
      run_tool "$tool" "$e" "${PORT[$e]}" "$OUT/$tool-$e"
      after=$(syns "$e")
      echo $((after - before)) > "$OUT/$tool-$e.syns"
      cp "$OUT/$tool-$e.time" "$OUT/$tool-$e.run$run.time" 2>/dev/null || true
    done
  done
done
# --- The whole set in one invocation, for every tool that takes several targets ------------------
# portcullis and sslyze probe the targets concurrently, sslscan (--targets) and testssl (--file)
# one after another. Facts are judged on the per-endpoint runs above; here only time counts.
printf '127.0.0.1:%s\n' "${PORT[tls13]}" "${PORT[intermediate]}" "${PORT[legacy]}" > "$WORK/targets.txt"
for run in $(seq 1 "$RUNS"); do
  for tool in "${TOOLS[@]}"; do
    echo "run $run: $tool → all endpoints in one invocation" >&2
    out=$OUT/$tool-set
    timed=(inns python3 "$ROOT/bench/tls_run.py" "$out.run$run.time" "$out.txt" "$out.err" --)
    case $tool in
      portcullis) "${timed[@]}" "$PORTCULLIS" probe $(cat "$WORK/targets.txt") --sni localhost --ca-file "$WORK/root.pem" --format json ;;
      sslyze) "${timed[@]}" "$ROOT/bench/.venv/bin/sslyze" --quiet --certinfo --certinfo_ca_file "$WORK/root.pem" --sslv2 --sslv3 --tlsv1 \
                --tlsv1_1 --tlsv1_2 --tlsv1_3 --reneg --fallback --http_headers --elliptic_curves --compression \
                $(sed 's/^127.0.0.1:\(.*\)$/localhost:\1{127.0.0.1}/' "$WORK/targets.txt") ;;
      sslscan) "${timed[@]}" sslscan --no-colour --show-certificate --sni-name=localhost --targets="$WORK/targets.txt" ;;
      testssl) for e in "${ENDPOINTS[@]}"; do
                 echo "--ip 127.0.0.1 --add-ca $WORK/root.pem -p -E -P -S -h -R -Z -f https://localhost:${PORT[$e]}"
               done > "$WORK/testssl-file.txt"
               "${timed[@]}" testssl --quiet --color 0 --warnings off --file "$WORK/testssl-file.txt" ;;
    esac
  done
done
cd "$ROOT"
python3 bench/tls_facts.py "$OUT" "${TOOLS[@]}" | tee "$OUT/summary.txt"
