import TLSWire

/// Whether a check ran to completion. A failed check carries the reason and must never be
/// read as a negative finding ("not supported") by report code.
public enum CheckStatus: Sendable, Equatable, CustomStringConvertible {
    case completed
    case error(String)

    public var isCompleted: Bool { self == .completed }
    public var description: String {
        switch self {
        case .completed: "completed"
        case .error(let r): "error: \(r)"
        }
    }
}

/// What the wire-level scan found for one protocol version.
public struct ProtocolScanResult: Sendable, Equatable {
    public var version: ProtocolVersion
    /// The server negotiated this version with at least one suite. Meaningful only when
    /// `status` is `.completed` (on error it says what was seen before the failure).
    public var supported: Bool
    public var status: CheckStatus
    /// Accepted suites (SSLv2: cipher kinds), in the server's order when `serverOrder == true`,
    /// else in the order they were found.
    public var cipherSuites: [CipherSuite]
    /// true: the server imposes its order; false: it follows the client's; nil: not
    /// determinable (fewer than two suites, SSLv2, or an error).
    public var serverOrder: Bool?
    /// How the server ended the enumeration: for an unsupported version, how it refused the
    /// hello (e.g. protocol_version or internal_error alert, close, reset); nil when the last
    /// answer was not a refusal (all candidates accepted, another version negotiated, error).
    public var refusal: Rejection?
    /// The version the server negotiated instead, when it answered this version's hello with
    /// another one (e.g. a TLS 1.0-only server answering a TLS 1.2 hello with TLS 1.0).
    public var answeredWithVersion: UInt16?

    public init(version: ProtocolVersion, supported: Bool = false, status: CheckStatus = .completed,
                cipherSuites: [CipherSuite] = [], serverOrder: Bool? = nil) {
        self.version = version
        self.supported = supported
        self.status = status
        self.cipherSuites = cipherSuites
        self.serverOrder = serverOrder
    }

    /// IANA names of the accepted suites, in `cipherSuites` order.
    public var cipherSuiteNames: [String] { cipherSuites.map(\.ianaName) }
}

/// Key exchange groups found by elimination.
public struct GroupScanResult: Sendable, Equatable {
    /// TLS 1.3 groups (HelloRetryRequest elimination), in the order the server picked them
    /// (its preference when it imposes one).
    public var tls13: [NamedGroup] = []
    public var tls13Status: CheckStatus = .completed
    /// ECDHE curves usable with TLS ≤ 1.2 that `tls13` does not already list (ServerKeyExchange
    /// elimination over the rest; e.g. brainpool curves, which TLS 1.3 does not define).
    public var tls12Extra: [NamedGroup] = []
    public var tls12Status: CheckStatus = .completed

    public init() {}

    /// Union of both lists, TLS 1.3 order first.
    public var all: [NamedGroup] {
        var seen = Set<UInt16>()
        return (tls13 + tls12Extra).filter { seen.insert($0.code).inserted }
    }

    public var status: CheckStatus {
        if case .error = tls13Status { return tls13Status }
        return tls12Status
    }
}

/// Everything the wire-level scan found about one endpoint.
public struct WireScanResult: Sendable, Equatable {
    public var target: Endpoint
    /// One entry per version, ssl2 … tls1.3, always all six.
    public var protocols: [ProtocolScanResult]
    public var groups: GroupScanResult
    /// Smallest finite-field DH prime seen in a DHE ServerKeyExchange (nil: no DHE suite).
    public var dhBits: Int?
    public var dhBitsStatus: CheckStatus
    /// RFC 5746 renegotiation_info in the ServerHello of the highest TLS ≤ 1.2 version
    /// (nil: no version ≤ 1.2 negotiated, e.g. a TLS 1.3-only server, where renegotiation
    /// does not exist).
    public var secureRenegotiation: Bool?
    public var secureRenegotiationStatus: CheckStatus
    /// The server chose DEFLATE when offered (nil: no version ≤ 1.2 negotiated).
    public var compression: Bool?
    public var compressionStatus: CheckStatus
    /// TLS_FALLBACK_SCSV honoured (inappropriate_fallback alert on a downgraded hello). nil when
    /// the server supports fewer than two versions, so no downgrade exists to refuse.
    public var fallbackSCSV: Bool?
    public var fallbackSCSVStatus: CheckStatus
    /// The peer answered at least once in TLS/SSL framing (a ServerHello or an alert).
    public var speaksTLS: Bool
    /// TCP connections established by the scan.
    public var handshakes: Int
    /// Most connections the scan had open at the same time (≤ maxConcurrentConnections).
    public var peakConcurrentConnections: Int
    /// Wall time of the scan in seconds.
    public var elapsedSeconds: Double

    /// The result for one version.
    public subscript(_ version: ProtocolVersion) -> ProtocolScanResult {
        protocols.first { $0.version == version } ?? ProtocolScanResult(version: version, status: .error("not scanned"))
    }

    /// Versions the server negotiated.
    public var supportedVersions: [ProtocolVersion] { protocols.filter(\.supported).map(\.version) }

    /// Every check with its status, keyed like the report's `checks` object.
    public var checks: [(name: String, status: CheckStatus)] {
        protocols.map { ("protocol.\($0.version.key)", $0.status) } + [
            ("groups.tls1.3", groups.tls13Status), ("groups.tls1.2", groups.tls12Status),
            ("dhBits", dhBitsStatus), ("secureRenegotiation", secureRenegotiationStatus),
            ("compression", compressionStatus), ("fallbackSCSV", fallbackSCSVStatus),
        ]
    }

    public static func == (a: WireScanResult, b: WireScanResult) -> Bool {
        a.target == b.target && a.protocols == b.protocols && a.groups == b.groups && a.dhBits == b.dhBits
            && a.dhBitsStatus == b.dhBitsStatus && a.secureRenegotiation == b.secureRenegotiation
            && a.secureRenegotiationStatus == b.secureRenegotiationStatus && a.compression == b.compression
            && a.compressionStatus == b.compressionStatus && a.fallbackSCSV == b.fallbackSCSV
            && a.fallbackSCSVStatus == b.fallbackSCSVStatus && a.speaksTLS == b.speaksTLS && a.handshakes == b.handshakes
    }
}
