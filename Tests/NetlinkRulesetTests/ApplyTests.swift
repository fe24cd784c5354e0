import Testing
import Foundation
import FirewallEvaluator
import NetlinkRuleset
import NftModel
import TestSupport

/// `apply` end to end: the plan is committed in one batch inside a test namespace, and the kernel
/// (real connections from the client namespace) confirms the port is open — and that a
/// blocklist placed before the deciding rule still blocks.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ApplyTests {
    static let ruleset = """
    table inet filter {
      set blocked { type ipv4_addr; flags interval; elements = { 10.77.2.0/24 } }
      chain input { type filter hook input priority 0; policy drop;
        ct state established,related accept
        ip saddr @blocked drop
        tcp dport 22 accept
      }
      chain output { type filter hook output priority 0; policy drop;
        tcp sport 22 accept
      }
    }
    table ip extra {
      chain in { type filter hook input priority 10; policy accept;
        tcp dport 443 reject with tcp reset
      }
    }
    """

    @Test func opensThePortAndTheKernelAgrees() throws {
        let pair = try NamespacePair(prefix: "ap")
        defer { pair.destroy() }
        try pair.loadNft(Self.ruleset)
        let l4 = try NetnsSockets.listen(namespace: pair.server, v6: false, port: 443)
        defer { close(l4) }
        let l6 = try NetnsSockets.listen(namespace: pair.server, v6: true, port: 443)
        defer { close(l6) }
        func connect(_ src: String, _ dst: String) throws -> NetnsSockets.ConnectOutcome {
            try NetnsSockets.connect(namespace: pair.client, source: src, destination: dst, port: 443, timeout: 0.7)
        }
        #expect(try connect(NamespacePair.clientV4[0], NamespacePair.serverV4[0]) != .connected)
        #expect(try connect(NamespacePair.clientV6[0], NamespacePair.serverV6[0]) != .connected)

        let before = try NetlinkRulesetReader().read(netns: pair.server)
        let plan = PortOpeningPlanner.plan(ruleset: before, request: PortOpeningRequest(port: 443))
        #expect(plan.refusal == nil)
        // input policy (v4+v6), the reject in ip extra, the output policy for SYN-ACKs, ND for IPv6.
        #expect(Set(plan.insertions.map { "\($0.table)/\($0.chain)" }) == ["filter/input", "extra/in", "filter/output"])
        #expect(plan.after[.ipv6]?.verdict == .accept)
        #expect(plan.after[.ipv4]?.verdict == .conditional)
        #expect(plan.after[.ipv4]?.acceptedFrom.contains("10.77.2.0/24") == false)

        try RulesetWriter().insert(plan.insertions, expectedGeneration: before.generation, netns: pair.server)

        #expect(try connect(NamespacePair.clientV4[0], NamespacePair.serverV4[0]) == .connected)
        #expect(NetnsSockets.acceptOne(l4, timeout: 1))
        #expect(try connect(NamespacePair.clientV6[0], NamespacePair.serverV6[0]) == .connected)
        #expect(NetnsSockets.acceptOne(l6, timeout: 1))
        // The blocklist comes before the deciding rule: it still blocks.
        #expect(try connect(NamespacePair.clientV4[1], NamespacePair.serverV4[1]) == .timeout)

        let after = try NetlinkRulesetReader().read(netns: pair.server)
        let added = after.tables.flatMap { $0.chains.flatMap(\.rules) }.filter { $0.comment?.hasPrefix(PortOpeningPlanner.commentPrefix) == true }
        #expect(added.count == plan.insertions.count)
        let evaluator = FirewallEvaluator(ruleset: after)
        #expect(evaluator.summarize(version: .ipv6, l4proto: 6, port: 443, inputInterface: nil).verdict == .accept)
        // Planning again finds nothing to do.
        #expect(PortOpeningPlanner.plan(ruleset: after, request: PortOpeningRequest(port: 443)).insertions.isEmpty)
    }

    @Test func aRulesetChangedAfterReadingIsNotTouched() throws {
        let pair = try NamespacePair(prefix: "ag")
        defer { pair.destroy() }
        try pair.loadNft(Self.ruleset)
        let before = try NetlinkRulesetReader().read(netns: pair.server)
        let plan = PortOpeningPlanner.plan(ruleset: before, request: PortOpeningRequest(port: 443))
        #expect(!plan.insertions.isEmpty)
        try pair.exec(pair.server, ["nft", "add", "rule", "inet", "filter", "input", "tcp", "dport", "8080", "accept"])
        #expect(throws: RulesetWriteError.changedSinceRead(before.generation!)) {
            try RulesetWriter().insert(plan.insertions, expectedGeneration: before.generation, netns: pair.server)
        }
        let now = try NetlinkRulesetReader().read(netns: pair.server)
        #expect(!now.tables.flatMap { $0.chains.flatMap(\.rules) }.contains { $0.comment?.hasPrefix("portcullis") == true })
    }

    @Test func sourceRestrictedOpeningOnlyAdmitsThatPrefix() throws {
        let pair = try NamespacePair(prefix: "as")
        defer { pair.destroy() }
        try pair.loadNft("""
        table ip f {
          chain input { type filter hook input priority 0; policy drop;
            ct state established accept
          }
        }
        """)
        let l4 = try NetnsSockets.listen(namespace: pair.server, v6: false, port: 443)
        defer { close(l4) }
        let before = try NetlinkRulesetReader().read(netns: pair.server)
        let plan = PortOpeningPlanner.plan(ruleset: before, request: PortOpeningRequest(port: 443, source: (.ipv4, [10, 77, 1, 0], 24)))
        #expect(plan.refusal == nil)
        #expect(plan.after[.ipv4]?.acceptedFrom == ["10.77.1.0/24"])
        try RulesetWriter().insert(plan.insertions, expectedGeneration: before.generation, netns: pair.server)
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[0],
                                         destination: NamespacePair.serverV4[0], port: 443) == .connected)
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[1],
                                         destination: NamespacePair.serverV4[1], port: 443, timeout: 0.7) == .timeout)
    }

    @Test func refusesWhenTheRulesetCannotBeModelled() {
        // An opaque expression decides: no change can be proven safe.
        let rs = Ruleset(tables: [Table(family: .inet, name: "t", chains: [
            Chain(name: "in", hook: .input, type: .filter, priority: 0, policy: .drop, rules: [
                Rule(handle: 2, expressions: [.opaque(Opaque(name: "mystery")), .immediate(Immediate(dreg: .verdict, verdict: .drop))]),
            ]),
        ])])
        let plan = PortOpeningPlanner.plan(ruleset: rs, request: PortOpeningRequest(port: 443))
        #expect(plan.refusal != nil)
        #expect(plan.insertions.isEmpty)
    }
}
