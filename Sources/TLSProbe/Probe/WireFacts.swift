import TLSWire

/// The wire-level scan's findings in the shape of the result model (protocol keys, IANA names,
/// check names), made from `WireScanResult`.
struct WireFacts: Sendable {
    /// Per protocol: true/false when known, nil when its check failed before seeing a handshake.
    var protocols: [ProtocolKey: Bool?] = [:]
    var cipherSuites: [ProtocolKey: [String]] = [:]
    var serverOrder: Bool?
    var groups: [String] = []
    var dhBits: Int?
    var secureRenegotiation: Bool?
    var compression: Bool?
    var fallbackScsv: Bool?
    /// The scan's own checks, by name ("protocol.tls1.2", "groups.tls1.3", "dhBits" …).
    var checks: [String: CheckStatus] = [:]
    var speaksTLS = false
    var connections = 0

    init(_ scan: WireScanResult) {
        for p in scan.protocols {
            guard let key = ProtocolKey(rawValue: p.version.key) else { continue }
            // A handshake seen is a fact even if a later connection of the same check failed.
            protocols[key] = p.supported ? true : (p.status.isCompleted ? false : nil)
            if p.supported { cipherSuites[key] = p.cipherSuiteNames }
        }
        // The order the server imposes, judged on the newest version where it could be told.
        serverOrder = scan.protocols.reversed().compactMap(\.serverOrder).first
        groups = scan.groups.all.map(\.name)
        dhBits = scan.dhBits
        secureRenegotiation = scan.secureRenegotiation
        compression = scan.compression
        fallbackScsv = scan.fallbackSCSV
        for (name, status) in scan.checks { checks[name] = status }
        speaksTLS = scan.speaksTLS && !scan.supportedVersions.isEmpty
        connections = scan.handshakes
    }
}

/// Runs the wire-level scan (`WireScanner`) with the probe's options.
enum WireScanBridge {
    /// - Parameter reserveOne: leave one of `options.concurrency` connections for the OpenSSL
    ///   checks running at the same time.
    static func scan(_ endpoint: Endpoint, options: ProbeOptions, reserveOne: Bool) async -> WireFacts {
        let scanner = WireScanner(options: ScanOptions(
            timeout: options.timeout, retries: options.retries, delay: options.delay,
            maxConcurrentConnections: max(1, options.concurrency - (reserveOne ? 1 : 0)), scanDeadline: options.deadline))
        return WireFacts(await scanner.scan(endpoint))
    }
}
