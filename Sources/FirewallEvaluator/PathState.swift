import NftModel

/// Which packet of the TCP three-way handshake is being evaluated.
enum HandshakePacket: String, Sendable {
    /// Client → server, ct state new, ct direction original.
    case syn
    /// Server → client (output, postrouting), ct state established, ct direction reply.
    case synAck
    /// Client → server, ct state established, ct direction original.
    case ack
    /// IPv6 only: the client's ICMPv6 neighbor advertisement (untracked by conntrack). Without it
    /// the server cannot send the SYN-ACK to an on-link client.
    case neighborAdvert

    var isInbound: Bool { self != .synAck }
    var tcpFlags: UInt8 {
        switch self {
        case .syn: 0x02
        case .synAck: 0x12
        case .ack: 0x10
        case .neighborAdvert: 0
        }
    }
    var label: String {
        switch self {
        case .syn: "SYN"
        case .synAck: "SYN-ACK"
        case .ack: "ACK"
        case .neighborAdvert: "neighbor advertisement"
        }
    }
}

/// Facts fixed for one evaluation run: one IP version, one interface class, one port.
struct FlowContext: Sendable {
    var version: IPVersion
    var l4proto: UInt8
    /// The destination port the client connects to.
    var port: UInt16
    /// Client source port; nil in a summary (any port).
    var sourcePort: UInt16?
    /// Interface indexes by name (for `meta iif/oif`).
    var interfaceIndexes: [String: UInt32]
    /// The local destination address; nil = "some address of this host".
    var destination: [UInt8]?
    /// Addresses known to be local (to decide where dnat goes and `fib daddr type`).
    var localAddresses: Set<[UInt8]>
}

/// Where the packet is being evaluated.
struct PacketPosition {
    var packet: HandshakePacket
    var hook: Hook
    var tableFamily: Family
    /// Whether conntrack has already seen the packet (it runs at priority -200 in prerouting/output).
    var conntrackAvailable: Bool
}

/// One path of the abstract interpretation: the client addresses still on it and everything the
/// rules may have changed (NAT binding, marks), plus the trace of deciding steps so far.
struct PathState: Sendable {
    var clients: AddressSet
    /// Inbound interface names still on the path (16-byte names as 128-bit values).
    var interfaces: AddressSet
    /// DNAT/redirect binding made by a nat chain for this connection.
    var dnatAddress: [UInt8]?
    var dnatPort: UInt16?
    /// `redirect`: the destination became the inbound interface's primary address.
    var redirected = false
    /// A nat binding (possibly the null binding) exists: later nat chains no longer run.
    var natBound = false
    /// Whether the packet currently shows the translated (post-dnat) addresses and ports.
    var translatedView = false
    /// Packet mark and conntrack mark; nil once set from something the evaluator cannot know.
    var mark: UInt32? = 0
    var ctMark: UInt32? = 0
    /// Unknowable conditions this path assumed (stateful matches, unknown packet fields).
    var assumptions: [Assumption] = []
    var trace: [TraceStep] = []

    struct MergeKey: Hashable {
        var dnatAddress: [UInt8]?
        var dnatPort: UInt16?
        var redirected: Bool
        var natBound: Bool
        var translatedView: Bool
        var mark: UInt32?
        var ctMark: UInt32?
        var assumptions: [Assumption]
    }

    func get(_ v: Variable) -> AddressSet { v == .client ? clients : interfaces }
    mutating func set(_ v: Variable, _ s: AddressSet) { if v == .client { clients = s } else { interfaces = s } }

    var mergeKey: MergeKey {
        MergeKey(dnatAddress: dnatAddress, dnatPort: dnatPort, redirected: redirected, natBound: natBound, translatedView: translatedView,
                 mark: mark, ctMark: ctMark, assumptions: assumptions)
    }

    /// Joins paths that differ only in their client addresses (and trace), so a chain of
    /// non-terminal rules that each split the space does not multiply paths.
    static func merge(_ paths: [PathState]) -> [PathState] {
        if paths.count <= 1 { return paths }
        // Paths are boxes (addresses × interfaces): two boxes join exactly when they agree on one side.
        let byInterfaces = mergeOn(paths, key: { MergeBy(key: $0.mergeKey, side: $0.interfaces) }, join: { a, b in a.clients = a.clients.union(b.clients) })
        if byInterfaces.count <= 1 { return byInterfaces }
        return mergeOn(byInterfaces, key: { MergeBy(key: $0.mergeKey, side: $0.clients) }, join: { a, b in a.interfaces = a.interfaces.union(b.interfaces) })
    }

    private struct MergeBy: Hashable {
        var key: MergeKey
        var side: AddressSet
    }

    /// Groups by the cheap key first; compares the (possibly large) sets only within a group.
    private static func mergeOn(_ paths: [PathState], key: (PathState) -> MergeBy, join: (inout PathState, PathState) -> Void) -> [PathState] {
        var out: [PathState] = []
        var groups: [MergeKey: [Int]] = [:]
        for p in paths {
            let k = key(p)
            if let candidates = groups[k.key], let hit = candidates.first(where: { key(out[$0]).side == k.side }) {
                join(&out[hit], p)
                for step in p.trace where !out[hit].trace.contains(step) { out[hit].trace.append(step) }
            } else {
                groups[k.key, default: []].append(out.count)
                out.append(p)
            }
        }
        return out
    }
}

/// How a path ended.
enum Outcome: Sendable, Hashable {
    case accepted(deliveredPort: UInt16)
    case dropped
    case rejected
    case undetermined(String)
}

/// A condition the evaluator could not know and followed both ways.
struct Assumption: Sendable, Hashable {
    var reason: String
    var matched: Bool
}

/// A finished path.
struct Leaf: Sendable {
    var clients: AddressSet
    var interfaces: AddressSet
    var outcome: Outcome
    var assumptions: [Assumption]
    var trace: [TraceStep]
}
