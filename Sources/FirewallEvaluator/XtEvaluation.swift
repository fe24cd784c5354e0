import NftModel

/// iptables-nft compat expressions, evaluated from their decoded `xt_*` structs. Anything not
/// decoded is undetermined: an unknown match may have side effects (`recent --set`, hashlimit).
enum XtEvaluation {
    typealias Step = RuleEvaluation.Step

    static func match(_ m: XtMatch, view: PacketView, regs: inout RegisterFile, path: PathState,
                      step: (ConditionResult, String) -> Step) -> Step {
        guard let info = m.decoded else {
            // `rt` (IPv6 routing header, ufw's `-m rt --rt-type 0 -j DROP`) only ever matches a packet
            // that carries a routing header, which a client's TCP handshake does not.
            if m.name == "rt" && ctxIsIPv6(view) { return .noMatch }
            // `hl` (ip6t_hl_info { u8 mode; u8 hop_limit; }, ufw: `-m hl --hl-eq 255` on neighbor
            // discovery) is not decoded by the reader; only a neighbor advertisement's hop limit (255) is known.
            if m.name == "hl" && m.info.count >= 2 && m.info[0] <= 3 {
                guard view.position.packet == .neighborAdvert else { return .fork("iptables hl match (hop limit of the packet)") }
                let limit = m.info[1], hl: UInt8 = 255
                let hit = switch m.info[0] {
                case 0: hl == limit
                case 1: hl != limit
                case 2: hl < limit
                default: hl > limit
                }
                return hit ? .proceed : .noMatch
            }
            return .exit(.undetermined("iptables match '\(m.name)' (revision \(m.revision)) is not decoded"))
        }
        let ctx = view.context
        let inbound = view.position.packet.isInbound
        let localPort = view.localPort(translated: path.translatedView)
        let (sport, dport): (UInt16?, UInt16?) = inbound ? (ctx.sourcePort, localPort) : (localPort, ctx.sourcePort)

        /// nil = depends on the (unknown) client port.
        func portIn(_ port: UInt16?, _ range: PortRange) -> Bool? {
            if range == PortRange.all { return true }
            return port.map { range.contains($0) }
        }

        func combine(_ parts: [Bool?], _ what: String) -> Step {
            if parts.contains(false) { return .noMatch }
            if parts.contains(where: { $0 == nil }) { return .fork("\(what) [the client's source port]") }
            return .proceed
        }

        switch info {
        case .tcp(let sp, let dp, let option, let mask, let cmp, let inv):
            guard view.l4proto == 6 else { return .noMatch }
            let s = portIn(sport, sp).map { $0 != (inv & 0x01 != 0) }
            let d = portIn(dport, dp).map { $0 != (inv & 0x02 != 0) }
            let flags = (view.position.packet.tcpFlags & mask == cmp) != (inv & 0x04 != 0)
            if option != 0 { return .fork("iptables tcp --tcp-option \(option)") }
            return combine([s, d, flags], "iptables tcp match")
        case .udp(let sp, let dp, let inv):
            guard view.l4proto == 17 else { return .noMatch }
            let s = portIn(sport, sp).map { $0 != (inv & 0x01 != 0) }
            let d = portIn(dport, dp).map { $0 != (inv & 0x02 != 0) }
            return combine([s, d], "iptables udp match")
        case .multiport(let side, let ports, let inverted):
            func any(_ p: UInt16?) -> Bool? {
                if ports.contains(where: { $0 == PortRange.all }) { return true }
                guard let p else { return nil }
                return ports.contains { $0.contains(p) }
            }
            let hit: Bool?
            switch side {
            case 0: hit = any(sport)
            case 1: hit = any(dport)
            default:
                let a = any(sport), b = any(dport)
                hit = (a == true || b == true) ? true : (a == nil || b == nil) ? nil : false
            }
            return combine([hit.map { $0 != inverted }], "iptables multiport match")
        case .conntrack(let mask, let inverted, let other):
            // The reader gives the state mask in nft's CtStateBit encoding (untracked = 64) and lists
            // the SNAT/DNAT pseudo-states, which the kernel tests together with the state bits.
            let wantsDNAT = other.contains("ctstate DNAT"), wantsSNAT = other.contains("ctstate SNAT")
            let rest = other.filter { $0 != "ctstate DNAT" && $0 != "ctstate SNAT" }
            if !rest.isEmpty { return .fork("iptables conntrack match on \(rest.joined(separator: ", "))") }
            guard mask != nil || wantsDNAT || wantsSNAT else { return .proceed }
            let bit: UInt16
            if view.position.packet == .neighborAdvert { bit = UInt16(CtStateBit.untracked) }
            else if !view.position.conntrackAvailable { bit = UInt16(CtStateBit.invalid) }
            else { bit = view.position.packet == .syn ? UInt16(CtStateBit.new) : UInt16(CtStateBit.established) }
            let natted = view.position.packet != .neighborAdvert && view.position.conntrackAvailable
                && (path.dnatAddress != nil || path.dnatPort != nil || path.redirected)
            let hit = ((mask ?? 0) & bit != 0) || (wantsDNAT && natted)
            return hit != inverted ? .proceed : .noMatch
        case .state(let mask):
            if view.position.packet == .neighborAdvert { return mask & 64 != 0 ? .proceed : .noMatch }
            let bit: UInt32 = !view.position.conntrackAvailable ? 1 : view.position.packet == .syn ? 8 : 2
            return mask & bit != 0 ? .proceed : .noMatch
        case .addrtype(let srcMask, let dstMask, let flags):
            if flags & (4 | 8) != 0 { return .fork("iptables addrtype --limit-iface") }
            var parts: [Bool?] = []
            if srcMask != 0 {
                return .fork("iptables addrtype --src-type (the client address's route type)")
            }
            if dstMask != 0 {
                let localType: UInt16 = 1 << 2, unicast: UInt16 = 1 << 1
                var type: UInt16? = localType
                if !inbound { type = nil }
                else if path.translatedView, let a = path.dnatAddress {
                    type = view.isLocal(a).map { $0 ? localType : unicast }
                }
                guard let t = type else { return .fork("iptables addrtype --dst-type (destination route type)") }
                parts.append((dstMask & t != 0) != (flags & 2 != 0))
            }
            return parts.contains(false) ? .noMatch : .proceed
        case .iprange(let src, let dst, let flags):
            var regsCopy = regs
            let (sAddr, dAddr) = view.addresses(&regsCopy)
            var result: ConditionResult = .always(true)
            func apply(_ cells: [Cell], _ range: AddressRange, _ inverted: Bool) {
                var r = ValueConstraint.inRanges(ValueConstraint.shape(cells, regsCopy), [(range.lower, range.upper)], version: ctx.version)
                if inverted {
                    switch r {
                    case .always(let b): r = .always(!b)
                    case .constraint(let v, let s): r = .constraint(v, s.complement())
                    case .unknown: break
                    }
                }
                result = and(result, r, version: ctx.version)
            }
            if flags & 1 != 0, let s = src { apply(sAddr, s, flags & 0x10 != 0) }
            if flags & 2 != 0, let d = dst { apply(dAddr, d, flags & 0x20 != 0) }
            return step(result, "iptables iprange")
        case .comment:
            return .proceed
        case .limit(let avg, let burst):
            return .fork("iptables limit (avg \(avg), burst \(burst))")
        case .icmp6(let type, let codeMin, let codeMax, let inverted) where view.position.packet == .neighborAdvert:
            return ((type == 255 || (type == 136 && codeMin <= 0 && 0 <= codeMax)) != inverted) ? .proceed : .noMatch
        case .icmp, .icmp6:
            if view.l4proto == 6 || view.l4proto == 17 { return .fork("iptables icmp match on a non-ICMP packet") }
            return .fork("iptables icmp match")
        }
    }

    private static func ctxIsIPv6(_ view: PacketView) -> Bool { view.context.version == .ipv6 }

    static func and(_ a: ConditionResult, _ b: ConditionResult, version: IPVersion) -> ConditionResult {
        switch (a, b) {
        case (.unknown, _): return a
        case (_, .unknown): return b
        case (.always(false), _), (_, .always(false)): return .always(false)
        case (.always(true), _): return b
        case (_, .always(true)): return a
        case (.constraint(let v, let x), .constraint(let w, let y)):
            if v != w { return .unknown("a condition on both the client address and the interface") }
            return .constraint(v, x.intersection(y))
        }
    }

    static func target(_ t: XtTarget, position: PacketPosition, view: PacketView, path: inout PathState) -> Step {
        guard let info = t.decoded else {
            return .exit(.undetermined("iptables target '\(t.name)' (revision \(t.revision)) is not decoded"))
        }
        switch info {
        case .reject(let type):
            return .exit(.reject("iptables REJECT (type \(type))"))
        case .log:
            return .proceed
        case .dnat(let addresses, let ports):
            if let a = addresses, a.lower != a.upper { return .exit(.undetermined("iptables DNAT to an address range")) }
            if let p = ports, p.lower != p.upper { return .exit(.undetermined("iptables DNAT to a port range \(p)")) }
            let addr = addresses.flatMap { $0.lower.allSatisfy { $0 == 0 } ? nil : $0.lower }
            return NatEffect.bind(address: addr, port: ports?.lower, redirected: false, path: &path)
        case .redirect(let ports):
            if let p = ports, p.lower != p.upper { return .exit(.undetermined("iptables REDIRECT to a port range \(p)")) }
            return NatEffect.bind(address: nil, port: ports?.lower, redirected: true, path: &path)
        case .snat, .masquerade:
            return .exit(.verdict(.accept))
        case .verdict(let v):
            if case .continue = v { return .proceed }
            return .exit(.verdict(v))
        case .nonTerminal(let name):
            let upper = name.uppercased()
            if upper == "MARK" { path.mark = nil }
            if upper == "CONNMARK" { path.ctMark = nil; path.mark = nil }
            return .proceed
        }
    }
}
