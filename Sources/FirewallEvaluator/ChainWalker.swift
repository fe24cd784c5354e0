import NftModel

/// Walks a connection's packets through the hooks, base chains and rules of a ruleset, the way the
/// kernel does: every base chain of every (non-dormant) table on a hook in priority order; `accept`
/// ends only the current base chain, drop/reject are final; jump/goto/return with an implicit
/// return at the end of a regular chain; the base chain's policy when it falls through.
struct ChainWalker {
    let ruleset: Ruleset
    let context: FlowContext
    let sets: (Table, String) -> SetIndex?
    let render: (Rule, Chain, Table) -> String
    /// The kernel refuses jumps deeper than this.
    static let maxJumpDepth = 16

    /// NAT and conntrack points (NF_IP_PRI_*).
    static let conntrackPriority: Int32 = -200
    static let dstNatPriority: Int32 = -100
    static let srcNatPriority: Int32 = 100

    struct BaseChain {
        var table: Table
        var chain: Chain
        var priority: Int32
        var isNat: Bool
    }

    /// Base chains of `hook` that see an IPv4/IPv6 packet arriving on (or leaving through) the interface.
    func baseChains(_ hook: Hook) -> [BaseChain] {
        var out: [BaseChain] = []
        for table in ruleset.tables where !table.dormant {
            let familyMatches: Bool
            switch table.family {
            case .inet: familyMatches = true
            case .ip: familyMatches = context.version == .ipv4
            case .ip6: familyMatches = context.version == .ipv6
            case .netdev: familyMatches = hook == .ingress
            default: familyMatches = false
            }
            guard familyMatches else { continue }
            for chain in table.chains where chain.hook == hook {
                out.append(BaseChain(table: table, chain: chain, priority: chain.priority ?? 0, isNat: chain.type == .nat))
            }
        }
        // Stable: equal priorities keep table order (the kernel orders them by registration).
        return out.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }.map(\.element)
    }

    // MARK: connection

    /// All three packets of the handshake (one for UDP) for the paths in `start`.
    func connection(_ start: PathState) -> [Leaf] {
        var leaves: [Leaf] = []
        var paths = [start]
        // SYN: ingress → prerouting (dnat) → routing → input.
        paths = hooks([.ingress, .prerouting], .syn, paths, &leaves)
        paths = routeToLocal(paths, &leaves)
        paths = hooks([.input], .syn, paths, &leaves)
        if context.version == .ipv6 {
            // The SYN-ACK needs the client's link-layer address: its neighbor advertisement must get in.
            var ndLeaves: [Leaf] = []
            paths = hooks([.ingress, .prerouting, .input], .neighborAdvert,
                          paths.map { var p = $0; p.translatedView = false; return p }, &ndLeaves)
            for var l in ndLeaves {
                switch l.outcome {
                case .dropped, .rejected:
                    l.outcome = .undetermined("the client's ICMPv6 neighbor advertisements are dropped: IPv6 neighbor discovery fails for on-link clients (an off-link client depends on the router's advertisements)")
                default: break
                }
                leaves.append(l)
            }
            paths = paths.map { var p = $0; p.translatedView = true; return p }
        }
        if context.l4proto == 6 {
            // SYN-ACK from the local socket: output → postrouting (un-dnat at srcnat).
            paths = paths.map { var p = $0; p.translatedView = true; return p }
            paths = hooks([.output, .postrouting], .synAck, paths, &leaves)
            // The client's ACK.
            paths = paths.map { var p = $0; p.translatedView = false; return p }
            paths = hooks([.ingress, .prerouting, .input], .ack, paths, &leaves)
        }
        for p in paths {
            leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .accepted(deliveredPort: p.dnatPort ?? context.port),
                               assumptions: p.assumptions, trace: p.trace))
        }
        return leaves
    }

    /// After prerouting: a dnat target that is not this host is forwarded, which is not the question.
    private func routeToLocal(_ paths: [PathState], _ leaves: inout [Leaf]) -> [PathState] {
        var out: [PathState] = []
        for p in paths {
            guard let a = p.dnatAddress, !p.redirected else { out.append(p); continue }
            let view = PacketView(context: context, position: PacketPosition(packet: .syn, hook: .prerouting, tableFamily: .inet,
                                                                          conntrackAvailable: true), path: p)
            switch view.isLocal(a) {
            case true?: out.append(p)
            case false?:
                leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .undetermined("\(NatEffect.describe(p)) forwards the connection to another host (the forward path is not modelled)"),
                                   assumptions: p.assumptions, trace: p.trace))
            case nil:
                leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .undetermined("cannot tell whether the \(NatEffect.describe(p)) target is an address of this host"),
                                   assumptions: p.assumptions, trace: p.trace))
            }
        }
        return out
    }

    private func hooks(_ hooks: [Hook], _ packet: HandshakePacket, _ paths: [PathState], _ leaves: inout [Leaf]) -> [PathState] {
        var paths = paths
        for h in hooks where !paths.isEmpty { paths = hook(h, packet, paths, &leaves) }
        return paths
    }

    // MARK: hooks

    func hook(_ hook: Hook, _ packet: HandshakePacket, _ start: [PathState], _ leaves: inout [Leaf]) -> [PathState] {
        let chains = baseChains(hook)
        let natPoint: Int32? = switch hook {
        case .prerouting, .output: Self.dstNatPriority
        case .input, .postrouting: Self.srcNatPriority
        default: nil
        }
        let filterChains = chains.filter { !$0.isNat }
        let natChains = chains.filter { $0.isNat }
        var paths = start
        var natDone = natPoint == nil
        func runNatPoint() {
            natDone = true
            // nat-type chains run only for the first packet of a connection, in their priority order,
            // until one binds it.
            if packet == .syn {
                let destinationNat = hook == .prerouting || hook == .output
                for nc in natChains {
                    var next: [PathState] = []
                    var bound: [PathState] = []
                    for p in paths { if p.natBound && destinationNat { bound.append(p) } else { next.append(p) } }
                    if next.isEmpty { break }
                    let passed = baseChain(nc, packet, next, &leaves)
                    paths = PathState.merge(bound + passed)
                }
                if destinationNat {
                    paths = paths.map { var p = $0; p.natBound = true; return p }
                }
            }
            // The translation applies from here on: inbound packets now show the nat target,
            // replies get their original source back at srcnat.
            if hook == .prerouting && packet != .neighborAdvert { paths = paths.map { var p = $0; p.translatedView = true; return p } }
            if hook == .postrouting && packet == .synAck { paths = paths.map { var p = $0; p.translatedView = false; return p } }
        }
        for bc in filterChains {
            if paths.isEmpty { break }
            if !natDone, let np = natPoint, bc.priority >= np { runNatPoint() }
            if hook == .ingress {
                // An ingress chain sees only packets of its devices: split the interface space.
                let devices = bc.chain.devices.reduce(AddressSet.empty(.ipv6)) { $0.union(InterfaceSpace.single($1)) }
                var inside: [PathState] = [], outside: [PathState] = []
                for p in paths {
                    let i = p.interfaces.intersection(devices), o = p.interfaces.subtracting(devices)
                    if !i.isEmpty { var q = p; q.interfaces = i; inside.append(q) }
                    if !o.isEmpty { var q = p; q.interfaces = o; outside.append(q) }
                }
                paths = PathState.merge(outside + baseChain(bc, packet, inside, &leaves))
                continue
            }
            paths = baseChain(bc, packet, paths, &leaves)
        }
        if !natDone { runNatPoint() }
        return paths
    }

    /// Runs one base chain; returns the paths it accepts (or lets through by policy accept).
    func baseChain(_ bc: BaseChain, _ packet: HandshakePacket, _ paths: [PathState], _ leaves: inout [Leaf]) -> [PathState] {
        let conntrack = !(bc.chain.hook == .ingress || bc.table.family == .netdev
                          || ((bc.chain.hook == .prerouting || bc.chain.hook == .output) && bc.priority < Self.conntrackPriority))
        let position = PacketPosition(packet: packet, hook: bc.chain.hook!, tableFamily: bc.table.family, conntrackAvailable: conntrack)
        var passed: [PathState] = []
        for (p, exit) in chain(bc.chain, bc.table, position, paths, depth: 0) {
            var p = p
            switch exit {
            case .returned:
                let policy = bc.chain.policy ?? .accept
                switch policy {
                case .accept:
                    passed.append(p)
                case .drop:
                    p.trace.append(step(bc.table, bc.chain, nil, "policy drop", "drop (\(packet.label))"))
                    leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .dropped, assumptions: p.assumptions, trace: p.trace))
                default:
                    leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .undetermined("chain policy \(policy)"), assumptions: p.assumptions, trace: p.trace))
                }
            case .accepted:
                passed.append(p)
            case .dropped:
                leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .dropped, assumptions: p.assumptions, trace: p.trace))
            case .rejected:
                // A reject of a reply or of the final ACK: the connection never completes; the
                // client sees no answer to its handshake, as with drop.
                let outcome: Outcome = packet == .syn ? .rejected : .dropped
                leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: outcome, assumptions: p.assumptions, trace: p.trace))
            case .undetermined(let r):
                leaves.append(Leaf(clients: p.clients, interfaces: p.interfaces, outcome: .undetermined(r), assumptions: p.assumptions, trace: p.trace))
            }
        }
        return PathState.merge(passed)
    }

    enum ChainExit {
        case returned, accepted, dropped, rejected
        case undetermined(String)
    }

    func step(_ table: Table, _ chain: Chain, _ rule: Rule?, _ text: String, _ verdict: String) -> TraceStep {
        TraceStep(family: table.family.description, table: table.name, chain: chain.name, handle: rule?.handle,
                  rule: text, verdict: verdict)
    }

    func chain(_ chain: Chain, _ table: Table, _ position: PacketPosition, _ start: [PathState], depth: Int) -> [(PathState, ChainExit)] {
        var out: [(PathState, ChainExit)] = []
        var active = start
        let evaluation = RuleEvaluation(context: context, position: position, table: table, sets: sets)
        let packet = position.packet.label
        for rule in chain.rules {
            if active.isEmpty { break }
            var next: [PathState] = []
            for p in active {
                for (q, exit) in evaluation.evaluate(rule, p) {
                    var q = q
                    func record(_ verdict: String) {
                        q.trace.append(step(table, chain, rule, render(rule, chain, table), "\(verdict) (\(packet))"))
                    }
                    switch exit {
                    case .next:
                        next.append(q)
                    case .reject(let kind):
                        record("reject: \(kind)")
                        out.append((q, .rejected))
                    case .undetermined(let reason):
                        record("undetermined: \(reason)")
                        out.append((q, .undetermined(reason)))
                    case .verdict(let v):
                        switch v {
                        case .accept:
                            if q.natBound && position.packet == .syn && chain.type == .nat && (q.dnatPort != nil || q.dnatAddress != nil || q.redirected) {
                                record(NatEffect.describe(q))
                            } else {
                                record("accept")
                            }
                            out.append((q, .accepted))
                        case .drop:
                            record("drop")
                            out.append((q, .dropped))
                        case .continue, .break:
                            next.append(q)
                        case .return:
                            record("return")
                            out.append((q, .returned))
                        case .jump(let target), .goto(let target):
                            let isJump: Bool = if case .jump = v { true } else { false }
                            record(v.description)
                            guard depth < Self.maxJumpDepth, let sub = table.chain(named: target) else {
                                out.append((q, .undetermined("\(v.description): no such chain or jump depth exceeded")))
                                continue
                            }
                            for (r, e) in self.chain(sub, table, position, [q], depth: depth + 1) {
                                if case .returned = e, isJump { next.append(r) } else { out.append((r, e)) }
                            }
                        default:
                            record(v.description)
                            out.append((q, .undetermined("verdict \(v.description) hands the packet elsewhere")))
                        }
                    }
                }
            }
            active = PathState.merge(next)
        }
        out += active.map { ($0, ChainExit.returned) }
        return out
    }
}
