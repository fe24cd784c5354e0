import FoundationEssentials
import Glibc

/// Weak families of cipher suites, recognised from IANA names (RFC 8447 registry; SSLv2 suites by
/// their `SSL_CK_*` names). Working from the name rather than a code-point table keeps the
/// categories right for suites OpenSSL no longer implements, which is exactly when they matter.
public enum SuiteCategory: String, Sendable, Codable, Hashable, CaseIterable {
    /// No encryption (`*_WITH_NULL_*`, TLS 1.3 integrity-only `TLS_SHA256_SHA256`).
    case null
    /// 40/56-bit export-grade suites.
    case export
    case rc4
    /// Single DES (56-bit, or 40-bit export DES).
    case des
    /// Triple DES (Sweet32).
    case tripleDES = "3des"
    /// No server authentication (`DH_anon`, `ECDH_anon`).
    case anon
    /// Any CBC-mode suite (Lucky13, padding-oracle families).
    case cbc
    /// RSA key transport: no forward secrecy, ROBOT.
    case staticRSA = "static-rsa"
    /// Fixed (non-ephemeral) DH/ECDH keys: no forward secrecy.
    case staticDH = "static-dh"
    /// MD5 as MAC.
    case md5
    /// Everything without forward secrecy: static RSA, static DH, plain PSK.
    case noForwardSecrecy = "no-forward-secrecy"

    /// The categories `name` falls in.
    public static func categories(of name: String) -> Set<SuiteCategory> {
        let n = name.uppercased()
        var out = Set<SuiteCategory>()
        if n.contains("_NULL_") || n.hasSuffix("_NULL") || n == "TLS_SHA256_SHA256" || n == "TLS_SHA384_SHA384" { out.insert(.null) }
        if n.contains("EXPORT") { out.insert(.export) }
        if n.contains("RC4") { out.insert(.rc4) }
        if n.contains("3DES") || n.contains("DES_192_EDE3") || n.contains("DES_EDE") {
            out.insert(.tripleDES)
        } else if n.contains("_DES_") || n.contains("_DES40_") || n.contains("_DES_64_") || n.hasPrefix("SSL_CK_DES_64") {
            out.insert(.des)
        }
        if n.contains("_ANON_") { out.insert(.anon) }
        if n.contains("_CBC") { out.insert(.cbc) }
        if n.hasPrefix("TLS_RSA_") || n.hasPrefix("SSL_RSA_") || n.hasPrefix("SSL_CK_") { out.insert(.staticRSA) }
        if n.hasPrefix("TLS_DH_RSA_") || n.hasPrefix("TLS_DH_DSS_") || n.hasPrefix("TLS_ECDH_RSA_") || n.hasPrefix("TLS_ECDH_ECDSA_") {
            out.insert(.staticDH)
        }
        if n.hasSuffix("_MD5") { out.insert(.md5) }
        if out.contains(.staticRSA) || out.contains(.staticDH) || n.hasPrefix("TLS_PSK_WITH_") { out.insert(.noForwardSecrecy) }
        return out
    }
}
