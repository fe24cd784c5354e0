/// Lookup of every known cipher suite by code or name (see `CipherSuiteTable.swift`).
public enum CipherSuiteRegistry {
    /// All suites: TLS 2-byte codes ascending, then SSLv2 kinds.
    public static var all: [CipherSuite] { table }

    /// How many TLS suites open the table (ascending by code, a test checks it): they are
    /// found by binary search, which needs nothing built at run time, unlike a dictionary.
    private static let tlsSuiteCount = table.firstIndex { $0.width != 2 } ?? table.count

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
    public static func suite(tls code: UInt16) -> CipherSuite? {
        var low = 0, high = tlsSuiteCount
        while low < high {
            let middle = (low + high) / 2
            let found = table[middle].code
            if found == UInt32(code) { return table[middle] }
            if found < UInt32(code) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The SSLv2 cipher kind with this 3-byte code.
    public static func suite(sslv2 code: UInt32) -> CipherSuite? { bySSLv2Code[code] }

    /// A suite by IANA or OpenSSL name (TLS suites win over SSLv2 kinds for OpenSSL names).
    public static func suite(named name: String) -> CipherSuite? { byName[name] }

    /// The name for a TLS code, known or not (`UNKNOWN_0xC0FF`).
    public static func name(tls code: UInt16) -> String {
        suite(tls: code)?.ianaName ?? "UNKNOWN_0x" + hex(code, digits: 4)
    }

    /// The suites a hello for `version` offers, in registry order (SSLv2: the 3-byte kinds).
    public static func candidates(for version: ProtocolVersion) -> [CipherSuite] {
        switch version {
        case .ssl2: ssl2Candidates
        case .ssl3: ssl3Candidates
        case .tls10: tls10Candidates
        case .tls11: tls11Candidates
        case .tls12: tls12Candidates
        case .tls13: tls13Candidates
        }
    }

    // Each computed once, when a scan job first asks for its version's list.
    private static let ssl2Candidates = offered(in: .ssl2)
    private static let ssl3Candidates = offered(in: .ssl3)
    private static let tls10Candidates = offered(in: .tls10)
    private static let tls11Candidates = offered(in: .tls11)
    private static let tls12Candidates = offered(in: .tls12)
    private static let tls13Candidates = offered(in: .tls13)

    private static func offered(in version: ProtocolVersion) -> [CipherSuite] {
        var suites: [CipherSuite] = []
        suites.reserveCapacity(table.count)
        for suite in table where suite.isOffered(in: version) { suites.append(suite) }
        return suites
    }
}

/// Signalling cipher suite values (not real suites).
public enum SignallingSuite {
    /// RFC 5746: TLS_EMPTY_RENEGOTIATION_INFO_SCSV.
    public static let emptyRenegotiationInfo: UInt16 = 0x00FF
    /// RFC 7507: TLS_FALLBACK_SCSV.
    public static let fallback: UInt16 = 0x5600
}
