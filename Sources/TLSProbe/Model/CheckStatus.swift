/// `CheckStatus` (declared with the wire scan's result) read back from its JSON form (`json`).
extension CheckStatus: Decodable {
    private enum Keys: String, CodingKey { case status, reason }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let status = try c.decode(String.self, forKey: .status)
        if status == "completed" { self = .completed } else {
            self = .error(try c.decodeIfPresent(String.self, forKey: .reason) ?? "unknown error")
        }
    }
}

/// Names of the checks a probe runs; the keys of `ProbeResult.checks`.
public enum CheckName {
    public static let connect = "connect"
    public static let handshake = "handshake"
    public static let certificate = "certificate"
    public static let http = "http"
    public static let plaintext = "plaintext"
    public static let protocols = "protocols"
    public static let cipherSuites = "cipherSuites"
    public static let groups = "groups"
    public static let renegotiation = "secureRenegotiation"
    public static let compression = "compression"
    public static let fallbackScsv = "fallbackSCSV"
    public static let deadline = "deadline"
    public static func protocolVersion(_ v: ProtocolKey) -> String { "protocol.\(v.rawValue)" }
}

/// The protocol keys of the JSON contract.
public enum ProtocolKey: String, Sendable, CaseIterable, Codable, Comparable {
    case ssl2 = "ssl2"
    case ssl3 = "ssl3"
    case tls10 = "tls1.0"
    case tls11 = "tls1.1"
    case tls12 = "tls1.2"
    case tls13 = "tls1.3"

    public static func < (a: ProtocolKey, b: ProtocolKey) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Older than TLS 1.2: deprecated by RFC 8996 (TLS 1.0/1.1) or broken (SSL).
    public var isWeak: Bool { self < .tls12 }

    /// From OpenSSL's `SSL_get_version` text ("TLSv1.2").
    public init?(openSSLName: String) {
        switch openSSLName {
        case "SSLv2": self = .ssl2
        case "SSLv3": self = .ssl3
        case "TLSv1": self = .tls10
        case "TLSv1.1": self = .tls11
        case "TLSv1.2": self = .tls12
        case "TLSv1.3": self = .tls13
        default: return nil
        }
    }
}
