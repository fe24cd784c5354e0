/// A TLS named group (IANA "TLS Supported Groups" registry): elliptic curves, finite-field DH
/// groups (RFC 7919) and the post-quantum / hybrid key agreements.
public struct NamedGroup: Sendable, Hashable, Identifiable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Elliptic-curve Diffie-Hellman (incl. x25519/x448).
        case ecdhe
        /// Finite-field Diffie-Hellman (ffdhe*).
        case ffdhe
        /// Hybrid classical + ML-KEM (or its Kyber draft predecessor).
        case hybridPQ
        /// Pure post-quantum KEM.
        case pq
    }

    public let code: UInt16
    /// The IANA name (`x25519`, `secp256r1`, `ffdhe2048`, `X25519MLKEM768`).
    public let name: String
    public let kind: Kind
    /// Size of the classical part in bits (curve order / prime size); 0 for pure PQ.
    public let bits: Int
    /// Deprecated by RFC 8422/8446 (binary and small curves, explicit curves).
    public let deprecated: Bool

    public var id: UInt16 { code }
    public var description: String { name }

    public init(code: UInt16, name: String, kind: Kind, bits: Int, deprecated: Bool = false) {
        self.code = code
        self.name = name
        self.kind = kind
        self.bits = bits
        self.deprecated = deprecated
    }

    public static let secp256r1 = NamedGroup(code: 23, name: "secp256r1", kind: .ecdhe, bits: 256)
    public static let secp384r1 = NamedGroup(code: 24, name: "secp384r1", kind: .ecdhe, bits: 384)
    public static let secp521r1 = NamedGroup(code: 25, name: "secp521r1", kind: .ecdhe, bits: 521)
    public static let x25519 = NamedGroup(code: 29, name: "x25519", kind: .ecdhe, bits: 253)
    public static let x448 = NamedGroup(code: 30, name: "x448", kind: .ecdhe, bits: 448)
    public static let ffdhe2048 = NamedGroup(code: 256, name: "ffdhe2048", kind: .ffdhe, bits: 2048)
    public static let x25519MLKEM768 = NamedGroup(code: 0x11EC, name: "X25519MLKEM768", kind: .hybridPQ, bits: 253)
}

/// Lookup of the named groups by code or name.
public enum NamedGroupRegistry {
    /// Every registered group, in code order.
    public static let all: [NamedGroup] = {
        var g: [NamedGroup] = []
        let legacy: [(UInt16, String, Int)] = [
            (1, "sect163k1", 163), (2, "sect163r1", 163), (3, "sect163r2", 163), (4, "sect193r1", 193),
            (5, "sect193r2", 193), (6, "sect233k1", 233), (7, "sect233r1", 233), (8, "sect239k1", 239),
            (9, "sect283k1", 283), (10, "sect283r1", 283), (11, "sect409k1", 409), (12, "sect409r1", 409),
            (13, "sect571k1", 571), (14, "sect571r1", 571), (15, "secp160k1", 160), (16, "secp160r1", 160),
            (17, "secp160r2", 160), (18, "secp192k1", 192), (19, "secp192r1", 192), (20, "secp224k1", 224),
            (21, "secp224r1", 224), (22, "secp256k1", 256),
        ]
        for (c, n, b) in legacy { g.append(NamedGroup(code: c, name: n, kind: .ecdhe, bits: b, deprecated: true)) }
        g += [
            .secp256r1, .secp384r1, .secp521r1,
            NamedGroup(code: 26, name: "brainpoolP256r1", kind: .ecdhe, bits: 256),
            NamedGroup(code: 27, name: "brainpoolP384r1", kind: .ecdhe, bits: 384),
            NamedGroup(code: 28, name: "brainpoolP512r1", kind: .ecdhe, bits: 512),
            .x25519, .x448,
            NamedGroup(code: 31, name: "brainpoolP256r1tls13", kind: .ecdhe, bits: 256),
            NamedGroup(code: 32, name: "brainpoolP384r1tls13", kind: .ecdhe, bits: 384),
            NamedGroup(code: 33, name: "brainpoolP512r1tls13", kind: .ecdhe, bits: 512),
            NamedGroup(code: 34, name: "GC256A", kind: .ecdhe, bits: 256),
            NamedGroup(code: 35, name: "GC256B", kind: .ecdhe, bits: 256),
            NamedGroup(code: 36, name: "GC256C", kind: .ecdhe, bits: 256),
            NamedGroup(code: 37, name: "GC256D", kind: .ecdhe, bits: 256),
            NamedGroup(code: 38, name: "GC512A", kind: .ecdhe, bits: 512),
            NamedGroup(code: 39, name: "GC512B", kind: .ecdhe, bits: 512),
            NamedGroup(code: 40, name: "GC512C", kind: .ecdhe, bits: 512),
            NamedGroup(code: 41, name: "curveSM2", kind: .ecdhe, bits: 256),
            .ffdhe2048,
            NamedGroup(code: 257, name: "ffdhe3072", kind: .ffdhe, bits: 3072),
            NamedGroup(code: 258, name: "ffdhe4096", kind: .ffdhe, bits: 4096),
            NamedGroup(code: 259, name: "ffdhe6144", kind: .ffdhe, bits: 6144),
            NamedGroup(code: 260, name: "ffdhe8192", kind: .ffdhe, bits: 8192),
            NamedGroup(code: 0x0200, name: "MLKEM512", kind: .pq, bits: 0),
            NamedGroup(code: 0x0201, name: "MLKEM768", kind: .pq, bits: 0),
            NamedGroup(code: 0x0202, name: "MLKEM1024", kind: .pq, bits: 0),
            NamedGroup(code: 0x11EB, name: "SecP256r1MLKEM768", kind: .hybridPQ, bits: 256),
            .x25519MLKEM768,
            NamedGroup(code: 0x11ED, name: "SecP384r1MLKEM1024", kind: .hybridPQ, bits: 384),
            NamedGroup(code: 0x11EE, name: "curveSM2MLKEM768", kind: .hybridPQ, bits: 256),
            NamedGroup(code: 0x6399, name: "X25519Kyber768Draft00", kind: .hybridPQ, bits: 253),
            NamedGroup(code: 0x639A, name: "SecP256r1Kyber768Draft00", kind: .hybridPQ, bits: 256),
            NamedGroup(code: 0xFF01, name: "arbitrary_explicit_prime_curves", kind: .ecdhe, bits: 0, deprecated: true),
            NamedGroup(code: 0xFF02, name: "arbitrary_explicit_char2_curves", kind: .ecdhe, bits: 0, deprecated: true),
        ]
        return g
    }()

    private static let byCode: [UInt16: NamedGroup] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    private static let byName: [String: NamedGroup] = Dictionary(all.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })

    public static func group(code: UInt16) -> NamedGroup? { byCode[code] }

    /// By IANA name, case-insensitive; also accepts OpenSSL's aliases (P-256, prime256v1, X25519).
    public static func group(named name: String) -> NamedGroup? {
        let aliases = ["p-256": "secp256r1", "prime256v1": "secp256r1", "p-384": "secp384r1", "p-521": "secp521r1"]
        let key = name.lowercased()
        return byName[aliases[key] ?? key]
    }

    /// The name for a code, known or not (`unknown_0x1234`).
    public static func name(code: UInt16) -> String { byCode[code]?.name ?? "unknown_0x" + hex(code, digits: 4) }

    /// Groups worth offering for TLS 1.3 (no deprecated or TLS1.2-only brainpool curves).
    public static var tls13Candidates: [NamedGroup] {
        all.filter { !$0.deprecated && !(26...28).contains($0.code) }
    }

    /// Elliptic curves worth offering for TLS 1.2 ECDHE (RFC 8422 and the older ones still seen).
    public static var tls12Candidates: [NamedGroup] {
        all.filter { $0.kind == .ecdhe && $0.code < 0xFF00 && !(31...33).contains($0.code) }
    }
}
