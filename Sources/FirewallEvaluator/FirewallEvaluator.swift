import NftModel

/// Decides, from an nf_tables ruleset alone (pure, no I/O), whether new inbound connections
/// complete: for one concrete flow (`evaluate`), symbolically over every source address and
/// interface (`summarize`), and for a local listening socket through dnat/redirect (`exposure`).
///
/// A connection completes only if the SYN is accepted inbound (ct state new), the SYN-ACK in the
/// output path (established, reply direction) and the client's ACK inbound (established). When a
/// decision rests on something the ruleset alone cannot tell (a stateful match, an unmodelled
/// expression, iptables-legacy tables), the answer is `undetermined` with the reason.
public struct FirewallEvaluator: Sendable {
    public let ruleset: Ruleset
    /// Addresses of this host (4 or 16 bytes), to tell whether a dnat target is local and to
    /// evaluate `fib daddr type` / addrtype after dnat. Empty = unknown.
    public var localAddresses: [[UInt8]]
    /// Interface indexes by name, for `meta iif/oif` (which compare indexes, not names).
    public var interfaceIndexes: [String: UInt32]
    /// Renders a rule in nft syntax for traces (NftRenderer by default).
    public var ruleRenderer: @Sendable (Rule, Chain, Table) -> String
    private let setIndexes: SetIndexStore

    public init(ruleset: Ruleset) {
        self.init(ruleset: ruleset, localAddresses: [], interfaceIndexes: [:])
    }

    public init(ruleset: Ruleset, localAddresses: [[UInt8]], interfaceIndexes: [String: UInt32] = [:]) {
        self.ruleset = ruleset
        self.localAddresses = localAddresses
        self.interfaceIndexes = interfaceIndexes
        self.ruleRenderer = { rule, _, table in NftRenderer.render(rule: rule, in: table, family: table.family) }
        self.setIndexes = SetIndexStore(ruleset)
    }

    /// Warnings that apply to every answer (iptables-legacy tables, reader notes).
    public var warnings: [String] {
        var w: [String] = []
        if !ruleset.legacyIptablesTables.isEmpty {
            w.append("iptables-legacy tables present (\(ruleset.legacyIptablesTables.joined(separator: ", "))): their rules are invisible to nf_tables and may change every answer")
        }
        return w
    }

    // MARK: concrete flow

    public func evaluate(_ query: FlowQuery) -> FlowAnswer {
        let version = query.version
        guard let source = query.source, source.count == version.addressLength else {
            return FlowAnswer(family: version, verdict: .undetermined, deliveredPort: nil,
                              reason: "the query names no \(version) source address", trace: [])
        }
        var tally = Tally(version: version)
        tally.add(run(version: version, l4proto: query.l4proto, port: query.destinationPort, sourcePort: query.sourcePort,
                      clients: .single(source, version: version), interfaces: interfaceUniverse(query.inputInterface),
                      destination: query.destination))
        let trace = tally.trace()
        var answer: FlowAnswer
        let kinds = Set(tally.leaves.map(\.1))
        if !tally.unsure.isEmpty || kinds.contains(.undetermined) {
            answer = FlowAnswer(family: version, verdict: .undetermined, deliveredPort: nil,
                                reason: tally.reasons(for: tally.unsure).joined(separator: "; "), trace: trace)
        } else if kinds.count > 1 {
            // A single source, so the leaves differ by interface.
            let per = tally.leaves.map { "\($0.1) on \(InterfaceSpace.labels($0.0.interfaces).joined(separator: ", "))" }
            answer = FlowAnswer(family: version, verdict: .undetermined, deliveredPort: nil,
                                reason: "depends on the input interface (\(per.joined(separator: "; "))); pass one", trace: trace)
        } else if kinds == [.accept] {
            let port = tally.ports.count == 1 ? tally.ports.first : nil
            let reason = port.map { $0 != query.destinationPort ? "accepted, delivered to port \($0)" : "accepted" }
                ?? "accepted, delivered to ports \(tally.ports.sorted())"
            answer = FlowAnswer(family: version, verdict: port == nil ? .undetermined : .accept, deliveredPort: port, reason: reason, trace: trace)
        } else if kinds == [.reject] {
            answer = FlowAnswer(family: version, verdict: .reject, deliveredPort: nil, reason: "rejected", trace: trace)
        } else if kinds == [.drop] || kinds == [.elsewhere] {
            answer = FlowAnswer(family: version, verdict: .drop, deliveredPort: nil, reason: "dropped", trace: trace)
        } else {
            answer = FlowAnswer(family: version, verdict: .undetermined, deliveredPort: nil, reason: "no path reached a decision", trace: trace)
        }
        if !warnings.isEmpty {
            if answer.verdict != .undetermined {
                answer.reason = "nf_tables alone says: \(answer.verdict.rawValue) (\(answer.reason))"
                answer.verdict = .undetermined
                answer.deliveredPort = nil
            }
            answer.reason = warnings.joined(separator: "; ") + ". " + answer.reason
        }
        return answer
    }

    // MARK: summaries

    public func summarize(version: IPVersion, l4proto: UInt8, port: UInt16, inputInterface: String?) -> FamilySummary {
        let universe = interfaceUniverse(inputInterface)
        var t = Tally(version: version)
        t.add(run(version: version, l4proto: l4proto, port: port, sourcePort: nil, clients: .all(version), interfaces: universe,
                  destination: nil))
        return SymbolicSummary.summarize(t, universe: universe, warnings: warnings,
                                         what: "a new \(protoName(l4proto)) connection to port \(port)")
    }

    public func exposure(localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> FamilySummary {
        let ports = candidatePorts(localPort: localPort)
        let universe = interfaceUniverse(inputInterface)
        // A region that certainly reaches the socket through one port is exposed, whatever the other
        // ports do; regions unsure through some port and not certainly exposed stay unsure.
        var exposed: [Box] = []
        var unsure: [Box] = []
        var combined = Tally(version: version)
        var rejectedOnly = true
        for p in ports {
            var t = Tally(version: version)
            t.add(run(version: version, l4proto: l4proto, port: p, sourcePort: nil, clients: .all(version), interfaces: universe,
                      destination: nil), deliveredTo: localPort)
            exposed += t.certainlyAccepted
            unsure += t.unsure
            if t.has(.drop) || t.has(.undetermined) { rejectedOnly = false }
            combined.leaves += t.leaves
        }
        unsure = unsure.filter { u in !exposed.contains { $0.clients.intersection(u.clients) == u.clients && $0.interfaces.intersection(u.interfaces) == u.interfaces } }
        // Rebuild a tally whose leaves are the exposed and unsure regions, for the summary.
        var t = Tally(version: version)
        for b in exposed {
            t.leaves.append((Leaf(clients: b.clients, interfaces: b.interfaces, outcome: .accepted(deliveredPort: localPort), assumptions: [], trace: []), .accept))
        }
        for b in unsure {
            t.leaves.append((Leaf(clients: b.clients, interfaces: b.interfaces, outcome: .undetermined("uncertain"), assumptions: [], trace: []), .undetermined))
        }
        let reached = exposed.reduce(AddressSet.empty(version)) { $0.union($1.clients) }
        if !reached.isAll || exposed.isEmpty {
            let kind: Tally.Kind = rejectedOnly && combined.has(.reject) ? .reject : .drop
            t.leaves.append((Leaf(clients: AddressSet.all(version).subtracting(reached), interfaces: universe,
                                  outcome: kind == .reject ? .rejected : .dropped, assumptions: [], trace: []), kind))
        }
        if !exposed.isEmpty { t.ports = [localPort] }
        var s = SymbolicSummary.summarize(t, universe: universe, warnings: warnings,
                                          what: "a socket on \(protoName(l4proto)) port \(localPort)")
        if !unsure.isEmpty {
            s.reason = "a socket on \(protoName(l4proto)) port \(localPort) is undetermined from \(unsure.reduce(AddressSet.empty(version)) { $0.union($1.clients) }): "
                + combined.reasons(for: unsure).joined(separator: "; ")
        }
        s.trace = combined.trace()
        s.deliveredPorts = [localPort]
        if ports.count > 1 { s.reason += " (external ports considered: \(ports.map(String.init).joined(separator: ", ")))" }
        return s
    }

    /// The local port plus every port a nat-type chain compares against: the ports a dnat or
    /// redirect might bring to the socket.
    func candidatePorts(localPort: UInt16) -> [UInt16] {
        var ports: Set<UInt16> = [localPort]
        for table in ruleset.tables where !table.dormant {
            let natChains = table.chains.filter { $0.type == .nat }
            guard !natChains.isEmpty else { continue }
            // Regular chains may be jumped to from nat chains: scan every chain of a table that has nat chains.
            for chain in table.chains {
                for rule in chain.rules { PortCollector.collect(rule.expressions, table: table, into: &ports) }
            }
        }
        return ports.sorted()
    }

    // MARK: running

    /// The interfaces a question covers: the one asked about, or every interface but loopback.
    func interfaceUniverse(_ requested: String?) -> AddressSet {
        requested.map(InterfaceSpace.single) ?? InterfaceSpace.allButLoopback
    }

    func run(version: IPVersion, l4proto: UInt8, port: UInt16, sourcePort: UInt16?, clients: AddressSet,
             interfaces: AddressSet, destination: [UInt8]?) -> [Leaf] {
        let context = FlowContext(version: version, l4proto: l4proto, port: port, sourcePort: sourcePort,
                                  interfaceIndexes: interfaceIndexes, destination: destination,
                                  localAddresses: Set(localAddresses.filter { $0.count == version.addressLength }))
        let store = setIndexes
        let renderer = ruleRenderer
        let walker = ChainWalker(ruleset: ruleset, context: context, sets: { store.index($0, $1) }, render: renderer)
        return walker.connection(PathState(clients: clients, interfaces: interfaces))
    }

    private func protoName(_ p: UInt8) -> String {
        switch p {
        case 6: "TCP"
        case 17: "UDP"
        default: "protocol \(p)"
        }
    }
}

/// Set indexes for every set of every table, built once per evaluator.
final class SetIndexStore: Sendable {
    private let indexes: [String: SetIndex]

    init(_ ruleset: Ruleset) {
        var out: [String: SetIndex] = [:]
        for table in ruleset.tables {
            var dynamic = Set<String>()
            for chain in table.chains {
                for rule in chain.rules {
                    for e in rule.expressions { if case .dynset(let d) = e { dynamic.insert(d.setName) } }
                }
            }
            for set in table.sets {
                out[Self.key(table, set.name)] = SetIndex(set: set, updatedFromPacketPath: dynamic.contains(set.name))
            }
        }
        indexes = out
    }

    static func key(_ table: Table, _ name: String) -> String { "\(table.family.rawValue)|\(table.name)|\(name)" }

    func index(_ table: Table, _ name: String) -> SetIndex? { indexes[Self.key(table, name)] }
}
