#!/usr/bin/env bash
# Benchmark: `portcullis audit` end to end over a network namespace with 50 listeners
# (20 TLS: nginx modern/legacy + openssl s_server; 20 cleartext HTTP: redirects and content;
# 10 other: SSH/SMTP-like banners), behind a real nftables ruleset. Prints wall time and peak
# memory (GNU time) of the release binary. Target: < 1 s, < 50 MB.
# Usage (root): bench/audit.sh [path/to/portcullis]   (default: .build/release/portcullis)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/portcullis}
[ -x "$BIN" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

NS=pcbench$$
DIR=$(mktemp -d /tmp/pc-bench-audit.XXXXXX)
cleanup() {
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  sleep 0.2
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" nft -f - <<'NFT'
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iif "lo" accept
    tcp dport { 443, 8000-8099, 9000-9049 } accept
  }
}
NFT

# PKI: a CA and an EC leaf for localhost.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$DIR/ca.key" -out "$DIR/ca.pem" \
  -days 30 -subj /CN=bench-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$DIR/leaf.key" -out "$DIR/leaf.csr" -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$DIR/ext"
openssl x509 -req -in "$DIR/leaf.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" -CAcreateserial -days 90 -out "$DIR/leaf.pem" \
  -extfile "$DIR/ext" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/rsa.key" -out "$DIR/rsa.pem" -days 30 -subj /CN=localhost 2>/dev/null

# nginx: 12 modern TLS, 3 legacy TLS, 10 redirects, 10 content (8000-8034).
{
  echo "daemon off; master_process off; worker_processes 1; pid $DIR/nginx.pid; error_log $DIR/error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $DIR/b; proxy_temp_path $DIR/p; fastcgi_temp_path $DIR/f; uwsgi_temp_path $DIR/u; scgi_temp_path $DIR/s;"
  echo "  ssl_certificate $DIR/leaf.pem; ssl_certificate_key $DIR/leaf.key;"
  echo "  server { listen 443 ssl; ssl_protocols TLSv1.2 TLSv1.3; add_header Strict-Transport-Security \"max-age=63072000\" always; location / { return 200 ok; } }"
  for p in $(seq 8000 8010); do
    echo "  server { listen $p ssl; ssl_protocols TLSv1.2 TLSv1.3; add_header Strict-Transport-Security \"max-age=63072000\" always; location / { return 200 ok; } }"
  done
  for p in $(seq 8011 8013); do
    echo "  server { listen $p ssl; ssl_certificate $DIR/rsa.pem; ssl_certificate_key $DIR/rsa.key; ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0; location / { return 200 ok; } }"
  done
  for p in $(seq 8020 8029); do echo "  server { listen $p; location / { return 301 https://\$host\$request_uri; } }"; done
  for p in $(seq 8030 8039); do echo "  server { listen $p; location / { return 200 content; } }"; done
  echo "}"
} > "$DIR/nginx.conf"
ip netns exec "$NS" nginx -e "$DIR/nginx.err" -p "$DIR" -c "$DIR/nginx.conf" &
# openssl s_server: 5 TLS endpoints (9000-9004).
for p in $(seq 9000 9004); do
  ip netns exec "$NS" openssl s_server -accept "$p" -cert "$DIR/leaf.pem" -key "$DIR/leaf.key" -www -quiet -naccept 100000 >/dev/null 2>&1 &
done
# 10 banner services (9010-9019) in one python process.
cat > "$DIR/banners.py" <<'PY'
import socket, threading, selectors
banners = [b"SSH-2.0-OpenSSH_9.2p1\r\n", b"220 mail.example ESMTP\r\n"]
sel = selectors.DefaultSelector()
for i, port in enumerate(range(9010, 9020)):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(256); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, banners[i % 2])
def serve(c, b):
    try:
        c.sendall(b); c.settimeout(2); c.recv(4096)
    except Exception: pass
    finally: c.close()
while True:
    for key, _ in sel.select():
        c, _ = key.fileobj.accept(); c.setblocking(True)
        threading.Thread(target=serve, args=(c, key.data), daemon=True).start()
PY
ip netns exec "$NS" python3 "$DIR/banners.py" &

# Wait for all 50 listeners.
for _ in $(seq 100); do
  n=$(ip netns exec "$NS" ss -Hltn | wc -l)
  [ "$n" -ge 50 ] && break
  sleep 0.1
done
echo "listeners in $NS: $(ip netns exec "$NS" ss -Hltn | wc -l)"

run() {
  /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >"$DIR/out" 2>"$DIR/err" || true
  read -r wall kb < <(tail -1 "$DIR/time")
  echo "$wall $kb"
}
echo
printf '%-58s %10s %12s %s\n' "command" "wall (s)" "peak (MB)" "result"
for fmt in json text; do
  read -r wall kb < <(run "$BIN" audit --netns "$NS" --ca-file "$DIR/ca.pem" --sni localhost --format "$fmt")
  result=$(grep -o '"outcome" *: *"[a-z]*"' "$DIR/out" 2>/dev/null | head -1 || true)
  [ -z "$result" ] && result=$(head -1 "$DIR/out" | sed 's/.*— //')
  printf '%-58s %10s %12.1f %s\n' "portcullis audit --netns (50 listeners) --format $fmt" "$wall" "$(echo "$kb/1024" | bc -l)" "$result"
done
endpoints=$( ("$BIN" audit --netns "$NS" --ca-file "$DIR/ca.pem" --sni localhost --format json 2>/dev/null || true) | python3 -c 'import json,sys; d=json.load(sys.stdin); from collections import Counter; print(len(d["endpoints"]), dict(Counter(e["kind"] for e in d["endpoints"])), "findings:", d["summary"]["findings"], "incomplete:", len(d["incomplete"]))')
echo "audited: $endpoints"
echo "target: wall < 1 s, peak < 50 MB"
if [ -n "${PC_BENCH_HOLD:-}" ]; then echo "holding namespace $NS (ca $DIR/ca.pem) for $PC_BENCH_HOLD s"; sleep "$PC_BENCH_HOLD"; fi
