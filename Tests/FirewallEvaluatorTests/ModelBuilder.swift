import NftModel
@testable import FirewallEvaluator

/// Builds expressions the way nft compiles rules, so unit tests read like nft scripts.
enum B {
    static let r1 = Register(1)  // NFT_REG_1 (16 bytes)
    static let r9 = Register(9)  // NFT_REG32_01

    static func u32le(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }

    static func addr(_ s: String) -> [UInt8] { AddressSet.parse(s)!.1 }

    static func verdict(_ v: Verdict) -> Expression { .immediate(Immediate(dreg: .verdict, verdict: v)) }
    static let accept = verdict(.accept)
    static let drop = verdict(.drop)

    static func l4proto(_ p: UInt8) -> [Expression] {
        [.meta(Meta(key: .l4proto, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: [p]))]
    }
    static func nfproto(_ v: IPVersion) -> [Expression] {
        [.meta(Meta(key: .nfproto, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: [v.nfproto]))]
    }
    static func tcpDport(_ p: UInt16, op: CmpOp = .eq) -> [Expression] {
        l4proto(6) + [.payload(Payload(base: .transport, offset: 2, length: 2, dreg: r1)), .cmp(Cmp(sreg: r1, op: op, data: be16(p)))]
    }
    static func tcpDportRange(_ a: UInt16, _ b: UInt16) -> [Expression] {
        l4proto(6) + [.payload(Payload(base: .transport, offset: 2, length: 2, dreg: r1)),
                      .cmp(Cmp(sreg: r1, op: .gte, data: be16(a))), .cmp(Cmp(sreg: r1, op: .lte, data: be16(b)))]
    }
    static func dportLoad() -> [Expression] { [.payload(Payload(base: .transport, offset: 2, length: 2, dreg: r1))] }

    /// `ip saddr A/len` / `ip6 saddr A/len` (nft: load the covering bytes, mask if not byte-aligned).
    static func saddr(_ cidr: String, op: CmpOp = .eq, family: Family = .inet) -> [Expression] {
        let parts = cidr.split(separator: "/")
        let (v, a) = AddressSet.parse(String(parts[0]))!
        let len = parts.count > 1 ? Int(parts[1])! : a.count * 8
        let bytes = (len + 7) / 8
        var e: [Expression] = family == .inet ? nfproto(v) : []
        e.append(.payload(Payload(base: .network, offset: v == .ipv4 ? 12 : 8, length: UInt32(bytes), dreg: r1)))
        var data = Array(a.prefix(bytes))
        if len % 8 != 0 {
            var mask = [UInt8](repeating: 0xff, count: bytes)
            mask[bytes - 1] = UInt8(truncatingIfNeeded: 0xff << (8 - len % 8))
            e.append(.bitwise(Bitwise(sreg: r1, dreg: r1, length: UInt32(bytes), mask: mask, xor: [UInt8](repeating: 0, count: bytes))))
            data[bytes - 1] &= mask[bytes - 1]
        }
        e.append(.cmp(Cmp(sreg: r1, op: op, data: data)))
        return e
    }
    static func saddrLoad(_ v: IPVersion) -> Expression {
        .payload(Payload(base: .network, offset: v == .ipv4 ? 12 : 8, length: UInt32(v.addressLength), dreg: r1))
    }
    static func ctState(_ mask: UInt32, negate: Bool = false) -> [Expression] {
        [.ct(Ct(key: .state, dreg: r1)),
         .bitwise(Bitwise(sreg: r1, dreg: r1, length: 4, mask: u32le(mask), xor: [0, 0, 0, 0])),
         .cmp(Cmp(sreg: r1, op: negate ? .eq : .neq, data: [0, 0, 0, 0]))]
    }
    static func iifname(_ name: String, wildcard: Bool = false) -> [Expression] {
        var data = Array(name.utf8)
        if !wildcard { data += [UInt8](repeating: 0, count: 16 - data.count) }
        return [.meta(Meta(key: .iifname, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: data))]
    }
    static func oifname(_ name: String) -> [Expression] {
        let data = Array(name.utf8) + [UInt8](repeating: 0, count: 16 - name.utf8.count)
        return [.meta(Meta(key: .oifname, dreg: r1)), .cmp(Cmp(sreg: r1, op: .eq, data: data))]
    }

    /// `meta l4proto ipv6-icmp accept` — what real rulesets do so IPv6 neighbor discovery works.
    static let icmpv6Accept: [Expression] = l4proto(58) + [accept]

    static func rule(_ h: UInt64, _ e: [Expression]) -> Rule { Rule(handle: h, expressions: e) }

    static func base(_ name: String, _ hook: Hook, prio: Int32 = 0, policy: Verdict = .accept, type: ChainType = .filter,
                     devices: [String] = [], _ rules: [[Expression]]) -> Chain {
        Chain(name: name, hook: hook, type: type, priority: prio, policy: policy, devices: devices,
              rules: rules.enumerated().map { rule(UInt64($0.offset + 2), $0.element) })
    }
    static func regular(_ name: String, _ rules: [[Expression]]) -> Chain {
        Chain(name: name, rules: rules.enumerated().map { rule(UInt64($0.offset + 100), $0.element) })
    }
    static func table(_ chains: [Chain]) -> Table { table(.inet, "t", chains) }
    static func table(_ family: Family, _ name: String, dormant: Bool = false, sets: [NftSet] = [], _ chains: [Chain]) -> Table {
        Table(family: family, name: name, dormant: dormant, chains: chains, sets: sets)
    }
    static func ruleset(_ tables: [Table], legacy: [String] = []) -> Ruleset { Ruleset(tables: tables, legacyIptablesTables: legacy) }

    static func flow(_ src: String, port: UInt16 = 443, iface: String? = "eth0", dst: String? = nil) -> FlowQuery {
        let (v, a) = AddressSet.parse(src)!
        return FlowQuery(version: v, destinationPort: port, source: a, inputInterface: iface, destination: dst.map(addr))
    }

    static func set(_ name: String, keyLength: Int, flags: NftSet.Flags = [], fieldLengths: [Int] = [], dataType: UInt32? = nil,
                    dataLength: Int? = nil, _ elements: [SetElement]) -> NftSet {
        NftSet(name: name, flags: flags, keyLength: keyLength, dataType: dataType, dataLength: dataLength,
               fieldLengths: fieldLengths, elements: elements)
    }
}
