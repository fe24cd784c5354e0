import Testing
import NftModel

/// Rules built by hand as the kernel encodes them, rendered as `nft list ruleset` shows them.
struct NftRendererTests {
    private let r1 = Register(1)
    private func payload(_ base: PayloadBase, _ off: UInt32, _ len: UInt32) -> NftModel.Expression { .payload(Payload(base: base, offset: off, length: len, dreg: Register(1))) }
    private func meta(_ k: MetaKey) -> NftModel.Expression { .meta(Meta(key: k, dreg: Register(1))) }
    private func cmp(_ d: [UInt8], _ op: CmpOp = .eq) -> NftModel.Expression { .cmp(Cmp(sreg: Register(1), op: op, data: d)) }
    private func verdict(_ v: Verdict) -> NftModel.Expression { .immediate(Immediate(dreg: .verdict, verdict: v)) }

    private func render(_ e: [NftModel.Expression], family: Family = .inet, sets: [NftSet] = [], comment: String? = nil) -> String {
        let table = Table(family: family, name: "t", sets: sets)
        return NftRenderer.render(rule: Rule(handle: 1, comment: comment, expressions: e), in: table, family: family)
    }

    @Test func prefixPortSetAndCtState() {
        let anon = NftSet(name: "__set0", flags: [.anonymous, .constant], keyType: 13, keyLength: 2,
                          elements: [SetElement(key: [0, 22]), SetElement(key: [1, 187])])
        let text = render([
            meta(.nfproto), cmp([2]),
            payload(.network, 12, 3), cmp([10, 0, 0]),
            meta(.l4proto), cmp([6]),
            payload(.transport, 2, 2), .lookup(Lookup(sreg: r1, setName: "__set0")),
            .ct(Ct(key: .state, dreg: r1)),
            .bitwise(Bitwise(sreg: r1, dreg: r1, length: 4, mask: [6, 0, 0, 0], xor: [0, 0, 0, 0])),
            cmp([0, 0, 0, 0], .neq),
            verdict(.accept),
        ], sets: [anon])
        #expect(text == "ip saddr 10.0.0.0/24 tcp dport { 22, 443 } ct state established,related accept")
    }

    @Test func interfaceWildcardCounterAndComment() {
        let text = render([meta(.iifname), cmp(Array("eth".utf8)), .counter, verdict(.drop)], comment: "edge")
        #expect(text == "iifname \"eth*\" counter drop comment \"edge\"")
        #expect(render([meta(.iifname), cmp(Array("lo".utf8) + [0]), verdict(.accept)]) == "iifname \"lo\" accept")
    }

    @Test func natRedirectJumpAndRanges() {
        let dnat: [NftModel.Expression] = [
            meta(.l4proto), cmp([6]), payload(.transport, 2, 2), cmp([0, 80]),
            .immediate(Immediate(dreg: Register(1), data: [10, 0, 0, 2])),
            .immediate(Immediate(dreg: Register(2), data: [0x20, 0xfb])),
            .nat(Nat(type: .dnat, family: .ip, regAddrMin: Register(1), regProtoMin: Register(2))),
        ]
        #expect(render(dnat, family: .ip) == "tcp dport 80 dnat to 10.0.0.2:8443")
        #expect(render(dnat, family: .inet) == "tcp dport 80 dnat ip to 10.0.0.2:8443")
        let redir: [NftModel.Expression] = [
            meta(.l4proto), cmp([6]), payload(.transport, 2, 2), cmp([0, 81]),
            .immediate(Immediate(dreg: Register(1), data: [0x20, 0xfb])), .redir(Redir(regProtoMin: Register(1))),
        ]
        #expect(render(redir, family: .ip) == "tcp dport 81 redirect to :8443")
        let range: [NftModel.Expression] = [meta(.l4proto), cmp([6]), payload(.transport, 2, 2), cmp([1, 144], .gte), cmp([1, 244], .lte), verdict(.jump("web"))]
        #expect(render(range) == "tcp dport 400-500 jump web")
        let rangeExpr: [NftModel.Expression] = [meta(.l4proto), cmp([17]), payload(.transport, 0, 2),
                                       .range(RangeExpr(sreg: r1, negated: true, from: [0, 1], to: [0, 9])), verdict(.return)]
        #expect(render(rangeExpr) == "udp sport != 1-9 return")
    }

    @Test func verdictMapsAndNamedSets() {
        let vmap = NftSet(name: "__map0", flags: [.anonymous, .constant, .map], keyType: 13, keyLength: 2,
                          dataType: NftSet.verdictDataType, dataLength: 16,
                          elements: [SetElement(key: [0, 22], verdict: .accept), SetElement(key: [0, 23], verdict: .drop)])
        let text = render([meta(.l4proto), cmp([6]), payload(.transport, 2, 2), .lookup(Lookup(sreg: r1, dreg: .verdict, setName: "__map0"))],
                          sets: [vmap])
        #expect(text == "tcp dport vmap { 22 : accept, 23 : drop }")
        let named = render([meta(.nfproto), cmp([10]), payload(.network, 8, 16), .lookup(Lookup(sreg: r1, setName: "bad", inverted: true)), verdict(.drop)])
        #expect(named == "ip6 saddr != @bad drop")
        let ranges = NftSet(name: "__set1", flags: [.anonymous, .constant, .interval], keyType: 7, keyLength: 4,
                            elements: [SetElement(key: [10, 0, 0, 0], keyEnd: [10, 255, 255, 255]),
                                       SetElement(key: [172, 16, 0, 0], keyEnd: [172, 16, 0, 20])])
        let r = render([payload(.network, 12, 4), .lookup(Lookup(sreg: r1, setName: "__set1")), verdict(.accept)], family: .ip, sets: [ranges])
        #expect(r == "ip saddr { 10.0.0.0/8, 172.16.0.0-172.16.0.20 } accept")
    }

    @Test func statefulAndFib() {
        #expect(render([.limit(Limit(rate: 10, unit: 1, burst: 5, type: 0, inverted: false)), verdict(.accept)]) == "limit rate 10/second accept")
        #expect(render([.connlimit(Connlimit(count: 10, inverted: true)), verdict(.drop)]) == "ct count over 10 drop")
        #expect(render([.quota(Quota(bytes: 1000, consumed: 0, inverted: true)), verdict(.drop)]) == "quota over 1000 bytes drop")
        let fib: [NftModel.Expression] = [.fib(Fib(result: 3, flags: 2, dreg: r1)), cmp([2, 0, 0, 0]), verdict(.accept)]
        #expect(render(fib) == "fib daddr type local accept")
        #expect(render([.reject(Reject(type: 1, code: 0))]) == "reject with tcp reset")
        #expect(render([.reject(Reject(type: 2, code: 3))]) == "reject with icmpx admin-prohibited")
    }

    @Test func xtAndUnknownStayVisible() {
        let xt = NftModel.Expression.match(XtMatch(name: "multiport", revision: 1, info: [],
                                          decoded: .multiport(side: 1, ports: [PortRange(single: 22), PortRange(80, 90)], inverted: false)))
        #expect(render([xt, verdict(.accept)], family: .ip) == "xt match \"multiport\" (dports 22,80-90) accept")
        let unknown = NftModel.Expression.opaque(Opaque(name: "numgen", attributes: [1: [0, 0, 0, 1]]))
        #expect(render([unknown]) == "[numgen 1=0x00000001]")
        let undecodedXt = NftModel.Expression.match(XtMatch(name: "owner", revision: 1, info: [1]))
        #expect(render([undecodedXt]) == "xt match \"owner\"")
    }
}
