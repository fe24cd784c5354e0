#!/usr/bin/env python3
"""Generates Sources/TLSWire/CipherSuiteTable.swift, the cipher suite registry of TLSWire.

Source: testssl.sh's cipher-mapping.txt (Debian package testssl.sh, /etc/testssl/cipher-mapping.txt),
which lists every IANA TLS cipher suite plus SSLv2 cipher kinds and the historic non-IANA codes
(OpenSSL export1024, GOST, FIPS, CECPQ1, pre-standard ChaCha20), with OpenSSL names and properties.
IANA assignments that file lacks (SM4, AEGIS, ECCPWD, integrity-only, GOST R 34.12, ECDHE_PSK
AEAD) are added below from the IANA "TLS Cipher Suites" registry.

Usage: scripts/gen-cipher-suites.py [/etc/testssl/cipher-mapping.txt] > Sources/TLSWire/CipherSuiteTable.swift
"""
import re, sys

src = sys.argv[1] if len(sys.argv) > 1 else "/etc/testssl/cipher-mapping.txt"

KX = {"RSA": "rsa", "RSA(512)": "rsa", "RSA(1024)": "rsa", "DH": "dhe", "DH(512)": "dhe", "DH(1024)": "dhe",
      "DH/DSS": "dh", "DH/RSA": "dh", "ECDH": "ecdhe", "ECDH/ECDSA": "ecdh", "ECDH/RSA": "ecdh",
      "PSK": "psk", "DHEPSK": "dhePSK", "ECDHEPSK": "ecdhePSK", "RSAPSK": "rsaPSK", "SRP": "srp",
      "KRB5": "krb5", "GOST": "gost", "CECPQ1": "cecpq1", "None": "none", "any": "any"}
AU = {"RSA": "rsa", "DSS": "dss", "ECDSA": "ecdsa", "None": "anonymous", "PSK": "psk", "SRP": "srp",
      "KRB5": "krb5", "GOST01": "gost", "GOST94": "gost", "DH": "dh", "ECDH": "ecdh", "any": "any"}
ENC = {"None": "null", "RC4": "rc4", "RC2": "rc2", "DES": "des", "3DES": "tripleDES", "IDEA": "idea",
       "AES": "aesCBC", "AESGCM": "aesGCM", "AESCCM": "aesCCM", "AESCCM8": "aesCCM8",
       "Camellia": "camelliaCBC", "CamelliaGCM": "camelliaGCM", "ARIA": "ariaCBC", "ARIAGCM": "ariaGCM",
       "SEED": "seed", "ChaCha20": "chacha20Poly1305", "GOST": "gost28147"}
MAC = {"AEAD": "aead", "MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "Null": "null",
       "GOST89IMIT": "gost", "GOST94": "gost", "GOSTR3411": "gost", "STREEBOG256": "gost", "M1": "md5"}
PROTO = {"SSLv2": "ssl2", "SSLv3": "ssl3", "TLSv1": "tls10", "TLSv1.2": "tls12", "TLSv1.3": "tls13"}

rows = []
seen = set()
for line in open(src):
    line = line.strip()
    if not line:
        continue
    m = re.match(r"^(0x[0-9A-Fa-f]{2}(?:,0x[0-9A-Fa-f]{2}){1,2})\s+-\s+(\S+)\s+(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)\s*(export)?", line)
    if not m:
        sys.exit("unparsed line: " + line)
    code_s, ossl, iana, proto, kx, au, enc, mac, export = m.groups()
    parts = [int(p, 16) for p in code_s.split(",")]
    value = 0
    for p in parts:
        value = value * 256 + p
    width = len(parts)
    if (value, width) in seen:
        continue
    seen.add((value, width))
    em = re.match(r"(\w+)\((\d+)\)", enc)
    cipher, bits = (em.group(1), int(em.group(2))) if em else (enc, 0)
    if iana == "-":
        iana = ossl
    rows.append((value, width, iana, None if ossl == "-" else ossl, PROTO[proto], KX[kx], AU[au], ENC[cipher], bits, MAC[mac], bool(export)))

# IANA assignments missing from the mapping file.
extra = [
    (0x00C6, "TLS_SM4_GCM_SM3", None, "tls13", "any", "any", "sm4GCM", 128, "aead"),
    (0x00C7, "TLS_SM4_CCM_SM3", None, "tls13", "any", "any", "sm4CCM", 128, "aead"),
    (0x1306, "TLS_AEGIS_256_SHA512", None, "tls13", "any", "any", "aegis256", 256, "aead"),
    (0x1307, "TLS_AEGIS_128L_SHA256", None, "tls13", "any", "any", "aegis128L", 128, "aead"),
    (0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256", None, "tls12", "eccpwd", "eccpwd", "aesGCM", 128, "aead"),
    (0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", None, "tls12", "eccpwd", "eccpwd", "aesGCM", 256, "aead"),
    (0xC0B2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256", None, "tls12", "eccpwd", "eccpwd", "aesCCM", 128, "aead"),
    (0xC0B3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384", None, "tls12", "eccpwd", "eccpwd", "aesCCM", 256, "aead"),
    (0xC0B4, "TLS_SHA256_SHA256", None, "tls13", "any", "any", "null", 0, "sha256"),
    (0xC0B5, "TLS_SHA384_SHA384", None, "tls13", "any", "any", "null", 0, "sha384"),
    (0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC", "tls12", "gost", "gost", "kuznyechikCTR", 256, "gost"),
    (0xC101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", "GOST2012-MAGMA-MAGMAOMAC", "tls12", "gost", "gost", "magmaCTR", 256, "gost"),
    (0xC102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT", "IANA-GOST2012-GOST8912-GOST8912", "tls12", "gost", "gost", "gost28147", 256, "gost"),
    (0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", None, "tls13", "any", "any", "kuznyechikMGM", 256, "aead"),
    (0xC104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L", None, "tls13", "any", "any", "magmaMGM", 256, "aead"),
    (0xC105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", None, "tls13", "any", "any", "kuznyechikMGM", 256, "aead"),
    (0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", None, "tls13", "any", "any", "magmaMGM", 256, "aead"),
    (0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", None, "tls12", "ecdhePSK", "psk", "aesGCM", 128, "aead"),
    (0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", None, "tls12", "ecdhePSK", "psk", "aesGCM", 256, "aead"),
    (0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", None, "tls12", "ecdhePSK", "psk", "aesCCM8", 128, "aead"),
    (0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", None, "tls12", "ecdhePSK", "psk", "aesCCM", 128, "aead"),
]
for (v, iana, ossl, proto, kx, au, enc, bits, mac) in extra:
    if (v, 2) in seen:
        continue
    seen.add((v, 2))
    rows.append((v, 2, iana, ossl, proto, kx, au, enc, bits, mac, False))

rows.sort(key=lambda r: (r[1], r[0]))

def q(s):
    return "nil" if s is None else '"%s"' % s

print("// GENERATED by scripts/gen-cipher-suites.py from testssl.sh's cipher-mapping.txt plus IANA")
print("// additions listed in the script. Do not edit by hand: fix the generator and rerun it.")
print()
print("extension CipherSuiteRegistry {")
print("    /// Every known cipher suite: %d entries (2-byte TLS codes, then 3-byte SSLv2 cipher kinds)." % len(rows))
print("    static let table: [CipherSuite] = [")
for (v, w, iana, ossl, proto, kx, au, enc, bits, mac, export) in rows:
    code = ("0x%04X" % v) if w == 2 else ("0x%06X" % v)
    print("        CipherSuite(code: %s, width: %d, ianaName: %s, openSSLName: %s, minimumProtocol: .%s, keyExchange: .%s, authentication: .%s, cipher: .%s, bits: %d, mac: .%s, export: %s)," %
          (code, w, q(iana), q(ossl), proto, kx, au, enc, bits, mac, "true" if export else "false"))
print("    ]")
print("}")
