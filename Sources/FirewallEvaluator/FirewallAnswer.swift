import NftModel

/// The public vocabulary of firewall answers (the JSON contract of `portcullis firewall`,
/// schemaVersion 1). Listeners, audit and reports speak only in these types.

/// Verdict for one concrete flow.
public enum FlowVerdict: String, Sendable, Codable, Hashable {
    case accept, drop, reject, undetermined
}

/// Verdict for a family over the whole source space.
public enum SummaryVerdict: String, Sendable, Codable, Hashable {
    /// Accepted from every source on every interface.
    case accept
    /// Accepted only from `acceptedFrom` prefixes and/or `interfaces`.
    case conditional
    case drop
    case reject
    case undetermined
}

/// One rule (or chain policy) that took part in a decision.
public struct TraceStep: Sendable, Codable, Hashable {
    public var family: String
    public var table: String
    public var chain: String
    /// Rule handle; nil when the step is the chain's policy.
    public var handle: UInt64?
    /// The rule rendered in nft syntax (or "policy drop").
    public var rule: String
    /// What this step did: "accept", "drop", "jump x", "dnat to :8443", "continue", …
    public var verdict: String

    public init(family: String, table: String, chain: String, handle: UInt64?, rule: String, verdict: String) {
        self.family = family
        self.table = table
        self.chain = chain
        self.handle = handle
        self.rule = rule
        self.verdict = verdict
    }
}

/// The question: a new inbound connection.
public struct FlowQuery: Sendable, Hashable {
    public var version: IPVersion
    /// L4 protocol number (6 tcp, 17 udp).
    public var l4proto: UInt8
    public var destinationPort: UInt16
    /// Source address bytes (4 or 16); nil in a summary query.
    public var source: [UInt8]?
    public var sourcePort: UInt16
    /// Inbound interface name; nil means "any interface".
    public var inputInterface: String?
    /// The local destination address; nil means "an address of this host" (fib daddr type local).
    public var destination: [UInt8]?

    public init(version: IPVersion, l4proto: UInt8 = 6, destinationPort: UInt16, source: [UInt8]? = nil,
                sourcePort: UInt16 = 40000, inputInterface: String? = nil, destination: [UInt8]? = nil) {
        self.version = version
        self.l4proto = l4proto
        self.destinationPort = destinationPort
        self.source = source
        self.sourcePort = sourcePort
        self.inputInterface = inputInterface
        self.destination = destination
    }
}

/// Answer for one concrete flow.
public struct FlowAnswer: Sendable, Codable, Hashable {
    public var family: IPVersion
    public var verdict: FlowVerdict
    /// The port the connection finally reaches after dnat/redirect (== asked port without NAT).
    public var deliveredPort: UInt16?
    public var reason: String
    public var trace: [TraceStep]

    public init(family: IPVersion, verdict: FlowVerdict, deliveredPort: UInt16?, reason: String, trace: [TraceStep]) {
        self.family = family
        self.verdict = verdict
        self.deliveredPort = deliveredPort
        self.reason = reason
        self.trace = trace
    }
}

/// Answer for a family over all sources (computed symbolically, not by sampling).
public struct FamilySummary: Sendable, Codable, Hashable {
    public var family: IPVersion
    public var verdict: SummaryVerdict
    /// CIDR prefixes from which a new connection is accepted ("0.0.0.0/0" when from everywhere).
    public var acceptedFrom: [String]
    /// Interfaces the acceptance is limited to; empty = any interface.
    public var interfaces: [String]
    /// Ports the connection is delivered to after NAT, when NAT rewrites it.
    public var deliveredPorts: [UInt16]
    public var reason: String
    public var trace: [TraceStep]

    public init(family: IPVersion, verdict: SummaryVerdict, acceptedFrom: [String], interfaces: [String],
                deliveredPorts: [UInt16] = [], reason: String, trace: [TraceStep]) {
        self.family = family
        self.verdict = verdict
        self.acceptedFrom = acceptedFrom
        self.interfaces = interfaces
        self.deliveredPorts = deliveredPorts
        self.reason = reason
        self.trace = trace
    }
}
