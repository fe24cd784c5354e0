import Testing
import NftModel

/// The model's kernel numbers and the simulation helper `apply` plans with.
struct ModelTests {
    @Test func verdictCodesRoundTripAsTheKernelEncodesThem() {
        let cases: [Verdict] = [.drop, .accept, .stolen, .queue(7), .repeat_, .continue, .break, .jump("x"), .goto("y"), .return]
        for v in cases {
            let chain: String? = switch v { case .jump(let c), .goto(let c): c; default: nil }
            #expect(Verdict(code: v.code, chain: chain) == v)
        }
        #expect(Verdict.accept.code == 1)        // NF_ACCEPT
        #expect(Verdict.return.code == -5)      // NFT_RETURN
        #expect(Verdict(code: -3, chain: nil) == .unknown(-3))
    }

    @Test func registersAliasOneRegisterFile() {
        #expect(Register(1).byteOffset == 16)   // NFT_REG_1 starts after the 16 verdict bytes
        #expect(Register(8).byteOffset == 16)   // NFT_REG32_00 aliases NFT_REG_1
        #expect(Register(12).byteOffset == 32)  // NFT_REG32_04 aliases NFT_REG_2
        #expect(Register(23).byteOffset == 76)
        #expect(Register(5).byteOffset == nil)
    }

    @Test func hooksMapPerFamily() {
        #expect(Hook.from(number: 1, family: .inet) == .input)
        #expect(Hook.from(number: 0, family: .netdev) == .ingress)
        #expect(Hook.from(number: 1, family: .netdev) == .egress)
        #expect(Hook.input.number(family: .ip) == 1)
        #expect(Family(name: "ip6") == .ip6)
        #expect(Family(name: "ipv6") == nil)
    }

    @Test func insertingPlacesRulesWhereTheKernelWould() throws {
        let rs = Ruleset(tables: [Table(family: .inet, name: "t", chains: [
            Chain(name: "in", hook: .input, type: .filter, priority: 0, policy: .drop, rules: [
                Rule(handle: 2, expressions: [.counter]), Rule(handle: 3, expressions: [.counter]),
            ]),
        ])])
        let rule = Rule(handle: 99, comment: "new", expressions: [.immediate(Immediate(dreg: .verdict, verdict: .accept))])
        let before = try #require(rs.inserting(RuleInsertion(family: .inet, table: "t", chain: "in",
                                                             position: .before(handle: 3), rule: rule, rendered: "accept")))
        #expect(before.tables[0].chains[0].rules.map(\.handle) == [2, 99, 3])
        let end = try #require(rs.inserting(RuleInsertion(family: .inet, table: "t", chain: "in", position: .end,
                                                          rule: rule, rendered: "accept")))
        #expect(end.tables[0].chains[0].rules.map(\.handle) == [2, 3, 99])
        #expect(rs.inserting(RuleInsertion(family: .inet, table: "t", chain: "in", position: .before(handle: 7),
                                           rule: rule, rendered: "accept")) == nil)
        #expect(rs.inserting(RuleInsertion(family: .ip, table: "t", chain: "in", position: .end,
                                           rule: rule, rendered: "accept")) == nil)
    }
}
