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
        let clients = AddressSet.single(source, version: version)
        let classes = interfaceClasses(query.inputInterface)
        var results: [(InterfaceClass, FlowVerdict, UInt16?, String, [TraceStep])] = []
        for cls in classes {
            var tally = Tally(version: version)
            tally.add(run(version: version, l4proto: query.l4proto, port: query.destinationPort, sourcePort: query.sourcePort,
                          clients: clients, interface: cls, destination: query.destination))
            let trace = tally.trace(for: clients)
            if !tally.certainlyAccepted.isEmpty {
                let port = tally.ports.count == 1 ? tally.ports.first : nil
                results.append((cls, .accept, port, "accepted" + (port.map { $0 != query.destinationPort ? ", delivered to port \($0)" : "" } ?? ""), trace))
            } else if !tally.unsure.isEmpty {
                results.append((cls, .undetermined, nil, tally.reasons(for: clients).joined(separator: "; "), trace))
            } else if !tally.reject.isEmpty {
                results.append((cls, .reject, nil, "rejected", trace))
            } else if !tally.elsewhere.union(tally.drop).isEmpty {
                results.append((cls, .drop, nil, "dropped", trace))
            } else {
                results.append((cls, .undetermined, nil, "no path reached a decision", trace))
            }
        }
        var answer: FlowAnswer
        let first = results[0]
        if results.allSatisfy({ $0.1 == first.1 && $0.2 == first.2 }) {
            answer = FlowAnswer(family: version, verdict: first.1, deliveredPort: first.1 == .accept ? first.2 : nil,
                                reason: first.3, trace: first.4)
            if first.1 == .undetermined && results.count > 1 { answer.reason = results.map(\.3).joined(separator: "; ") }
        } else {
            let per = results.map { "\($0.0.label): \($0.1.rawValue)" }.joined(separator: ", ")
            answer = FlowAnswer(family: version, verdict: .undetermined, deliveredPort: nil,
                                reason: "depends on the input interface (\(per)); pass one", trace: results.flatMap(\.4))
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
        var classes: [(InterfaceClass, Tally)] = []
        for cls in interfaceClasses(inputInterface) {
            var t = Tally(version: version)
            t.add(run(version: version, l4proto: l4proto, port: port, sourcePort: nil, clients: .all(version), interface: cls,
                      destination: nil))
            classes.append((cls, t))
        }
        return SymbolicSummary.combine(version: version, classes: classes, warnings: warnings,
                                       what: "a new \(protoName(l4proto)) connection to port \(port)")
    }

    public func exposure(localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> FamilySummary {
        let ports = candidatePorts(localPort: localPort)
        var classes: [(InterfaceClass, Tally)] = []
        for cls in interfaceClasses(inputInterface) {
            // An address that certainly reaches the socket through one port is exposed, whatever
            // the other ports do; one that is unsure through some port and certain through none is unsure.
            var combined = Tally(version: version)
            var exposed = AddressSet.empty(version), unsure = AddressSet.empty(version), rejected = AddressSet.empty(version)
            for p in ports {
                var t = Tally(version: version)
                t.add(run(version: version, l4proto: l4proto, port: p, sourcePort: nil, clients: .all(version), interface: cls,
                          destination: nil), deliveredTo: localPort)
                exposed = exposed.union(t.certainlyAccepted)
                unsure = unsure.union(t.unsure)
                if p == localPort { rejected = t.reject }
                combined.leaves += t.leaves
            }
            combined.accept = exposed
            combined.undetermined = unsure.subtracting(exposed)
            combined.reject = rejected.subtracting(exposed).subtracting(combined.undetermined)
            combined.drop = AddressSet.all(version).subtracting(exposed).subtracting(combined.undetermined).subtracting(combined.reject)
            if !exposed.isEmpty { combined.ports = [localPort] }
            classes.append((cls, combined))
        }
        var s = SymbolicSummary.combine(version: version, classes: classes, warnings: warnings,
                                        what: "a socket on \(protoName(l4proto)) port \(localPort)")
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

    func interfaceClasses(_ requested: String?) -> [InterfaceClass] {
        if let requested { return [InterfaceClass(representative: requested, label: requested, isExact: true)] }
        return InterfaceSpace.classes(ruleset: ruleset, knownNames: Array(interfaceIndexes.keys))
            .filter { $0.representative != InterfaceSpace.loopback }
    }

    func run(version: IPVersion, l4proto: UInt8, port: UInt16, sourcePort: UInt16?, clients: AddressSet,
             interface: InterfaceClass, destination: [UInt8]?) -> [Leaf] {
        let context = FlowContext(version: version, l4proto: l4proto, port: port, sourcePort: sourcePort,
                                  interface: interface.representative,
                                  interfaceIndex: interface.isExact ? interfaceIndexes[interface.representative] : nil,
                                  destination: destination,
                                  localAddresses: Set(localAddresses.filter { $0.count == version.addressLength }))
        let store = setIndexes
        let renderer = ruleRenderer
        let walker = ChainWalker(ruleset: ruleset, context: context, sets: { store.index($0, $1) }, render: renderer)
        return walker.connection(PathState(clients: clients))
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
