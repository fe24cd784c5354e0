/// Everything one probe found out about one endpoint: the JSON contract of `portcullis probe`
/// (`schemaVersion` 1; see issue 4), written by `json` (ProbeResult+JSON.swift). Unknown values
/// are `null`, never a guess; why a value is unknown is in `checks`.
public struct ProbeResult: Sendable, Equatable, Decodable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int = ProbeResult.currentSchemaVersion
    public var target: Target
    /// A TCP connection could be opened.
    public var reachable: Bool
    /// The endpoint completed a TLS (or SSL) handshake.
    public var tls: Bool
    /// Cleartext HTTP on a non-TLS port: "redirect" (only to https) or "content"; null otherwise.
    public var plaintextHttp: PlaintextHTTP?
    /// A non-TLS, non-HTTP service's first words, classified.
    public var banner: Banner?
    /// Key per protocol (`ssl2` … `tls1.3`); null when that check failed.
    public var protocols: [String: Bool?]
    /// Protocol key → IANA suite names, in the server's order when it imposes one.
    public var cipherSuites: [String: [String]]
    public var serverOrder: Bool?
    public var groups: [String]
    public var dhBits: Int?
    public var certificate: CertificateReport?
    /// What the full handshake negotiated (OpenSSL, best the client offers).
    public var negotiated: Negotiated?
    /// ALPN protocol the server chose when offered h2 and http/1.1; null when none.
    public var alpn: String?
    public var ocspStapling: Bool?
    public var secureRenegotiation: Bool?
    public var compression: Bool?
    public var fallbackScsv: Bool?
    /// Status of `GET /` over TLS (or over cleartext on a non-TLS port).
    public var httpStatus: Int?
    public var hsts: HSTSPolicy?
    /// Why the Strict-Transport-Security header present was not accepted.
    public var hstsProblem: String?
    public var checks: [String: CheckStatus]
    /// TCP connections the probe opened.
    public var handshakes: Int

    public struct Target: Sendable, Equatable, Decodable {
        public var host: String
        public var port: UInt16
        public var sni: String?
        public init(host: String, port: UInt16, sni: String?) {
            self.host = host
            self.port = port
            self.sni = sni
        }
    }

    public enum PlaintextHTTP: String, Sendable, Decodable { case redirect, content }

    public struct Banner: Sendable, Equatable, Decodable {
        /// "ssh", "smtp", "ftp", "pop3", "imap", "http", "silent", "unknown".
        public var kind: String
        /// The first line, printable ASCII only, at most 120 characters.
        public var text: String
        public init(kind: String, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public struct Negotiated: Sendable, Equatable, Decodable {
        public var `protocol`: String
        public var cipherSuite: String
        /// The server's ephemeral key: a group name ("X25519", "prime256v1") or "DH <bits>".
        public var keyExchange: String?
        public init(protocol: String, cipherSuite: String, keyExchange: String? = nil) {
            self.protocol = `protocol`
            self.cipherSuite = cipherSuite
            self.keyExchange = keyExchange
        }
    }

    public init(target: Target) {
        self.target = target
        reachable = false
        tls = false
        protocols = Dictionary(uniqueKeysWithValues: ProtocolKey.allCases.map { ($0.rawValue, Optional<Bool>.none) })
        cipherSuites = [:]
        groups = []
        checks = [:]
        handshakes = 0
    }

    /// Every check completed.
    public var complete: Bool { checks.values.allSatisfy(\.isCompleted) }

    public func protocolSupported(_ key: ProtocolKey) -> Bool? { protocols[key.rawValue] ?? nil }
}
