import Testing
import NftModel
@testable import FirewallEvaluator

/// iptables-nft compat expressions as ufw and docker emit them.
struct XtEvaluationTests {
    func m(_ name: String, _ info: XtMatchInfo) -> Expression { .match(XtMatch(name: name, revision: 0, info: [], decoded: info)) }
    func t(_ name: String, _ info: XtTargetInfo?) -> Expression { .target(XtTarget(name: name, revision: 0, info: [], decoded: info)) }

    @Test func ufwStyleChains() {
        let rs = B.ruleset([B.table(.ip, "filter", [
            B.base("INPUT", .input, policy: .drop, [[B.verdict(.jump("ufw-before-input"))], [B.verdict(.jump("ufw-user-input"))]]),
            B.base("OUTPUT", .output, policy: .accept, []),
            B.regular("ufw-before-input", [
                B.iifname("lo") + [B.accept],
                [m("conntrack", .conntrack(stateMask: 2 | 4, stateInverted: false, otherConditions: [])), B.accept],
                [m("conntrack", .conntrack(stateMask: 1, stateInverted: false, otherConditions: [])), B.drop],
            ]),
            B.regular("ufw-user-input", [
                B.l4proto(6) + B.saddr("10.77.1.0/24", family: .ip)
                    + [m("multiport", .multiport(side: 1, ports: [PortRange(single: 443), PortRange(8000, 8100)], inverted: false)), B.accept],
                B.l4proto(6) + [m("tcp", .tcp(sourcePorts: .all, destinationPorts: PortRange(single: 22), option: 0, flagMask: 0, flagCompare: 0, invertFlags: 0)), B.accept],
            ]),
        ])])
        let e = FirewallEvaluator(ruleset: rs)
        #expect(e.evaluate(B.flow("10.77.1.2")).verdict == .accept)
        #expect(e.evaluate(B.flow("10.77.1.2", port: 8050)).verdict == .accept)
        #expect(e.evaluate(B.flow("10.77.2.2")).verdict == .drop)
        #expect(e.evaluate(B.flow("10.77.2.2", port: 22)).verdict == .accept)
        #expect(e.evaluate(B.flow("fd77:1::2")).verdict == .accept)  // no ip6 table
        #expect(e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil).acceptedFrom == ["10.77.1.0/24"])
    }

    @Test func xtRejectDnatAndUndecoded() {
        let rs = B.ruleset([
            B.table(.ip, "nat", [B.base("PREROUTING", .prerouting, prio: -100, type: .nat, [
                B.tcpDport(443) + [m("addrtype", .addrtype(sourceMask: 0, destinationMask: 1 << 2, flags: 0)),
                                   t("DNAT", .dnat(addresses: nil, ports: PortRange(single: 8443)))],
            ])]),
            B.table(.ip, "filter", [B.base("INPUT", .input, policy: .accept, [
                B.saddr("10.77.2.0/24", family: .ip) + [t("REJECT", .reject(type: 7))],
                B.saddr("10.77.3.0/24", family: .ip) + [.match(XtMatch(name: "recent", revision: 0, info: [1, 2])), B.drop],
            ])]),
        ])
        let e = FirewallEvaluator(ruleset: rs)
        let a = e.evaluate(B.flow("10.77.1.2"))
        #expect(a.verdict == .accept)
        #expect(a.deliveredPort == 8443)
        #expect(e.evaluate(B.flow("10.77.2.2")).verdict == .reject)
        let u = e.evaluate(B.flow("10.77.3.2"))
        #expect(u.verdict == .undetermined)
        #expect(u.reason.contains("recent"))
    }

    @Test func iprangeAndLimit() {
        let rs = B.ruleset([B.table(.ip, "filter", [B.base("INPUT", .input, policy: .drop, [
            [m("state", .state(stateMask: 2)), B.accept],
            [m("iprange", .iprange(source: AddressRange(lower: [10, 77, 1, 1], upper: [10, 77, 1, 9]), destination: nil, flags: 1)), B.accept],
            [m("limit", .limit(average: 1, burst: 5)), B.accept],
        ])])])
        let e = FirewallEvaluator(ruleset: rs)
        #expect(e.evaluate(B.flow("10.77.1.2")).verdict == .accept)
        #expect(e.evaluate(B.flow("10.77.1.20")).verdict == .undetermined)
        let s = e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil)
        #expect(s.verdict == .undetermined)
        #expect(s.acceptedFrom == ["10.77.1.1/32", "10.77.1.2/31", "10.77.1.4/30", "10.77.1.8/31"])
    }

    @Test func statefulXtMatchesForkInsteadOfGuessing() {
        let recent = Expression.match(XtMatch(name: "recent", revision: 1, info: [0, 1, 2]))
        let rs = B.ruleset([B.table(.ip, "filter", [B.base("INPUT", .input, policy: .accept, [
            [recent, .counter],                       // `recent --set`: no effect either way
            B.tcpDport(22) + [recent, B.drop],        // `recent --update … -j DROP`: decides
        ])])])
        let e = FirewallEvaluator(ruleset: rs)
        #expect(e.evaluate(B.flow("10.0.0.1")).verdict == .accept)
        let a = e.evaluate(B.flow("10.0.0.1", port: 22))
        #expect(a.verdict == .undetermined)
        #expect(a.reason.contains("recent"))
    }
}
