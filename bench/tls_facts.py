#!/usr/bin/env python3
"""Reads what each tool wrote in a bench/tls.sh output folder, extracts the same facts from each
(protocols, suites, server order, groups, key, expiry, HSTS, h2, renegotiation, fallback SCSV),
compares them with truth.json and prints time, peak memory, connections and facts per tool.

A fact a tool does not report counts as not right (shown as "–" in the details)."""
import datetime
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

OUT = sys.argv[1]
TOOLS = sys.argv[2:]
TRUTH = json.load(open(os.path.join(OUT, "truth.json")))
ENDPOINTS = list(TRUTH.keys())
PROTOS = ["ssl2", "ssl3", "tls1.0", "tls1.1", "tls1.2", "tls1.3"]

OPENSSL_TO_IANA = {}
for line in open(os.path.join(OUT, "openssl-names.txt")):
    parts = line.split()
    if len(parts) >= 3 and parts[1] == "-":
        OPENSSL_TO_IANA[parts[2]] = parts[0]


def group_name(n):
    n = n.split()[0]
    return {"prime256v1": "secp256r1", "X25519": "x25519", "X448": "x448"}.get(n, n).lower()


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def portcullis(e):
    d = load_json(os.path.join(OUT, f"portcullis-{e}.json"))
    if not d:
        return {}
    c = d.get("certificate") or {}
    return {
        "protocols": sorted(k for k, v in d["protocols"].items() if v),
        "suites": {k: sorted(v) for k, v in d["cipherSuites"].items() if v},
        "serverOrder": d.get("serverOrder"),
        "groups": sorted(group_name(g) for g in d.get("groups", [])),
        "key": f"{c['keyType']} {c['keyBits']}" if c else None,
        "notAfter": c.get("notAfter", "")[:10] or None,
        "hstsMaxAge": (d.get("hsts") or {}).get("maxAge") if d["checks"].get("http", {}).get("status") == "completed" else "?",
        "h2": d.get("alpn") == "h2" if d["checks"].get("handshake", {}).get("status") == "completed" else None,
        "secureRenegotiation": d.get("secureRenegotiation"),
        "fallbackScsv": d.get("fallbackScsv"),
    }


SSLYZE_PROTOS = {"ssl_2_0": "ssl2", "ssl_3_0": "ssl3", "tls_1_0": "tls1.0", "tls_1_1": "tls1.1", "tls_1_2": "tls1.2", "tls_1_3": "tls1.3"}


def sslyze(e):
    d = load_json(os.path.join(OUT, f"sslyze-{e}.json"))
    if not d or not d.get("server_scan_results"):
        return {}
    sr = d["server_scan_results"][0].get("scan_result") or {}
    f = {"protocols": [], "suites": {}}
    for key, name in SSLYZE_PROTOS.items():
        r = (sr.get(f"{key}_cipher_suites") or {}).get("result")
        if r and r.get("is_tls_version_supported"):
            f["protocols"].append(name)
            f["suites"][name] = sorted(s["cipher_suite"]["name"] for s in r["accepted_cipher_suites"])
    f["protocols"].sort()
    curves = (sr.get("elliptic_curves") or {}).get("result")
    if curves:
        f["groups"] = sorted(group_name(c["name"]) for c in curves.get("supported_curves") or [])
    cert = (sr.get("certificate_info") or {}).get("result")
    if cert:
        leaf = cert["certificate_deployments"][0]["received_certificate_chain"][0]
        algo = "RSA" if leaf["public_key"]["algorithm"].startswith("RSA") else leaf["public_key"]["algorithm"]
        f["key"] = f"{algo} {leaf['public_key']['key_size']}"
        f["notAfter"] = leaf["not_valid_after"][:10]
    headers = (sr.get("http_headers") or {}).get("result")
    if headers is not None:
        f["hstsMaxAge"] = (headers.get("strict_transport_security_header") or {}).get("max_age")
    reneg = (sr.get("session_renegotiation") or {}).get("result")
    if reneg:
        f["secureRenegotiation"] = reneg["supports_secure_renegotiation"]
    fb = (sr.get("tls_fallback_scsv") or {}).get("result")
    if fb:
        f["fallbackScsv"] = fb["supports_fallback_scsv"]
    return f


SSLSCAN_PROTOS = {("ssl", "2"): "ssl2", ("ssl", "3"): "ssl3", ("tls", "1.0"): "tls1.0", ("tls", "1.1"): "tls1.1",
                  ("tls", "1.2"): "tls1.2", ("tls", "1.3"): "tls1.3"}


def sslscan(e):
    try:
        root = ET.parse(os.path.join(OUT, f"sslscan-{e}.xml")).getroot()
    except (OSError, ET.ParseError):
        return {}
    t = root.find("ssltest")
    if t is None:
        return {}
    f = {"protocols": sorted(SSLSCAN_PROTOS[(p.get("type"), p.get("version"))] for p in t.findall("protocol") if p.get("enabled") == "1"),
         "suites": {}}
    for c in t.findall("cipher"):
        proto = {"TLSv1.0": "tls1.0", "TLSv1.1": "tls1.1", "TLSv1.2": "tls1.2", "TLSv1.3": "tls1.3", "SSLv3": "ssl3", "SSLv2": "ssl2"}[c.get("sslversion")]
        name = c.get("cipher")
        f["suites"].setdefault(proto, []).append(OPENSSL_TO_IANA.get(name, name))
    f["suites"] = {k: sorted(set(v)) for k, v in f["suites"].items()}
    f["groups"] = sorted({group_name(g.get("name")) for g in t.findall("group")})
    pk = t.find("certificates/certificate/pk")
    if pk is not None:
        f["key"] = f"{pk.get('type')} {pk.get('bits')}"
    na = t.find("certificates/certificate/not-valid-after")
    if na is not None:
        f["notAfter"] = datetime.datetime.strptime(na.text.strip(), "%b %d %H:%M:%S %Y %Z").strftime("%Y-%m-%d")
    r = t.find("renegotiation")
    if r is not None:
        f["secureRenegotiation"] = r.get("secure") == "1"
    fb = t.find("fallback")
    if fb is not None:
        f["fallbackScsv"] = fb.get("supported") == "1"
    return f


TESTSSL_PROTOS = {"SSLv2": "ssl2", "SSLv3": "ssl3", "TLS1": "tls1.0", "TLS1_1": "tls1.1", "TLS1_2": "tls1.2", "TLS1_3": "tls1.3"}


def testssl(e):
    d = load_json(os.path.join(OUT, f"testssl-{e}.json"))
    if not d:
        return {}
    by = {}
    for x in d:
        by.setdefault(x["id"], x["finding"])
    f = {"protocols": sorted(v for k, v in TESTSSL_PROTOS.items() if by.get(k, "").startswith("offered")), "suites": {}}
    for x in d:
        m = re.match(r"cipher-(tls1|tls1_1|tls1_2|tls1_3|ssl3|ssl2)_x", x["id"])
        if m:
            proto = {"tls1": "tls1.0", "tls1_1": "tls1.1", "tls1_2": "tls1.2", "tls1_3": "tls1.3", "ssl3": "ssl3", "ssl2": "ssl2"}[m.group(1)]
            f["suites"].setdefault(proto, []).append(x["finding"].split()[-1])
    f["suites"] = {k: sorted(v) for k, v in f["suites"].items()}
    order = by.get("cipher_order", "")
    if "server" in order.lower() and "not" not in order.lower():
        f["serverOrder"] = True
    elif order.startswith("NOT a cipher order") or order.startswith("not a cipher order"):
        f["serverOrder"] = False
    if "PFS_ECDHE_curves" in by:
        f["groups"] = sorted(group_name(g) for g in by["PFS_ECDHE_curves"].split())
    if "cert_keySize" in by:
        m = re.match(r"(\w+) (\d+) bits", by["cert_keySize"])
        if m:
            f["key"] = f"{m.group(1)} {m.group(2)}"
    if "cert_notAfter" in by:
        f["notAfter"] = by["cert_notAfter"][:10]
    if "HSTS_time" in by:
        m = re.search(r"=(\d+) seconds", by["HSTS_time"])
        f["hstsMaxAge"] = int(m.group(1)) if m else None
    elif by.get("HSTS", "").startswith("not offered"):
        f["hstsMaxAge"] = None
    if "ALPN_HTTP2" in by:
        f["h2"] = "h2" in by["ALPN_HTTP2"].split()
    elif "ALPN" in by:
        f["h2"] = "h2" in by["ALPN"].split()
    sr = by.get("secure_renego", "")
    if sr.startswith("supported"):
        f["secureRenegotiation"] = True
    elif sr.startswith("not supported"):
        f["secureRenegotiation"] = False
    fb = by.get("fallback_SCSV", "")
    if fb.startswith("supported"):
        f["fallbackScsv"] = True
    elif fb.lower().startswith("not supported"):
        f["fallbackScsv"] = False
    return f


PARSERS = {"portcullis": portcullis, "sslyze": sslyze, "sslscan": sslscan, "testssl": testssl}


def normalise_truth(t):
    t = dict(t)
    t["protocols"] = sorted(t["protocols"])
    t["suites"] = {k: sorted(v) for k, v in t["suites"].items()}
    t["groups"] = sorted(t["groups"])
    t["notAfter"] = datetime.datetime.strptime(t["notAfter"], "%b %d %H:%M:%S %Y %Z").strftime("%Y-%m-%d")
    return t


def read_time(tool, e):
    """Wall seconds (median over runs) and max RSS in KB (max over runs), as bench/tls_run.py
    recorded them."""
    samples = []
    for name in os.listdir(OUT):
        if name.startswith(f"{tool}-{e}.run") and name.endswith(".time"):
            try:
                secs, kb = open(os.path.join(OUT, name)).read().split()
                samples.append((float(secs), int(kb)))
            except (OSError, ValueError):
                pass
    if not samples:
        return None, None
    times = sorted(t for t, _ in samples)
    return times[len(times) // 2], max(k for _, k in samples)


def read_syns(tool, e):
    try:
        return int(open(os.path.join(OUT, f"{tool}-{e}.syns")).read().strip())
    except (OSError, ValueError):
        return None


rows = {}
details = []
for tool in TOOLS:
    total_time, peak, syns, right, facts = 0.0, 0, 0, 0, 0
    per = []
    for e in ENDPOINTS:
        truth = normalise_truth(TRUTH[e])
        got = PARSERS[tool](e)
        secs, kb = read_time(tool, e)
        n = read_syns(tool, e)
        ok, wrong = 0, []
        for fact, want in truth.items():
            have = got.get(fact, "–")
            if have == want:
                ok += 1
            else:
                wrong.append(f"{fact}: want {want!r}, got {have!r}")
        facts += len(truth)
        right += ok
        total_time += secs or 0
        peak = max(peak, kb or 0)
        syns += n or 0
        per.append((e, secs, kb, n, ok, len(truth)))
        for w in wrong:
            details.append(f"  {tool:10} {e:13} {w}")
    rows[tool] = (per, total_time, peak, syns, right, facts)

runs = len([n for n in os.listdir(OUT) if n.startswith(f"{TOOLS[0]}-{ENDPOINTS[0]}.run")])
print(f"TLS probe benchmark — {runs} run(s) (median wall time), same local nginx endpoints, tools one after another, after an untimed warm-up round (testssl.sh excepted)")
print(f"output: {OUT}\n")
hdr = f"{'tool':10} " + " ".join(f"{e + ' s':>16}" for e in ENDPOINTS) + f" {'total s':>9} {'peak MB':>8} {'SYNs':>6} {'facts right':>12}"
print(hdr)
print("-" * len(hdr))
for tool, (per, tt, pk, sy, r, f) in rows.items():
    cells = " ".join(f"{(f'{p[1]:.3f}' if p[1] is not None else 'n/a'):>9} ({p[3] if p[3] is not None else '?':>4})" for p in per)
    print(f"{tool:10} {cells} {tt:9.3f} {pk / 1024:8.1f} {sy:6d} {r:5d}/{f:<6d}")
print("\n(per endpoint: wall seconds (SYNs sent to it); peak MB: max RSS of the tool's largest process)")
if "portcullis" in rows:
    peers = {t: v for t, v in rows.items() if t != "portcullis"}
    if peers:
        fastest = min(peers, key=lambda t: peers[t][1])
        ratio = peers[fastest][1] / rows["portcullis"][1] if rows["portcullis"][1] else float("inf")
        print(f"\nportcullis total {rows['portcullis'][1]:.3f} s vs fastest peer {fastest} {peers[fastest][1]:.3f} s: {ratio:.1f}x faster")
        for e_index, e in enumerate(ENDPOINTS):
            mine = rows["portcullis"][0][e_index][1]
            best = min((v[0][e_index][1] for v in peers.values() if v[0][e_index][1] is not None), default=None)
            if mine and best:
                print(f"  {e:13} portcullis {mine:.3f} s, fastest peer {best:.3f} s: {best / mine:.1f}x")
set_times = {tool: read_time(tool, "set") for tool in TOOLS}
if any(t for t, _ in set_times.values()):
    print("\nthe whole set in one invocation (median wall s, peak MB):")
    for tool, (secs, kb) in set_times.items():
        if secs is not None:
            print(f"  {tool:10} {secs:7.3f} s {kb / 1024:8.1f} MB")
    mine = set_times.get("portcullis", (None, None))[0]
    peers = {t: v[0] for t, v in set_times.items() if t != "portcullis" and v[0] is not None}
    if mine and peers:
        fastest = min(peers, key=peers.get)
        print(f"  portcullis vs fastest peer {fastest}: {peers[fastest] / mine:.1f}x faster")
print("\nfacts not right (– = not reported):")
print("\n".join(details) if details else "  none")
