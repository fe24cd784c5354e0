/// The wire-level scan's findings in the shape the result model needs. Filled from
/// `WireScanResult` (Scan/, tls-wire) by `WireScanBridge`.
struct WireFacts: Sendable {
    /// Per protocol: supported, or why the check failed.
    var protocols: [ProtocolKey: Result<Bool, CheckFailure>] = [:]
    var cipherSuites: [ProtocolKey: [String]] = [:]
    var cipherSuitesStatus: CheckStatus = .error("not run")
    var serverOrder: Bool?
    var groups: [String] = []
    var groupsStatus: CheckStatus = .error("not run")
    var dhBits: Int?
    var secureRenegotiation: Result<Bool, CheckFailure> = .failure(CheckFailure("not run"))
    var compression: Result<Bool, CheckFailure> = .failure(CheckFailure("not run"))
    var fallbackScsv: Result<Bool, CheckFailure> = .failure(CheckFailure("not run"))
    var connections = 0

    /// Any protocol (SSL or TLS) answered with a handshake.
    var speaksTLS: Bool {
        protocols.values.contains { if case .success(true) = $0 { return true } else { return false } }
    }
}

struct CheckFailure: Error, Sendable, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
