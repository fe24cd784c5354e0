/// A parsed ServerHello or HelloRetryRequest (RFC 8446 §4.1.3–4.1.4, RFC 5246 §7.4.1.3).
public struct ServerHello: Sendable, Equatable {
    /// `legacy_version` / server_version field.
    public var legacyVersion: UInt16
    public var random: [UInt8]
    public var sessionID: [UInt8]
    public var cipherSuite: UInt16
    public var compressionMethod: UInt8
    /// Extensions in order (type, data); empty when the hello had no extension block.
    public var extensions: [HelloExtension]
    /// True when `random` is the HelloRetryRequest magic value.
    public var isHelloRetryRequest: Bool

    /// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
    public static let helloRetryRequestRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// The version actually negotiated: supported_versions when present (TLS 1.3), else legacy.
    public var negotiatedVersion: UInt16 { selectedVersion ?? legacyVersion }

    public var negotiatedProtocol: ProtocolVersion? { ProtocolVersion(wireValue: negotiatedVersion) }

    public func extensionData(_ type: UInt16) -> [UInt8]? { extensions.first { $0.type == type }?.data }

    /// supported_versions value (2 bytes) when present.
    public var selectedVersion: UInt16? {
        guard let d = extensionData(ExtensionType.supportedVersions), d.count == 2 else { return nil }
        return UInt16(d[0]) << 8 | UInt16(d[1])
    }

    /// key_share: the group of the server share (ServerHello) or the requested group (HRR).
    public var keyShareGroup: UInt16? {
        guard let d = extensionData(ExtensionType.keyShare), d.count >= 2 else { return nil }
        return UInt16(d[0]) << 8 | UInt16(d[1])
    }

    /// renegotiation_info present (RFC 5746 secure renegotiation).
    public var hasRenegotiationInfo: Bool { extensionData(ExtensionType.renegotiationInfo) != nil }

    /// The ALPN protocol selected by the server, if any.
    public var alpnProtocol: String? {
        guard let d = extensionData(ExtensionType.alpn) else { return nil }
        var r = ByteReader(d, context: "ALPN extension")
        guard var list = try? r.lengthPrefixed(2), var name = try? list.lengthPrefixed(1) else { return nil }
        return String(decoding: name.rest(), as: UTF8.self)
    }

    public var hasExtendedMasterSecret: Bool { extensionData(ExtensionType.extendedMasterSecret) != nil }

    /// Parses a ServerHello body (after the 4-byte handshake header).
    public static func parse(_ body: [UInt8]) throws(WireParseError) -> ServerHello {
        var r = ByteReader(body, context: "ServerHello")
        let version = try r.u16()
        guard version >> 8 == 3 else { throw .invalid("ServerHello version 0x\(hex(version, digits: 4))") }
        let random = try r.bytes(32)
        var sid = try r.lengthPrefixed(1, context: "ServerHello session id")
        guard sid.remaining <= 32 else { throw .tooLarge(what: "ServerHello session id", size: sid.remaining, limit: 32) }
        let sessionID = sid.rest()
        let suite = try r.u16()
        let compression = try r.u8()
        var exts: [HelloExtension] = []
        if !r.isAtEnd {
            var block = try r.lengthPrefixed(2, context: "ServerHello extensions")
            while !block.isAtEnd {
                let type = try block.u16()
                var data = try block.lengthPrefixed(2, context: "ServerHello extension \(type)")
                if exts.contains(where: { $0.type == type }) { throw .invalid("duplicate ServerHello extension \(type)") }
                exts.append(HelloExtension(type: type, data: data.rest()))
                if exts.count > 64 { throw .tooLarge(what: "ServerHello extension count", size: exts.count, limit: 64) }
            }
        }
        return ServerHello(legacyVersion: version, random: random, sessionID: sessionID, cipherSuite: suite,
                           compressionMethod: compression, extensions: exts,
                           isHelloRetryRequest: random == helloRetryRequestRandom)
    }
}
