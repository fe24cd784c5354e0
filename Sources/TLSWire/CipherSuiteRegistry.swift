/// Lookup of every known cipher suite by code or name (see `CipherSuiteTable.swift`).
public enum CipherSuiteRegistry {
    /// All suites: TLS 2-byte codes ascending, then SSLv2 kinds.
    public static var all: [CipherSuite] { table }

    private static let byTLSCode: [UInt16: CipherSuite] = {
        var d: [UInt16: CipherSuite] = [:]
        for s in table where s.width == 2 { d[UInt16(s.code)] = s }
        return d
    }()

    private static let bySSLv2Code: [UInt32: CipherSuite] = {
        var d: [UInt32: CipherSuite] = [:]
        for s in table where s.width == 3 { d[s.code] = s }
        return d
    }()

    private static let byName: [String: CipherSuite] = {
        var d: [String: CipherSuite] = [:]
        for s in table {
            if d[s.ianaName] == nil { d[s.ianaName] = s }
            if let o = s.openSSLName, s.width == 2, d[o] == nil { d[o] = s }
        }
        return d
    }()

    /// The TLS suite with this 2-byte code.
    public static func suite(tls code: UInt16) -> CipherSuite? { byTLSCode[code] }

    /// The SSLv2 cipher kind with this 3-byte code.
    public static func suite(sslv2 code: UInt32) -> CipherSuite? { bySSLv2Code[code] }

    /// A suite by IANA or OpenSSL name (TLS suites win over SSLv2 kinds for OpenSSL names).
    public static func suite(named name: String) -> CipherSuite? { byName[name] }

    /// The name for a TLS code, known or not (`UNKNOWN_0xC0FF`).
    public static func name(tls code: UInt16) -> String {
        byTLSCode[code]?.ianaName ?? "UNKNOWN_0x" + hex(code, digits: 4)
    }

    /// The suites a hello for `version` offers, in registry order (SSLv2: the 3-byte kinds).
    public static func candidates(for version: ProtocolVersion) -> [CipherSuite] {
        candidatesByVersion[version] ?? table.filter { $0.isOffered(in: version) }
    }

    /// Computed once: every scan job asks for its version's list.
    private static let candidatesByVersion: [ProtocolVersion: [CipherSuite]] = {
        var d: [ProtocolVersion: [CipherSuite]] = [:]
        for version in ProtocolVersion.allCases { d[version] = table.filter { $0.isOffered(in: version) } }
        return d
    }()
}

/// Signalling cipher suite values (not real suites).
public enum SignallingSuite {
    /// RFC 5746: TLS_EMPTY_RENEGOTIATION_INFO_SCSV.
    public static let emptyRenegotiationInfo: UInt16 = 0x00FF
    /// RFC 7507: TLS_FALLBACK_SCSV.
    public static let fallback: UInt16 = 0x5600
}
