import Testing
import NftModel
@testable import FirewallEvaluator

/// One test per kernel semantic, over hand-built models (nft-compiled expression shapes).
struct EvaluatorTests {
    let v4a = "10.77.1.2", v4b = "10.77.2.2", v6a = "fd77:1::2", v6b = "fd77:2::2"

    func verdict(_ rs: Ruleset, _ src: String, port: UInt16 = 443, iface: String? = "eth0") -> FlowVerdict {
        FirewallEvaluator(ruleset: rs).evaluate(B.flow(src, port: port, iface: iface)).verdict
    }

    @Test func emptyRulesetAcceptsEverything() {
        let e = FirewallEvaluator(ruleset: Ruleset())
        #expect(e.evaluate(B.flow(v4a)).verdict == .accept)
        #expect(e.evaluate(B.flow(v4a)).deliveredPort == 443)
        let s = e.summarize(version: .ipv6, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .accept)
        #expect(s.acceptedFrom == ["::/0"])
        #expect(s.interfaces.isEmpty)
    }

    @Test func policyDropWithStatefulAcceptBySourcePrefix() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.ctState(CtStateBit.established | CtStateBit.related) + [B.accept],
            B.icmpv6Accept,
            B.ctState(CtStateBit.new) + B.saddr("10.77.1.0/24") + B.tcpDport(443) + [B.accept],
            B.saddr("fd77:2::/64") + B.tcpDport(443) + [B.accept],
        ])])])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v4b) == .drop)
        #expect(verdict(rs, v6a) == .drop)
        #expect(verdict(rs, v6b) == .accept)
        let e = FirewallEvaluator(ruleset: rs)
        let s4 = e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s4.verdict == .conditional)
        #expect(s4.acceptedFrom == ["10.77.1.0/24"])
        let s6 = e.summarize(version: .ipv6, l4proto: 6, port: 443, inputInterface: "eth0")
        #expect(s6.acceptedFrom == ["fd77:2::/64"])
        #expect(!s6.trace.isEmpty)
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 80, inputInterface: nil).verdict == .drop)
    }

    @Test func repliesDroppedInOutputMeanNoConnection() {
        let rs = B.ruleset([B.table([
            B.base("input", .input, policy: .accept, []),
            B.base("output", .output, policy: .drop, [B.ctState(CtStateBit.new) + [B.accept]]),
        ])])
        let a = FirewallEvaluator(ruleset: rs).evaluate(B.flow(v4a))
        #expect(a.verdict == .drop)
        #expect(a.trace.contains { $0.chain == "output" && $0.rule == "policy drop" && $0.verdict.contains("SYN-ACK") })
        #expect(FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil).verdict == .drop)
    }

    @Test func establishedAckDroppedInInputMeansNoConnection() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [B.ctState(CtStateBit.new) + [B.accept]])])])
        #expect(verdict(rs, v4a) == .drop)
    }

    @Test func acceptEndsOnlyItsBaseChainAcrossTablesInPriorityOrder() {
        let rs = B.ruleset([
            B.table(.inet, "late", [B.base("input", .input, prio: 10, policy: .accept, [B.saddr("10.77.2.0/24") + [B.drop]])]),
            B.table(.ip, "early", [B.base("input", .input, prio: -10, policy: .accept, [B.tcpDport(443) + [B.accept]])]),
        ])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v4b) == .drop)
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom.count == 24)  // everything but 10.77.2.0/24
        #expect(!s.acceptedFrom.contains("10.77.2.0/24"))
        // ip6 has no "early" table: only the inet table applies.
        #expect(verdict(rs, v6b) == .accept)
    }

    @Test func jumpGotoReturn() {
        let rs = B.ruleset([B.table([
            B.base("input", .input, policy: .drop, [
                B.tcpDport(443) + [B.verdict(.jump("web"))],
                B.saddr("10.77.2.0/24") + [B.verdict(.goto("sub"))],
                B.saddr("fd77:1::/64") + [B.accept],
            ]),
            B.regular("web", [
                B.saddr("10.77.2.0/24") + [B.verdict(.return)],
                B.saddr("fd77::/16") + [B.verdict(.return)],
                [B.accept],
            ]),
            B.regular("sub", [B.saddr("10.77.2.2/32") + [B.accept]]),
        ])])
        #expect(verdict(rs, v4a) == .accept)   // web: falls to accept
        #expect(verdict(rs, v4b) == .accept)   // web returns, then goto sub accepts 10.77.2.2
        #expect(verdict(rs, "10.77.2.3") == .drop)  // sub falls through: goto returns to the base chain's policy
        #expect(verdict(rs, v6a) == .accept)   // web returns, then accepted in input
        #expect(verdict(rs, v6b) == .drop)
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: "eth0")
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom.contains("10.77.2.2/32"))
        #expect(!s.acceptedFrom.contains { $0.hasPrefix("10.77.2.3") })
    }

    @Test func namedIntervalSetAndInvertedLookup() {
        let allowed = B.set("allowed", keyLength: 4, flags: .interval, [
            SetElement(key: [10, 77, 1, 0], keyEnd: [10, 77, 1, 255]),
            SetElement(key: [192, 168, 0, 1], keyEnd: [192, 168, 0, 1]),
        ])
        let rs = B.ruleset([B.table(.ip, "t", sets: [allowed], [B.base("input", .input, policy: .accept, [
            B.tcpDport(443) + [B.saddrLoad(.ipv4), .lookup(Lookup(sreg: B.r1, setName: "allowed", inverted: true)), B.drop],
        ])])])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v4b) == .drop)
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.acceptedFrom == ["10.77.1.0/24", "192.168.0.1/32"])
        #expect(s.verdict == .conditional)
    }

    @Test func verdictMapOnPortAndOnSource() {
        let ports = B.set("__map0", keyLength: 2, flags: [.anonymous, .constant, .map], dataType: NftSet.verdictDataType, [
            SetElement(key: B.be16(443), verdict: .accept), SetElement(key: B.be16(80), verdict: .drop),
        ])
        let srcs = B.set("__map1", keyLength: 4, flags: [.anonymous, .constant, .map, .interval], dataType: NftSet.verdictDataType, [
            SetElement(key: [10, 77, 2, 0], keyEnd: [10, 77, 2, 255], verdict: .drop),
            SetElement(key: [10, 77, 1, 0], keyEnd: [10, 77, 1, 255], verdict: .accept),
        ])
        let rs = B.ruleset([B.table(.ip, "t", sets: [ports, srcs], [B.base("input", .input, policy: .drop, [
            [B.saddrLoad(.ipv4), .lookup(Lookup(sreg: B.r1, dreg: .verdict, setName: "__map1"))],
            B.l4proto(6) + B.dportLoad() + [.lookup(Lookup(sreg: B.r1, dreg: .verdict, setName: "__map0"))],
        ])])])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v4b) == .drop)
        #expect(verdict(rs, "192.0.2.1") == .accept)
        #expect(verdict(rs, "192.0.2.1", port: 80) == .drop)
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom.count == AddressSet.all(.ipv4).subtracting(AddressSet.parseCIDR("10.77.2.0/24")!).cidrs.count)
    }

    @Test func concatenatedIntervalSet() {
        // ip saddr . tcp dport { 10.77.1.0/24 . 443, 0.0.0.0/0 . 22 }
        let s = B.set("pairs", keyLength: 8, flags: [.interval, .concat], fieldLengths: [4, 2], [
            SetElement(key: [10, 77, 1, 0, 1, 187, 0, 0], keyEnd: [10, 77, 1, 255, 1, 187, 0, 0]),
            SetElement(key: [0, 0, 0, 0, 0, 22, 0, 0], keyEnd: [255, 255, 255, 255, 0, 22, 0, 0]),
        ])
        let rs = B.ruleset([B.table(.ip, "t", sets: [s], [B.base("input", .input, policy: .drop, [
            B.l4proto(6) + [B.saddrLoad(.ipv4), .payload(Payload(base: .transport, offset: 2, length: 2, dreg: B.r9)),
                            .lookup(Lookup(sreg: B.r1, setName: "pairs")), B.accept],
        ])])])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v4b) == .drop)
        #expect(verdict(rs, v4b, port: 22) == .accept)
        let e = FirewallEvaluator(ruleset: rs)
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil).acceptedFrom == ["10.77.1.0/24"])
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 22, inputInterface: nil).verdict == .accept)
    }

    @Test func redirectDeliversToAnotherPortAndExposureFollowsIt() {
        let rs = B.ruleset([B.table([
            B.base("pre", .prerouting, prio: -100, type: .nat, [
                B.tcpDport(443) + [.immediate(Immediate(dreg: B.r1, data: B.be16(8443))), .redir(Redir(regProtoMin: B.r1, flags: 2))],
            ]),
            // Before dstnat: direct connections to 8443 are dropped, redirected ones still show 443 here.
            B.base("raw", .prerouting, prio: -150, [B.tcpDport(8443) + [B.drop]]),
            B.base("input", .input, policy: .drop, [B.ctState(CtStateBit.established) + [B.accept], B.icmpv6Accept, B.tcpDport(8443) + [B.accept]]),
        ])])
        let e = FirewallEvaluator(ruleset: rs)
        let a = e.evaluate(B.flow(v4a))
        #expect(a.verdict == .accept)
        #expect(a.deliveredPort == 8443)
        #expect(a.trace.contains { $0.verdict.hasPrefix("redirect to :8443") })
        #expect(e.evaluate(B.flow(v4a, port: 8443)).verdict == .drop)
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 8443, inputInterface: nil).verdict == .drop)
        let x = e.exposure(localPort: 8443, l4proto: 6, version: .ipv6, inputInterface: nil)
        #expect(x.verdict == .accept)
        #expect(x.deliveredPorts == [8443])
        #expect(e.exposure(localPort: 9000, l4proto: 6, version: .ipv4, inputInterface: nil).verdict == .drop)
    }

    @Test func dnatToAnotherHostIsUndeterminedAndToThisHostIsFollowed() {
        func rs(_ target: String) -> Ruleset {
            B.ruleset([B.table(.ip, "nat", [B.base("pre", .prerouting, prio: -100, type: .nat, [
                B.tcpDport(443) + [.immediate(Immediate(dreg: B.r1, data: B.addr(target))),
                                   .immediate(Immediate(dreg: B.r9, data: B.be16(8443))),
                                   .nat(Nat(type: .dnat, family: .ip, regAddrMin: B.r1, regProtoMin: B.r9, flags: 3))],
            ])])])
        }
        let local = FirewallEvaluator(ruleset: rs("10.77.1.1"), localAddresses: [B.addr("10.77.1.1")])
        #expect(local.evaluate(B.flow(v4a)).deliveredPort == 8443)
        let remote = FirewallEvaluator(ruleset: rs("172.17.0.2"), localAddresses: [B.addr("10.77.1.1")])
        let a = remote.evaluate(B.flow(v4a))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("forwards"))
        #expect(FirewallEvaluator(ruleset: rs("172.17.0.2")).evaluate(B.flow(v4a)).verdict == .undetermined)
    }

    @Test func fibDaddrTypeLocal() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.icmpv6Accept,
            [.fib(Fib(result: 3, flags: 2, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: B.u32le(2)))] + B.tcpDport(443) + [B.accept],
        ])])])
        #expect(verdict(rs, v4a) == .accept)
        #expect(verdict(rs, v6b) == .accept)
        // fib saddr (reverse path) is not knowable from the ruleset.
        let rp = B.ruleset([B.table([B.base("pre", .prerouting, policy: .accept, [
            [.fib(Fib(result: 1, flags: 1 | 8, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: B.u32le(0))), B.drop],
        ])])])
        #expect(verdict(rp, v4a) == .undetermined)
    }

    @Test func iifnameWildcardsAndInterfaceClasses() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.iifname("lo") + [B.accept],
            B.iifname("eth", wildcard: true) + B.tcpDport(443) + [B.accept],
        ])])])
        #expect(verdict(rs, v4a, iface: "eth0") == .accept)
        #expect(verdict(rs, v4a, iface: "ethernet7") == .accept)
        #expect(verdict(rs, v4a, iface: "wlan0") == .drop)
        #expect(verdict(rs, v4a, iface: nil) == .undetermined)  // depends on the interface
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom == ["0.0.0.0/0"])
        #expect(s.interfaces == ["eth*"])
    }

    @Test func netdevIngressDropsBeforeEverything() {
        let rs = B.ruleset([
            B.table(.netdev, "nd", [B.base("ing", .ingress, prio: -500, devices: ["eth0"], [
                [.meta(Meta(key: .protocol, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: [0x08, 0x00]))]
                    + Array(B.saddr("10.77.2.0/24", family: .netdev)) + [B.drop],
            ])]),
        ])
        #expect(verdict(rs, v4b, iface: "eth0") == .drop)
        #expect(verdict(rs, v4b, iface: "eth1") == .accept)
        #expect(verdict(rs, v4a, iface: "eth0") == .accept)
        #expect(verdict(rs, v6b, iface: "eth0") == .accept)
    }

    @Test func rejectVariants() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .accept, [
            B.saddr("10.77.1.0/24") + B.tcpDport(443) + [.reject(Reject(type: 1, code: 0))],
            B.saddr("fd77:1::/64") + B.tcpDport(443) + [.reject(Reject(type: 2, code: 3))],
        ])])])
        #expect(verdict(rs, v4a) == .reject)
        #expect(verdict(rs, v6a) == .reject)
        #expect(verdict(rs, v4b) == .accept)
        let s = FirewallEvaluator(ruleset: B.ruleset([B.table([B.base("input", .input, [B.tcpDport(443) + [.reject(Reject(type: 1, code: 0))]])])]))
            .summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .reject)
    }

    @Test func dormantTableIsIgnored() {
        let rs = B.ruleset([B.table(.inet, "off", dormant: true, [B.base("input", .input, policy: .drop, [])])])
        #expect(verdict(rs, v4a) == .accept)
    }

    @Test func statefulLimitIsNeverCertain() {
        let limited = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.ctState(CtStateBit.established) + [B.accept],
            B.tcpDport(443) + [.limit(Limit(rate: 10, unit: 1, burst: 5, type: 0, inverted: false)), B.accept],
        ])])])
        let a = FirewallEvaluator(ruleset: limited).evaluate(B.flow(v4a))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("limit"))
        let s = FirewallEvaluator(ruleset: limited).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .undetermined)
        // Both outcomes of the limit lead to accept: then the answer is certain.
        let harmless = B.ruleset([B.table([B.base("input", .input, policy: .accept, [
            B.tcpDport(443) + [.limit(Limit(rate: 10, unit: 1, burst: 5, type: 0, inverted: false)), .counter],
        ])])])
        #expect(verdict(harmless, v4a) == .accept)
    }

    @Test func opaqueExpressionIsUndeterminedAndNamed() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .accept, [
            B.tcpDport(443) + [.opaque(Opaque(name: "tunnel")), B.drop],
        ])])])
        let a = FirewallEvaluator(ruleset: rs).evaluate(B.flow(v4a))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("tunnel"))
        // A port the rule does not match is still decided.
        #expect(verdict(rs, v4a, port: 80) == .accept)
    }

    @Test func legacyIptablesWarnsAndRefusesCertainty() {
        let e = FirewallEvaluator(ruleset: B.ruleset([], legacy: ["filter"]))
        let a = e.evaluate(B.flow(v4a))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("iptables-legacy"))
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil).verdict == .undetermined)
        #expect(!e.warnings.isEmpty)
    }

    @Test func metaIifNeedsInterfaceIndexes() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            [.meta(Meta(key: .iif, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: B.u32le(7))), B.accept],
        ])])])
        #expect(verdict(rs, v4a) == .undetermined)
        let e = FirewallEvaluator(ruleset: rs, localAddresses: [], interfaceIndexes: ["eth0": 7, "eth1": 8])
        #expect(e.evaluate(B.flow(v4a, iface: "eth0")).verdict == .accept)
        #expect(e.evaluate(B.flow(v4a, iface: "eth1")).verdict == .drop)
    }

    @Test func ipv6PrefixMasksAreExact() {
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.ctState(CtStateBit.established) + [B.accept],
            B.icmpv6Accept,
            B.saddr("fd77::/20") + [B.accept],
        ])])])
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv6, l4proto: 6, port: 443, inputInterface: "eth0")
        #expect(s.acceptedFrom == ["fd77::/20"])
        #expect(verdict(rs, "fd77:fff::1") == .accept)
        #expect(verdict(rs, "fd77:1000::1") == .drop)
    }

    @Test func mapLookupFeedsRedirectPort() {
        let m = B.set("__map0", keyLength: 2, flags: [.anonymous, .constant, .map], dataType: 13, dataLength: 2, [
            SetElement(key: B.be16(443), data: B.be16(8443)), SetElement(key: B.be16(80), data: B.be16(8080)),
        ])
        let rs = B.ruleset([B.table(.inet, "t", sets: [m], [B.base("pre", .prerouting, prio: -100, type: .nat, [
            B.l4proto(6) + B.dportLoad() + [.lookup(Lookup(sreg: B.r1, dreg: B.r1, setName: "__map0")), .redir(Redir(regProtoMin: B.r1, flags: 2))],
        ])])])
        let e = FirewallEvaluator(ruleset: rs)
        #expect(e.evaluate(B.flow(v6a, port: 80)).deliveredPort == 8080)
        #expect(e.evaluate(B.flow(v6a, port: 443)).deliveredPort == 8443)
        #expect(e.evaluate(B.flow(v6a, port: 22)).deliveredPort == 22)
        #expect(e.candidatePorts(localPort: 8443) == [80, 443, 8443])
    }

    @Test func blockedNeighborDiscoveryIsNeverAConfidentAccept() {
        // Only TCP 443 is let in: the client's ICMPv6 neighbor solicitations are dropped too.
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            B.ctState(CtStateBit.established) + [B.accept],
            B.tcpDport(443) + [B.accept],
        ])])])
        let a = FirewallEvaluator(ruleset: rs).evaluate(B.flow(v6a))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("neighbor"))
        #expect(verdict(rs, v4a) == .accept)
        // Solicitations accepted by type (`icmpv6 type nd-neighbor-solicit accept`), output open: certain again.
        func ndRuleset(_ type: UInt8) -> Ruleset {
            B.ruleset([B.table([B.base("input", .input, policy: .drop, [
                B.ctState(CtStateBit.established) + [B.accept],
                B.l4proto(58) + [.payload(Payload(base: .transport, offset: 0, length: 1, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: [type])), B.accept],
                B.tcpDport(443) + [B.accept],
            ])])])
        }
        #expect(verdict(ndRuleset(135), v6a) == .accept)
        // Letting in only advertisements is not enough (the kernel showed the SYN never comes):
        // never a confident accept.
        #expect(verdict(ndRuleset(136), v6a) == .undetermined)
    }

    @Test func interfaceNamesCompareAsTheKernelDoes() {
        // iptables-nft writes `-i lo` as a 3-byte compare ("lo\0"), nft as a 16-byte one: both
        // mean exactly the interface "lo", which summaries leave out.
        let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
            [.meta(Meta(key: .iifname, dreg: B.r1)), .cmp(Cmp(sreg: B.r1, op: .eq, data: Array("lo".utf8) + [0])), B.accept],
            B.iifname("eth0") + B.tcpDport(443) + [B.accept],
            B.ctState(CtStateBit.established) + [B.accept],
        ])])])
        let s = FirewallEvaluator(ruleset: rs).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom == ["0.0.0.0/0"])
        #expect(s.interfaces == ["eth0"])
        #expect(verdict(rs, v4a, iface: "lo") == .accept)
        #expect(verdict(rs, v4a, iface: "eth01") == .drop)
        #expect(InterfaceSpace.labels(InterfaceSpace.allButLoopback.subtracting(InterfaceSpace.single("eth1"))) == ["any except eth1, lo"]
                || InterfaceSpace.labels(InterfaceSpace.allButLoopback.subtracting(InterfaceSpace.single("eth1"))) == ["any except lo, eth1"])
    }

    @Test func catchAllElementOfAVerdictMap() {
        // tcp dport vmap { 443 : accept, * : drop } and ip saddr vmap { 10.77.1.0/24 : accept, * : drop }
        var star = SetElement(key: [], verdict: .drop)
        star.isCatchall = true
        let ports = B.set("__map0", keyLength: 2, flags: [.anonymous, .constant, .map], dataType: NftSet.verdictDataType,
                          [SetElement(key: B.be16(443), verdict: .accept), star])
        let srcs = B.set("__map1", keyLength: 4, flags: [.anonymous, .constant, .map, .interval], dataType: NftSet.verdictDataType,
                         [SetElement(key: [10, 77, 1, 0], keyEnd: [10, 77, 1, 255], verdict: .accept), star])
        let byPort = B.ruleset([B.table(.ip, "t", sets: [ports], [B.base("input", .input, policy: .accept, [
            B.ctState(CtStateBit.established) + [B.accept],
            B.l4proto(6) + B.dportLoad() + [.lookup(Lookup(sreg: B.r1, dreg: .verdict, setName: "__map0"))],
        ])])])
        #expect(verdict(byPort, v4a) == .accept)
        #expect(verdict(byPort, v4a, port: 80) == .drop)
        let bySource = B.ruleset([B.table(.ip, "t", sets: [srcs], [B.base("input", .input, policy: .accept, [
            B.ctState(CtStateBit.established) + [B.accept],
            [B.saddrLoad(.ipv4), .lookup(Lookup(sreg: B.r1, dreg: .verdict, setName: "__map1"))],
        ])])])
        #expect(verdict(bySource, v4a) == .accept)
        #expect(verdict(bySource, v4b) == .drop)
        let s = FirewallEvaluator(ruleset: bySource).summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .conditional)
        #expect(s.acceptedFrom == ["10.77.1.0/24"])
    }
}
