/// Renders a rule in nft syntax, as close to `nft list ruleset` as practical, for traces and
/// reports: `ip saddr 10.0.0.0/24 tcp dport { 22, 443 } ct state established,related accept`.
///
/// It replays the rule's register machine symbolically: loads (payload, meta, ct, fib) name what
/// a register holds, and the expression that consumes the register (cmp, range, lookup, nat …)
/// prints it with a value formatted for that field. Protocol dependencies nft adds implicitly
/// (`meta l4proto tcp` before `tcp dport`, `meta nfproto ipv4` before `ip saddr`) are hidden as
/// nft hides them. Whatever is not recognised is printed raw (`[payload load 2b @ network header
/// + 12 => reg 1]`) — the renderer never invents a meaning.
public enum NftRenderer {
    public static func render(rule: Rule, in table: Table, family: Family) -> String {
        var r = RuleRenderer(table: table, family: family)
        for e in rule.expressions { r.consume(e) }
        var text = r.finish()
        if let c = rule.comment { text += (text.isEmpty ? "" : " ") + "comment \"\(c)\"" }
        return text
    }

    /// A set's elements as nft lists them (`{ 10.0.0.0/8, 192.168.1.1 }`), value types taken
    /// from the set's key type (nft datatype ids; concatenations pack 6 bits per field).
    public static func elementsText(of set: NftSet, in table: Table) -> String {
        let r = RuleRenderer(table: table, family: table.family)
        let fields = max(set.fieldLengths.count, 1)
        var kinds: [ValueKind] = []
        for i in (0..<fields).reversed() { kinds.append(kind(forDatatype: set.keyType >> (6 * UInt32(i)) & (fields > 1 ? 0x3f : 0xffff_ffff))) }
        let items = RuleRenderer.sorted(set.elements).map { r.elementText($0, keyKinds: kinds, set: set) }
        return "{ " + items.joined(separator: ", ") + " }"
    }

    static func kind(forDatatype t: UInt32) -> ValueKind {
        switch t {
        case 7: .ipv4
        case 8: .ipv6
        case 9: .etherAddress
        case 10: .etherType
        case 12: .l4proto
        case 13: .port
        case 19: .hostHex
        case 20: .hostInteger
        case 26: .ctState
        case 41: .ifname
        default: .integer
        }
    }

    /// One expression in a debug form close to `nft --debug=netlink`, used when no idiom matches.
    public static func raw(_ e: Expression) -> String {
        switch e {
        case .payload(let p):
            if let d = p.dreg { return "[payload load \(p.length)b @ \(baseName(p.base)) header + \(p.offset) => reg \(d.rawValue)]" }
            return "[payload write reg \(p.sreg?.rawValue ?? 0) => \(p.length)b @ \(baseName(p.base)) header + \(p.offset)]"
        case .meta(let m):
            if let d = m.dreg { return "[meta load \(metaName(m.key)) => reg \(d.rawValue)]" }
            return "[meta set \(metaName(m.key)) with reg \(m.sreg?.rawValue ?? 0)]"
        case .cmp(let c): return "[cmp \(c.op) reg \(c.sreg.rawValue) 0x\(hex(c.data))]"
        case .bitwise(let b): return "[bitwise reg \(b.dreg.rawValue) = (reg \(b.sreg.rawValue) & 0x\(hex(b.mask))) ^ 0x\(hex(b.xor))]"
        case .range(let r): return "[range \(r.negated ? "neq" : "eq") reg \(r.sreg.rawValue) 0x\(hex(r.from)) 0x\(hex(r.to))]"
        case .lookup(let l): return "[lookup reg \(l.sreg.rawValue) set \(l.setName)\(l.dreg.map { " dreg \($0.rawValue)" } ?? "")\(l.inverted ? " inverted" : "")]"
        case .immediate(let i):
            if let v = i.verdict { return "[immediate reg 0 \(v)]" }
            return "[immediate reg \(i.dreg.rawValue) 0x\(hex(i.data))]"
        case .ct(let c):
            if let d = c.dreg { return "[ct load \(ctName(c.key)) => reg \(d.rawValue)]" }
            return "[ct set \(ctName(c.key)) with reg \(c.sreg?.rawValue ?? 0)]"
        case .opaque(let o):
            let attrs = o.attributes.keys.sorted().map { "\($0)=0x\(hex(o.attributes[$0]!))" }
            return "[\(o.name)\(attrs.isEmpty ? "" : " " + attrs.joined(separator: " "))]"
        default:
            return "[\(e.kernelName)]"
        }
    }

    static func baseName(_ b: PayloadBase) -> String {
        switch b {
        case .link: "link"
        case .network: "network"
        case .transport: "transport"
        case .inner: "inner"
        case .tunnel: "tunnel"
        }
    }

    static func hex(_ b: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for x in b { s.append(digits[Int(x >> 4)]); s.append(digits[Int(x & 15)]) }
        return s
    }

    static func metaName(_ k: MetaKey) -> String {
        let names: [UInt32: String] = [
            0: "length", 1: "protocol", 2: "priority", 3: "mark", 4: "iif", 5: "oif", 6: "iifname", 7: "oifname",
            8: "iiftype", 9: "oiftype", 10: "skuid", 11: "skgid", 12: "nftrace", 13: "rtclassid", 14: "secmark",
            15: "nfproto", 16: "l4proto", 17: "ibrname", 18: "obrname", 19: "pkttype", 20: "cpu", 21: "iifgroup",
            22: "oifgroup", 23: "cgroup", 24: "random", 25: "secpath", 26: "iifkind", 27: "oifkind", 28: "ibrpvid",
            29: "ibrvproto", 30: "time", 31: "day", 32: "hour", 33: "sdif", 34: "sdifname",
        ]
        return names[k.rawValue] ?? "meta(\(k.rawValue))"
    }

    static func ctName(_ k: CtKey) -> String {
        let names: [UInt32: String] = [
            0: "state", 1: "direction", 2: "status", 3: "mark", 4: "secmark", 5: "expiration", 6: "helper",
            7: "l3proto", 8: "saddr", 9: "daddr", 10: "protocol", 11: "proto-src", 12: "proto-dst", 13: "label",
            14: "packets", 15: "bytes", 16: "avgpkt", 17: "zone", 18: "event", 19: "ip saddr", 20: "ip daddr",
            21: "ip6 saddr", 22: "ip6 daddr", 23: "id",
        ]
        return names[k.rawValue] ?? "ct(\(k.rawValue))"
    }
}
