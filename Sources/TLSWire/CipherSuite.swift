/// One cipher suite (TLS 2-byte code) or SSLv2 cipher kind (3-byte code) with its properties.
///
/// Names: `ianaName` is the IANA registry name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`); for the
/// few historic codes IANA never assigned (OpenSSL's EXPORT1024, GOST, FIPS, pre-standard
/// ChaCha20), the conventional name used by OpenSSL/testssl.sh. SSLv2 kinds use `SSL_CK_*` names.
public struct CipherSuite: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// The code: 0xXXXX for TLS suites, 0xXXYYZZ for SSLv2 cipher kinds.
    public let code: UInt32
    /// 2 for TLS/SSLv3 suites, 3 for SSLv2 cipher kinds.
    public let width: Int
    public let ianaName: String
    /// The OpenSSL name, when OpenSSL has (or had) one.
    public let openSSLName: String?
    /// The oldest protocol that can negotiate it (`.tls10` also covers TLS 1.1).
    public let minimumProtocol: ProtocolVersion
    public let keyExchange: KeyExchange
    public let authentication: Authentication
    public let cipher: BulkCipher
    /// Effective key bits of the bulk cipher (40 for export ciphers, 0 for NULL).
    public let bits: Int
    public let mac: MACAlgorithm
    /// An export-grade suite (40/56-bit keys, 512/1024-bit key exchange).
    public let export: Bool
    /// Derived from the other properties on each use rather than stored, so that every
    /// initialiser argument of the generated table is a literal: the table's one-time set-up is
    /// then plain stores of constants instead of 391 initialiser calls.
    public var flags: CipherSuiteFlags {
        CipherSuiteFlags.derive(export: export, minimumProtocol: minimumProtocol, keyExchange: keyExchange,
                                authentication: authentication, cipher: cipher, mac: mac)
    }

    public var id: UInt32 { width == 3 ? code | 0x0100_0000 : code }
    public var description: String { ianaName }

    /// The 2-byte code of a TLS suite (SSLv2 kinds: their low 16 bits, not meaningful on TLS).
    public var tlsCode: UInt16 { UInt16(truncatingIfNeeded: code) }

    public init(code: UInt32, width: Int, ianaName: String, openSSLName: String?, minimumProtocol: ProtocolVersion,
                keyExchange: KeyExchange, authentication: Authentication, cipher: BulkCipher, bits: Int,
                mac: MACAlgorithm, export: Bool) {
        self.code = code
        self.width = width
        self.ianaName = ianaName
        self.openSSLName = openSSLName
        self.minimumProtocol = minimumProtocol
        self.keyExchange = keyExchange
        self.authentication = authentication
        self.cipher = cipher
        self.bits = bits
        self.mac = mac
        self.export = export
    }

    public var isNull: Bool { flags.contains(.null) }
    public var isExport: Bool { flags.contains(.export) }
    public var isRC4: Bool { flags.contains(.rc4) }
    public var isDES: Bool { flags.contains(.des) }
    public var isTripleDES: Bool { flags.contains(.tripleDES) }
    public var isAnonymous: Bool { flags.contains(.anonymous) }
    public var isCBC: Bool { flags.contains(.cbc) }
    public var isStaticRSA: Bool { flags.contains(.staticRSA) }
    public var isAEAD: Bool { flags.contains(.aead) }
    public var hasForwardSecrecy: Bool { flags.contains(.forwardSecrecy) }
    public var isTLS13: Bool { flags.contains(.tls13) }

    /// Whether a hello for `version` may usefully offer this suite.
    public func isOffered(in version: ProtocolVersion) -> Bool {
        switch version {
        case .ssl2: width == 3
        case .tls13: width == 2 && minimumProtocol == .tls13
        case .ssl3, .tls10, .tls11: width == 2 && minimumProtocol <= .tls10 && minimumProtocol != .ssl2
        case .tls12: width == 2 && minimumProtocol <= .tls12 && minimumProtocol != .ssl2
        }
    }
}

/// Key exchange of a suite. `dhe`/`ecdhe` are ephemeral (also the anonymous ADH/AECDH ones);
/// `dh`/`ecdh` are the static variants with the key in the certificate.
public enum KeyExchange: String, Sendable, Hashable, Codable {
    case rsa, dhe, ecdhe, dh, ecdh, psk, dhePSK, ecdhePSK, rsaPSK, srp, krb5, gost, cecpq1, eccpwd
    /// TLS_NULL_WITH_NULL_NULL.
    case none
    /// TLS 1.3: negotiated separately (supported_groups / key_share).
    case any

    /// Ephemeral key agreement (forward secrecy).
    public var isEphemeral: Bool {
        switch self {
        case .dhe, .ecdhe, .dhePSK, .ecdhePSK, .cecpq1, .any, .eccpwd: true
        default: false
        }
    }

    /// Uses a ServerKeyExchange with finite-field DH parameters.
    public var isFiniteFieldDHE: Bool { self == .dhe || self == .dhePSK }
    /// Uses a ServerKeyExchange with an ECDHE named curve.
    public var isECDHE: Bool { self == .ecdhe || self == .ecdhePSK }
}

/// Server authentication of a suite.
public enum Authentication: String, Sendable, Hashable, Codable {
    case rsa, dss, ecdsa, anonymous, psk, srp, krb5, gost, dh, ecdh, eccpwd
    /// TLS 1.3: by signature_algorithms, not by the suite.
    case any
}

/// Bulk cipher (and mode) of a suite.
public enum BulkCipher: String, Sendable, Hashable, Codable {
    case null, rc4, rc2, des, tripleDES, idea, seed
    case aesCBC, aesGCM, aesCCM, aesCCM8
    case camelliaCBC, camelliaGCM, ariaCBC, ariaGCM
    case chacha20Poly1305, gost28147, kuznyechikCTR, magmaCTR, kuznyechikMGM, magmaMGM
    case sm4GCM, sm4CCM, aegis256, aegis128L

    /// A block cipher in CBC mode (Lucky13/BEAST/POODLE family of problems).
    public var isCBC: Bool {
        switch self {
        case .rc2, .des, .tripleDES, .idea, .seed, .aesCBC, .camelliaCBC, .ariaCBC: true
        default: false
        }
    }
}

/// MAC of a suite (`aead` for AEAD ciphers, whose integrity comes from the cipher).
public enum MACAlgorithm: String, Sendable, Hashable, Codable {
    case null, md5, sha1, sha256, sha384, aead, gost
}

/// Weakness and property flags derived from a suite's components.
public struct CipherSuiteFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let null = CipherSuiteFlags(rawValue: 1 << 0)
    public static let export = CipherSuiteFlags(rawValue: 1 << 1)
    public static let rc4 = CipherSuiteFlags(rawValue: 1 << 2)
    /// Single DES (56 or 40 bits).
    public static let des = CipherSuiteFlags(rawValue: 1 << 3)
    public static let tripleDES = CipherSuiteFlags(rawValue: 1 << 4)
    /// No server authentication (ADH, AECDH, NULL_WITH_NULL).
    public static let anonymous = CipherSuiteFlags(rawValue: 1 << 5)
    public static let cbc = CipherSuiteFlags(rawValue: 1 << 6)
    /// RSA key transport (no forward secrecy, ROBOT-prone).
    public static let staticRSA = CipherSuiteFlags(rawValue: 1 << 7)
    public static let aead = CipherSuiteFlags(rawValue: 1 << 8)
    public static let forwardSecrecy = CipherSuiteFlags(rawValue: 1 << 9)
    public static let tls13 = CipherSuiteFlags(rawValue: 1 << 10)

    static func derive(export: Bool, minimumProtocol: ProtocolVersion, keyExchange: KeyExchange,
                       authentication: Authentication, cipher: BulkCipher, mac: MACAlgorithm) -> CipherSuiteFlags {
        var f: CipherSuiteFlags = []
        if cipher == .null { f.insert(.null) }
        if export { f.insert(.export) }
        if cipher == .rc4 { f.insert(.rc4) }
        if cipher == .des { f.insert(.des) }
        if cipher == .tripleDES { f.insert(.tripleDES) }
        if authentication == .anonymous { f.insert(.anonymous) }
        if cipher.isCBC { f.insert(.cbc) }
        if keyExchange == .rsa { f.insert(.staticRSA) }
        if mac == .aead { f.insert(.aead) }
        if keyExchange.isEphemeral { f.insert(.forwardSecrecy) }
        if minimumProtocol == .tls13 { f.insert(.tls13) }
        return f
    }
}
