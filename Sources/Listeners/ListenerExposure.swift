import NftModel
import FirewallEvaluator

/// How far a listening socket is reachable from other hosts, per IP version, in the firewall's
/// vocabulary (`accept|conditional|drop|reject|undetermined`) plus `notExposed` for a version the
/// socket cannot receive at all (loopback-only, IPv4 socket asked about IPv6, v6only socket asked
/// about IPv4). Both versions are always present: nothing is omitted silently.
public struct ListenerExposure: Sendable, Codable, Hashable {
    public var ipv4: FamilyExposure
    public var ipv6: FamilyExposure

    public init(ipv4: FamilyExposure, ipv6: FamilyExposure) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    public subscript(version: IPVersion) -> FamilyExposure { version == .ipv4 ? ipv4 : ipv6 }

    /// Every version undetermined for one reason (e.g. the ruleset could not be read).
    public static func undetermined(_ reason: String) -> ListenerExposure {
        let e = FamilyExposure(verdict: .undetermined, acceptedFrom: [], interfaces: [], reason: reason)
        return ListenerExposure(ipv4: e, ipv6: e)
    }
}

public enum ExposureVerdict: String, Sendable, Codable, Hashable {
    case accept, conditional, drop, reject, undetermined
    /// The socket cannot receive this IP version from another host, whatever the firewall says.
    case notExposed

    init(_ summary: SummaryVerdict) {
        switch summary {
        case .accept: self = .accept
        case .conditional: self = .conditional
        case .drop: self = .drop
        case .reject: self = .reject
        case .undetermined: self = .undetermined
        }
    }

    /// True when some new connection from outside can reach the socket (or it may).
    public var mayBeReached: Bool { self == .accept || self == .conditional || self == .undetermined }
}

/// The exposure for one IP version (the firewall's `FamilySummary`, reduced to what a listener
/// table needs, keeping the trace as proof).
public struct FamilyExposure: Sendable, Codable, Hashable {
    public var verdict: ExposureVerdict
    /// CIDR prefixes from which a new connection reaches the socket ("0.0.0.0/0" = everywhere).
    public var acceptedFrom: [String]
    /// Inbound interfaces the acceptance is limited to; empty = any.
    public var interfaces: [String]
    /// Ports a client connects to that are delivered to this socket through dnat/redirect, when
    /// the firewall rewrites them (a socket on 8443 reached via 443 lists [443]); empty = its own port.
    public var viaPorts: [UInt16]
    public var reason: String
    public var trace: [TraceStep]

    public init(verdict: ExposureVerdict, acceptedFrom: [String], interfaces: [String], viaPorts: [UInt16] = [],
                reason: String, trace: [TraceStep] = []) {
        self.verdict = verdict
        self.acceptedFrom = acceptedFrom
        self.interfaces = interfaces
        self.viaPorts = viaPorts
        self.reason = reason
        self.trace = trace
    }
}

/// Anything that can answer "from where can a new inbound connection reach local port P?".
/// `FirewallEvaluator` conforms (see `FirewallEvaluator+ExposureOracle.swift`); the join is written
/// against this so it is testable and independent of how the ruleset was obtained. Answers are
/// computed concurrently, hence `Sendable`.
public protocol ListenerExposureOracle: Sendable {
    func exposure(localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> FamilySummary
    /// Other ports whose connections dnat/redirect delivers to `localPort` ("exposed via 443").
    func externalPorts(reaching localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> [UInt16]
}

/// Joins listeners with the firewall.
public enum ListenerExposureJoin {
    /// One question to the firewall; many sockets share one (a port on v4 and v6, reuseport groups).
    struct Question: Hashable, Sendable {
        var port: UInt16
        var l4proto: UInt8
        var version: IPVersion
        var interface: String?
    }

    struct Answer: Sendable {
        var summary: FamilySummary
        var viaPorts: [UInt16]
    }

    static func ask(_ q: Question, _ oracle: some ListenerExposureOracle) -> Answer {
        let summary = oracle.exposure(localPort: q.port, l4proto: q.l4proto, version: q.version, inputInterface: q.interface)
        let via = ExposureVerdict(summary.verdict).mayBeReached
            ? oracle.externalPorts(reaching: q.port, l4proto: q.l4proto, version: q.version, inputInterface: q.interface)
            : []
        return Answer(summary: summary, viaPorts: via)
    }

    static func question(_ l: Listener, _ version: IPVersion) -> Question {
        Question(port: l.port, l4proto: l.protocol.ipProtocolNumber, version: version, interface: l.boundInterface)
    }

    static func exposure(of l: Listener, accepted: [IPVersion], answers: (Question) -> Answer) -> ListenerExposure {
        func family(_ version: IPVersion) -> FamilyExposure {
            guard accepted.contains(version) else {
                return FamilyExposure(verdict: .notExposed, acceptedFrom: [], interfaces: [], reason: notExposedReason(l, version))
            }
            let a = answers(question(l, version))
            var interfaces = a.summary.interfaces
            if let bound = l.boundInterface, interfaces.isEmpty { interfaces = [bound] }
            return FamilyExposure(verdict: ExposureVerdict(a.summary.verdict), acceptedFrom: a.summary.acceptedFrom,
                                  interfaces: interfaces, viaPorts: a.viaPorts, reason: a.summary.reason, trace: a.summary.trace)
        }
        return ListenerExposure(ipv4: family(.ipv4), ipv6: family(.ipv6))
    }

    /// The exposure of one listener.
    public static func exposure(of listener: Listener, oracle: some ListenerExposureOracle) -> ListenerExposure {
        exposure(of: listener, accepted: listener.acceptedVersions, answers: { ask($0, oracle) })
    }

    /// Every listener of `scan` with its exposure filled in. Each distinct question is asked
    /// once; many questions are spread over the cores.
    public static func join(_ scan: ListenerScan, oracle: some ListenerExposureOracle) -> ListenerScan {
        let accepted = scan.listeners.map(\.acceptedVersions)
        var index: [Question: Int] = [:]
        var questions: [Question] = []
        for (l, versions) in zip(scan.listeners, accepted) {
            for v in versions {
                let q = question(l, v)
                if index[q] == nil {
                    index[q] = questions.count
                    questions.append(q)
                }
            }
        }
        let answers = ParallelMap.map(questions) { ask($0, oracle) }
        var out = scan
        for i in out.listeners.indices {
            out.listeners[i].exposure = exposure(of: out.listeners[i], accepted: accepted[i], answers: { answers[index[$0]!] })
        }
        return out
    }
    /// Every listener marked undetermined (firewall unreadable), except what no firewall can
    /// change: loopback-only sockets and versions a socket cannot receive stay `notExposed`.
    public static func undetermined(_ scan: ListenerScan, reason: String) -> ListenerScan {
        var out = scan
        for i in out.listeners.indices {
            let l = out.listeners[i]
            let accepted = l.acceptedVersions
            func family(_ v: IPVersion) -> FamilyExposure {
                accepted.contains(v)
                    ? FamilyExposure(verdict: .undetermined, acceptedFrom: [], interfaces: [], reason: reason)
                    : FamilyExposure(verdict: .notExposed, acceptedFrom: [], interfaces: [], reason: notExposedReason(l, v))
            }
            out.listeners[i].exposure = ListenerExposure(ipv4: family(.ipv4), ipv6: family(.ipv6))
        }
        return out
    }

    static func notExposedReason(_ l: Listener, _ version: IPVersion) -> String {
        if l.binding == .loopback { return "bound to loopback \(l.address): reachable only from this host" }
        if l.family == .ipv4 { return "IPv4 socket: receives no IPv6" }
        if version == .ipv4 {
            return l.v6only ? "IPv6 socket with IPV6_V6ONLY: receives no IPv4" : "bound to IPv6 address \(l.address): receives no IPv4"
        }
        return "bound to IPv4-mapped address \(l.address): receives only IPv4"
    }
}
