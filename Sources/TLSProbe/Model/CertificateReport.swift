/// Facts about the certificate chain an endpoint sent, as seen by a strict client that fetches
/// nothing (no AIA): trust is judged on the chain as sent plus the trust anchors.
public struct CertificateReport: Sendable, Equatable, Decodable {
    /// The chain as sent verifies to a trust anchor (system store or the extra CA file).
    public var trusted: Bool
    /// OpenSSL's verification error text when not trusted (e.g. "certificate has expired").
    public var verifyError: String?
    public var expired: Bool
    public var notYetValid: Bool
    /// ISO 8601, UTC.
    public var notBefore: String
    public var notAfter: String
    /// Whole days until notAfter (negative once expired).
    public var daysLeft: Int
    /// Validity period, notBefore to notAfter, in days (rounded up); nil when the dates are unreadable.
    public var lifespanDays: Int?
    public var selfSigned: Bool
    /// The leaf matches the SNI name (or the host/IP when no SNI): SAN rules, wildcards.
    public var hostnameMatches: Bool
    /// "RSA", "EC", "Ed25519", "Ed448", "DSA", …
    public var keyType: String
    public var keyBits: Int
    /// Named curve of EC keys ("prime256v1"), nil otherwise.
    public var curve: String?
    /// e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256".
    public var signatureAlgorithm: String
    /// The leaf is signed with SHA-1 or MD5.
    public var weakSignature: Bool
    /// Each certificate is followed by its issuer.
    public var chainOrderCorrect: Bool
    /// False when the sent chain cannot reach a trust anchor but can once intermediates from the
    /// extra CA file or the trust store are added ("incomplete chain").
    public var chainComplete: Bool
    /// OCSP response stapled in the handshake.
    public var ocspStapled: Bool
    public var chain: [ChainCertificate]

    public struct ChainCertificate: Sendable, Equatable, Decodable {
        public var subject: String
        public var issuer: String
        public var notAfter: String
        public var keyType: String
        public var keyBits: Int
        public var signatureAlgorithm: String

        public init(subject: String, issuer: String, notAfter: String, keyType: String, keyBits: Int, signatureAlgorithm: String) {
            self.subject = subject
            self.issuer = issuer
            self.notAfter = notAfter
            self.keyType = keyType
            self.keyBits = keyBits
            self.signatureAlgorithm = signatureAlgorithm
        }
    }

    /// Keys weaker than 2048-bit RSA/DSA or 224-bit EC.
    public var weakKey: Bool {
        switch keyType {
        case "RSA", "DSA", "DH": keyBits < 2048
        case "EC": keyBits < 224
        default: false
        }
    }
}
