import NftModel

/// What `portcullis apply` is asked to open.
public struct PortOpeningRequest: Sendable {
    public var port: UInt16
    /// 6 (tcp) or 17 (udp).
    public var l4proto: UInt8
    /// Only this source prefix (nil = from everywhere the ruleset does not otherwise block).
    public var source: (version: IPVersion, address: [UInt8], prefixLength: Int)?
    /// Only through this inbound interface (nil = every interface).
    public var inputInterface: String?
    /// Families to open; a `source` restricts it to that source's family.
    public var versions: [IPVersion]

    public init(port: UInt16, l4proto: UInt8 = 6, source: (IPVersion, [UInt8], Int)? = nil,
                inputInterface: String? = nil, versions: [IPVersion] = IPVersion.allCases) {
        self.port = port
        self.l4proto = l4proto
        self.source = source.map { (version: $0.0, address: $0.1, prefixLength: $0.2) }
        self.inputInterface = inputInterface
        self.versions = source.map { [$0.0] } ?? versions
    }
}

/// The minimal set of rule insertions that makes the requested connections complete, found by
/// simulating the ruleset (never by guessing): evaluate the flow, and where a rule or a policy
/// drops or rejects one of its packets, add an accept rule for exactly that packet right before
/// the deciding rule (or at the end of the chain, for a policy) — so every rule that comes earlier,
/// a blocklist for instance, keeps its effect. Repeat until the flow is accepted.
public struct PortOpeningPlan: Sendable {
    public var insertions: [RuleInsertion]
    /// Per family: the summary before and after (simulated) the insertions.
    public var before: [IPVersion: FamilySummary]
    public var after: [IPVersion: FamilySummary]
    /// The ruleset as it will be once the insertions are committed.
    public var resulting: Ruleset
    /// Nil when the plan opens the port; otherwise why no safe change could be found (nothing is
    /// then written).
    public var refusal: String?
    public var notes: [String]

    public var changesSomething: Bool { !insertions.isEmpty }
}

public enum PortOpeningPlanner {
    /// Marks the rules Portcullis adds, in their userdata comment.
    public static let commentPrefix = "portcullis apply"
    /// Fake handles for simulated rules: far above anything the kernel hands out in practice.
    static let simulatedHandleBase: UInt64 = 1 << 62
    static let maxSteps = 24
    /// An interface name no ruleset plausibly names, standing for every interface not named by a rule.
    static let anyOtherInterface = "pcany0"

    public static func plan(ruleset: Ruleset, request: PortOpeningRequest, localAddresses: [[UInt8]] = [],
                            interfaceIndexes: [String: UInt32] = [:]) -> PortOpeningPlan {
        func evaluator(_ rs: Ruleset) -> FirewallEvaluator {
            FirewallEvaluator(ruleset: rs, localAddresses: localAddresses, interfaceIndexes: interfaceIndexes)
        }
        var plan = PortOpeningPlan(insertions: [], before: [:], after: [:], resulting: ruleset, refusal: nil, notes: [])
        let initial = evaluator(ruleset)
        if !initial.warnings.isEmpty {
            plan.refusal = initial.warnings.joined(separator: "; ") + ": refusing to change a ruleset whose effect cannot be known"
            return plan
        }
        for version in request.versions {
            plan.before[version] = initial.summarize(version: version, l4proto: request.l4proto, port: request.port,
                                                     inputInterface: request.inputInterface)
        }
        var current = ruleset
        var steps = 0
        for version in request.versions {
            let source = request.source?.address ?? representativeSource(version)
            // Without --interface, plan for an interface no rule names: "any other interface".
            // Interface-specific rules that come earlier keep their effect (reported as a note).
            for iface in [request.inputInterface ?? anyOtherInterface] {
                while true {
                    let answer = evaluator(current).evaluate(FlowQuery(version: version, l4proto: request.l4proto,
                                                                       destinationPort: request.port, source: source,
                                                                       inputInterface: iface))
                    if answer.verdict == .accept { break }
                    steps += 1
                    guard steps <= maxSteps else {
                        plan.refusal = "no convergence after \(maxSteps) insertions"
                        return plan
                    }
                    guard let deciding = answer.trace.last,
                          let insertion = insertion(for: deciding, answer: answer, in: current, request: request,
                                                    version: version, handle: simulatedHandleBase + UInt64(steps)),
                          let next = current.inserting(insertion) else {
                        plan.refusal = "\(version): \(answer.verdict.rawValue) — \(answer.reason); no rule Portcullis can add would change that"
                        return plan
                    }
                    plan.insertions.append(insertion)
                    current = next
                }
            }
        }
        plan.resulting = current
        let final = evaluator(current)
        for version in request.versions {
            let s = final.summarize(version: version, l4proto: request.l4proto, port: request.port,
                                    inputInterface: request.inputInterface)
            plan.after[version] = s
            if s.verdict == .conditional && request.source == nil {
                plan.notes.append("\(version): still conditional after the change: rules placed before the deciding ones (blocklists, interface or source limits) keep their effect")
            }
        }
        return plan
    }

    /// An address from a documentation range (RFC 5737 / RFC 3849): stands for "any client".
    static func representativeSource(_ version: IPVersion) -> [UInt8] {
        version == .ipv4 ? [192, 0, 2, 10] : [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [10]
    }

    /// The accept rule for the packet a trace step dropped, placed right before that step's rule
    /// (or at the end of its chain when the chain's policy decided).
    static func insertion(for step: TraceStep, answer: FlowAnswer, in ruleset: Ruleset, request: PortOpeningRequest,
                          version: IPVersion, handle: UInt64) -> RuleInsertion? {
        let verdict = step.verdict
        guard verdict.hasPrefix("drop") || verdict.hasPrefix("reject") else { return nil }
        guard answer.verdict != .undetermined || verdict.contains("(neighbor ") else { return nil }
        guard let family = Family(name: step.family), let table = ruleset.table(family: family, name: step.table),
              let chain = table.chain(named: step.chain) else { return nil }
        let packet: AcceptedPacket
        if verdict.contains("(SYN-ACK)") { packet = .reply }
        else if verdict.contains("(neighbor solicitation)") { packet = .neighborSolicitation }
        else if verdict.contains("(neighbor advertisement)") { packet = .neighborAdvertisement }
        else if verdict.contains("(SYN)") || verdict.contains("(ACK)") { packet = .inbound }
        else { return nil }
        let position: RuleInsertion.Position
        if let h = step.handle { position = .before(handle: h) } else {
            guard chain.isBaseChain else { return nil }
            position = .end
        }
        let comment = "\(commentPrefix): \(request.l4proto == 17 ? "udp" : "tcp") \(request.port)"
        let rule = Rule(handle: handle, comment: comment,
                        expressions: AcceptRuleBuilder.expressions(packet: packet, tableFamily: family, version: version,
                                                                    request: request))
        return RuleInsertion(family: family, table: table.name, chain: chain.name, position: position, rule: rule,
                             rendered: NftRenderer.render(rule: rule, in: table, family: family))
    }
}

/// Which packet of the connection an inserted rule lets through.
enum AcceptedPacket {
    /// SYN and the client's ACK: `th dport PORT`, with the requested source and interface.
    case inbound
    /// The SYN-ACK: `th sport PORT ct state established`.
    case reply
    /// The client's IPv6 neighbor solicitations (in) and the server's advertisements (out), without
    /// which an on-link client cannot send its SYN.
    case neighborSolicitation
    case neighborAdvertisement
}

/// Builds the expressions of an accept rule exactly as nft would encode them, so the simulated
/// ruleset is the one the kernel will hold.
enum AcceptRuleBuilder {
    static let r1 = Register(1)

    static func expressions(packet: AcceptedPacket, tableFamily: Family, version: IPVersion,
                            request: PortOpeningRequest) -> [Expression] {
        var out: [Expression] = []
        let multiFamily = tableFamily == .inet || tableFamily == .netdev || tableFamily == .bridge
        if packet == .neighborSolicitation || packet == .neighborAdvertisement {
            if multiFamily { out += nfproto(version) }
            out += [.meta(Meta(key: .l4proto, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: [58])),
                    .payload(Payload(base: .transport, offset: 0, length: 1, dreg: r1)),
                    .cmp(Cmp(sreg: r1, op: .eq, data: [packet == .neighborSolicitation ? 135 : 136]))]
            out.append(.immediate(Immediate(dreg: .verdict, verdict: .accept)))
            return out
        }
        if packet == .inbound, let iface = request.inputInterface {
            var name = Array(iface.utf8)
            name += [UInt8](repeating: 0, count: max(0, 16 - name.count))
            out += [.meta(Meta(key: .iifname, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: name))]
        }
        if packet == .inbound, let src = request.source {
            out += nfproto(src.version)
            out += sourcePrefix(src.version, src.address, src.prefixLength)
        } else if multiFamily && request.source == nil && tableFamily != .inet {
            out += nfproto(version)
        }
        out += [.meta(Meta(key: .l4proto, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: [request.l4proto]))]
        let portBytes = [UInt8(request.port >> 8), UInt8(request.port & 0xff)]
        out += [.payload(Payload(base: .transport, offset: packet == .reply ? 0 : 2, length: 2, dreg: r1)),
                .cmp(Cmp(sreg: r1, op: .eq, data: portBytes))]
        if packet == .reply {
            // ct state established (a 4-byte state bitmask, host byte order).
            out += [.ct(Ct(key: .state, dreg: r1)),
                    .bitwise(Bitwise(sreg: r1, dreg: r1, length: 4, mask: le32(CtStateBit.established), xor: le32(0))),
                    .cmp(Cmp(sreg: r1, op: .neq, data: le32(0)))]
        }
        out.append(.immediate(Immediate(dreg: .verdict, verdict: .accept)))
        return out
    }

    private static func nfproto(_ v: IPVersion) -> [Expression] {
        [.meta(Meta(key: .nfproto, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: [v.nfproto]))]
    }

    private static func sourcePrefix(_ v: IPVersion, _ address: [UInt8], _ length: Int) -> [Expression] {
        let offset: UInt32 = v == .ipv4 ? 12 : 8
        let full = v.addressLength
        if length == full * 8 {
            return [.payload(Payload(base: .network, offset: offset, length: UInt32(full), dreg: r1)),
                    .cmp(Cmp(sreg: r1, op: .eq, data: address))]
        }
        // As nft: whole bytes are compared directly; a partial byte needs a mask.
        let bytes = (length + 7) / 8
        if bytes == 0 { return [] }
        var out: [Expression] = [.payload(Payload(base: .network, offset: offset, length: UInt32(bytes), dreg: r1))]
        var value = Array(address[0..<bytes])
        if length % 8 != 0 {
            var mask = [UInt8](repeating: 0xff, count: bytes)
            mask[bytes - 1] = UInt8(truncatingIfNeeded: 0xff << (8 - length % 8))
            value[bytes - 1] &= mask[bytes - 1]
            out.append(.bitwise(Bitwise(sreg: r1, dreg: r1, length: UInt32(bytes), mask: mask,
                                        xor: [UInt8](repeating: 0, count: bytes))))
        }
        out.append(.cmp(Cmp(sreg: r1, op: .eq, data: value)))
        return out
    }

    private static func le32(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)]
    }
}
