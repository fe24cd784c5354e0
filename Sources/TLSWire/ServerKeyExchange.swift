/// What a ServerKeyExchange reveals about the key exchange (RFC 5246 §7.4.3, RFC 8422 §5.4).
public enum ServerKeyExchangeInfo: Sendable, Equatable {
    /// Finite-field DH: prime size in bits (leading zero bytes/bits not counted) and generator size.
    case dh(primeBits: Int, generatorBytes: Int)
    /// ECDHE over a named curve.
    case ecdhe(namedGroup: UInt16)
    /// ECDHE over explicit curve parameters (curve_type 1 or 2).
    case ecdheExplicit(curveType: UInt8)
    /// Export RSA: temporary RSA modulus size in bits.
    case rsa(modulusBits: Int)

    /// Parses a ServerKeyExchange body for the suite's key exchange.
    public static func parse(_ body: [UInt8], keyExchange: KeyExchange) throws(WireParseError) -> ServerKeyExchangeInfo {
        var r = ByteReader(body, context: "ServerKeyExchange")
        switch keyExchange {
        case .dhePSK, .ecdhePSK:
            _ = try r.lengthPrefixed(2, context: "ServerKeyExchange PSK identity hint")
        default:
            break
        }
        switch keyExchange {
        case .dhe, .dhePSK:
            var p = try r.lengthPrefixed(2, context: "ServerKeyExchange DH prime")
            let g = try r.lengthPrefixed(2, context: "ServerKeyExchange DH generator")
            _ = try r.lengthPrefixed(2, context: "ServerKeyExchange DH public value")
            return .dh(primeBits: bitLength(p.rest()), generatorBytes: g.remaining)
        case .ecdhe, .ecdhePSK:
            let curveType = try r.u8()
            guard curveType == 3 else { return .ecdheExplicit(curveType: curveType) }
            let group = try r.u16()
            _ = try r.lengthPrefixed(1, context: "ServerKeyExchange EC point")
            return .ecdhe(namedGroup: group)
        case .rsa:
            var m = try r.lengthPrefixed(2, context: "ServerKeyExchange RSA modulus")
            _ = try r.lengthPrefixed(2, context: "ServerKeyExchange RSA exponent")
            return .rsa(modulusBits: bitLength(m.rest()))
        default:
            throw .unexpected("ServerKeyExchange for key exchange \(keyExchange.rawValue)")
        }
    }

    /// Bit length of a big-endian unsigned integer.
    public static func bitLength(_ bytes: [UInt8]) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bytes.count - first - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }
}

/// The Certificate message of TLS ≤ 1.2 (RFC 5246 §7.4.2): the DER certificates in order.
public struct CertificateMessage: Sendable, Equatable {
    public var certificates: [[UInt8]]
    public var sizes: [Int] { certificates.map(\.count) }

    /// At most this many certificates are kept (a chain longer than that is hostile or broken).
    public static let maxCertificates = 32

    public static func parse(_ body: [UInt8]) throws(WireParseError) -> CertificateMessage {
        var r = ByteReader(body, context: "Certificate")
        var list = try r.lengthPrefixed(3, context: "Certificate list")
        var certs: [[UInt8]] = []
        while !list.isAtEnd {
            var c = try list.lengthPrefixed(3, context: "Certificate entry")
            certs.append(c.rest())
            if certs.count > maxCertificates { throw .tooLarge(what: "certificate count", size: certs.count, limit: maxCertificates) }
        }
        return CertificateMessage(certificates: certs)
    }
}
