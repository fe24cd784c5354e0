/// A hand-built ClientHello for SSLv3 and TLS 1.0–1.3, with every extension a probe needs.
///
/// Built by hand rather than by OpenSSL so that any suite (export, RC4, NULL, anonymous, GOST…),
/// any version (SSLv3) and exact extension sets can be offered. The bytes are never meant to
/// complete a handshake: a probe reads the server's first flight and closes.
public struct ClientHello: Sendable {
    /// `legacy_version` (TLS 1.3 hellos say 0x0303 and list versions in supported_versions).
    public var clientVersion: UInt16
    /// Version in the record header (0x0301 for TLS hellos, as browsers do; 0x0300 for SSLv3).
    public var recordVersion: UInt16
    public var random: [UInt8]
    public var sessionID: [UInt8]
    /// 2-byte suite codes in preference order (signalling values included as given).
    public var cipherSuites: [UInt16]
    /// Compression methods; 0 (null) must be present for a sane server, 1 = DEFLATE.
    public var compressionMethods: [UInt8] = [0]
    /// Extensions in order; nil omits the extension block (SSLv3 style).
    public var extensions: [HelloExtension]?
    /// Add an RFC 7685 padding extension so the record avoids 256–511 bytes (F5 hello bug).
    public var padAwayFromBuggyLengths = true

    public init(clientVersion: UInt16, recordVersion: UInt16, random: [UInt8], sessionID: [UInt8] = [],
                cipherSuites: [UInt16], compressionMethods: [UInt8] = [0], extensions: [HelloExtension]?) {
        self.clientVersion = clientVersion
        self.recordVersion = recordVersion
        self.random = random
        self.sessionID = sessionID
        self.cipherSuites = cipherSuites
        self.compressionMethods = compressionMethods
        self.extensions = extensions
    }

    /// The handshake message (type 1, 3-byte length, body).
    public func handshakeMessage() -> [UInt8] {
        var body = ByteWriter()
        body.u16(clientVersion)
        body.append(Array(random.prefix(32)) + [UInt8](repeating: 0, count: max(0, 32 - random.count)))
        body.lengthPrefixed(1) { $0.append(Array(sessionID.prefix(32))) }
        body.lengthPrefixed(2) { w in for s in cipherSuites { w.u16(s) } }
        body.lengthPrefixed(1) { $0.append(compressionMethods) }
        if var exts = extensions {
            if padAwayFromBuggyLengths {
                // Record = 5 (record) + 4 (handshake) + body + 2 (ext block length) + extensions.
                let unpadded = 5 + 4 + body.bytes.count + 2 + exts.reduce(0) { $0 + 4 + $1.data.count }
                if unpadded >= 256 && unpadded < 512 {
                    let need = 512 - unpadded - 4
                    exts.append(HelloExtension(type: ExtensionType.padding, data: [UInt8](repeating: 0, count: max(0, need))))
                }
            }
            body.lengthPrefixed(2) { w in
                for e in exts {
                    w.u16(e.type)
                    w.lengthPrefixed(2) { $0.append(e.data) }
                }
            }
        }
        var msg = ByteWriter()
        msg.u8(HandshakeType.clientHello.rawValue)
        msg.lengthPrefixed(3) { $0.append(body.bytes) }
        return msg.bytes
    }

    /// The hello framed in TLS records (split at 2^14 bytes).
    public func recordBytes() -> [UInt8] {
        TLSRecord.frame(contentType: .handshake, version: recordVersion, payload: handshakeMessage())
    }

    // MARK: - Presets

    /// A hello for SSLv3, TLS 1.0, 1.1 or 1.2 offering `cipherSuites`.
    ///
    /// SSLv3 hellos carry no extensions (SSLv3 servers may reject them) and signal secure
    /// renegotiation with the SCSV; TLS hellos carry SNI, groups, point formats, signature
    /// algorithms (TLS 1.2), renegotiation_info, session ticket, EMS, encrypt-then-MAC and
    /// status_request — what a browser sends, so servers behave as they do for real clients.
    public static func legacy(version: ProtocolVersion, cipherSuites: [UInt16], serverName: String?,
                              groups: [UInt16] = ClientHello.defaultTLS12Groups, alpn: [String] = [],
                              offerCompression: Bool = false, fallbackSCSV: Bool = false,
                              random: [UInt8] = randomBytes(32)) -> ClientHello {
        var suites = cipherSuites
        var exts: [HelloExtension]? = nil
        if version == .ssl3 {
            suites.append(SignallingSuite.emptyRenegotiationInfo)
        } else {
            var e: [HelloExtension] = []
            if let name = serverName { e.append(.serverName(name)) }
            e.append(.renegotiationInfo())
            e.append(.supportedGroups(groups))
            e.append(.ecPointFormats())
            if version >= .tls12 { e.append(.signatureAlgorithms(SignatureScheme.broad)) }
            e.append(.sessionTicket())
            e.append(.extendedMasterSecret())
            e.append(.encryptThenMAC())
            e.append(.statusRequest())
            if !alpn.isEmpty { e.append(.alpn(alpn)) }
            exts = e
        }
        if fallbackSCSV { suites.append(SignallingSuite.fallback) }
        return ClientHello(clientVersion: version.wireValue, recordVersion: version == .ssl3 ? 0x0300 : 0x0301,
                           random: random, cipherSuites: suites,
                           compressionMethods: offerCompression ? [1, 0] : [0], extensions: exts)
    }

    /// A TLS 1.3 hello offering `cipherSuites` and `groups`.
    ///
    /// `keyShares`: the groups to send a share for. Only x25519 shares are generated (32 random
    /// bytes are a valid x25519 public value); pass `[]` to send an empty key_share list, which
    /// makes a TLS 1.3 server answer with a HelloRetryRequest that names its preferred group
    /// among `groups` — how groups are enumerated without any elliptic-curve code.
    public static func tls13(cipherSuites: [UInt16], serverName: String?, groups: [UInt16] = ClientHello.defaultTLS13Groups,
                             keyShares: [UInt16] = [NamedGroup.x25519.code], alpn: [String] = [],
                             alsoOffer: [ProtocolVersion] = [], random: [UInt8] = randomBytes(32)) -> ClientHello {
        var e: [HelloExtension] = []
        if let name = serverName { e.append(.serverName(name)) }
        e.append(.supportedVersions([ProtocolVersion.tls13.wireValue] + alsoOffer.map(\.wireValue)))
        e.append(.supportedGroups(groups))
        e.append(.keyShare(keyShares.compactMap { g in g == NamedGroup.x25519.code ? (g, randomBytes(32)) : nil }))
        e.append(.signatureAlgorithms(SignatureScheme.broad))
        e.append(.pskKeyExchangeModes())
        e.append(.ecPointFormats())
        e.append(.renegotiationInfo())
        e.append(.extendedMasterSecret())
        e.append(.sessionTicket())
        e.append(.statusRequest())
        if !alpn.isEmpty { e.append(.alpn(alpn)) }
        return ClientHello(clientVersion: 0x0303, recordVersion: 0x0301, random: random, sessionID: randomBytes(32),
                           cipherSuites: cipherSuites, extensions: e)
    }

    /// Groups offered by TLS 1.2 hellos when not enumerating (every curve a server might pick).
    public static let defaultTLS12Groups: [UInt16] = NamedGroupRegistry.tls12Candidates.map(\.code)
    /// Groups offered by TLS 1.3 hellos when not enumerating.
    public static let defaultTLS13Groups: [UInt16] = NamedGroupRegistry.tls13Candidates.map(\.code)
}

/// One hello extension (type and opaque data).
public struct HelloExtension: Sendable, Equatable {
    public var type: UInt16
    public var data: [UInt8]

    public init(type: UInt16, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    public static func serverName(_ name: String) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(2) { list in
            list.u8(0) // host_name
            list.lengthPrefixed(2) { $0.append(Array(name.utf8.prefix(255))) }
        }
        return HelloExtension(type: ExtensionType.serverName, data: w.bytes)
    }

    public static func supportedGroups(_ groups: [UInt16]) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(2) { l in for g in groups { l.u16(g) } }
        return HelloExtension(type: ExtensionType.supportedGroups, data: w.bytes)
    }

    /// uncompressed, ansiX962_compressed_prime, ansiX962_compressed_char2.
    public static func ecPointFormats() -> HelloExtension {
        HelloExtension(type: ExtensionType.ecPointFormats, data: [3, 0, 1, 2])
    }

    public static func signatureAlgorithms(_ schemes: [UInt16]) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(2) { l in for s in schemes { l.u16(s) } }
        return HelloExtension(type: ExtensionType.signatureAlgorithms, data: w.bytes)
    }

    /// Empty renegotiation_info (initial handshake, RFC 5746).
    public static func renegotiationInfo() -> HelloExtension {
        HelloExtension(type: ExtensionType.renegotiationInfo, data: [0])
    }

    public static func sessionTicket() -> HelloExtension { HelloExtension(type: ExtensionType.sessionTicket, data: []) }
    public static func extendedMasterSecret() -> HelloExtension { HelloExtension(type: ExtensionType.extendedMasterSecret, data: []) }
    public static func encryptThenMAC() -> HelloExtension { HelloExtension(type: ExtensionType.encryptThenMAC, data: []) }

    /// OCSP status_request with no responder IDs or request extensions.
    public static func statusRequest() -> HelloExtension {
        HelloExtension(type: ExtensionType.statusRequest, data: [1, 0, 0, 0, 0])
    }

    public static func alpn(_ protocols: [String]) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(2) { l in
            for p in protocols { l.lengthPrefixed(1) { $0.append(Array(p.utf8.prefix(255))) } }
        }
        return HelloExtension(type: ExtensionType.alpn, data: w.bytes)
    }

    public static func supportedVersions(_ versions: [UInt16]) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(1) { l in for v in versions { l.u16(v) } }
        return HelloExtension(type: ExtensionType.supportedVersions, data: w.bytes)
    }

    /// key_share with the given (group, public key) entries; an empty list is legal and forces HRR.
    public static func keyShare(_ shares: [(UInt16, [UInt8])]) -> HelloExtension {
        var w = ByteWriter()
        w.lengthPrefixed(2) { l in
            for (g, k) in shares {
                l.u16(g)
                l.lengthPrefixed(2) { $0.append(k) }
            }
        }
        return HelloExtension(type: ExtensionType.keyShare, data: w.bytes)
    }

    /// psk_dhe_ke only.
    public static func pskKeyExchangeModes() -> HelloExtension {
        HelloExtension(type: ExtensionType.pskKeyExchangeModes, data: [1, 1])
    }
}

/// `count` bytes from the system random generator.
public func randomBytes(_ count: Int) -> [UInt8] {
    // Eight bytes per draw: one draw per byte cost a getrandom(2) call per byte, 64 per hello.
    var g = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 7)
    while bytes.count < count { withUnsafeBytes(of: g.next() as UInt64) { bytes.append(contentsOf: $0) } }
    return Array(bytes.prefix(count))
}
