import Foundation
import Testing
import NftModel
@testable import FirewallEvaluator

/// The JSON of `portcullis firewall` is a contract (schemaVersion 1): these tests pin its shape.
struct FirewallReportTests {
    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    let rs = B.ruleset([B.table([B.base("input", .input, policy: .drop, [
        B.ctState(CtStateBit.established) + [B.accept],
        B.icmpv6Accept,
        B.saddr("10.77.1.0/24") + B.tcpDport(443) + [B.accept],
    ])])])

    @Test func flowReportShape() throws {
        let answer = FirewallEvaluator(ruleset: rs).evaluate(B.flow("10.77.1.2"))
        let json = try object(try FirewallReport.json(FirewallReport.Flow(answer, warnings: [])))
        #expect(Set(json.keys) == ["schemaVersion", "verdict", "family", "deliveredPort", "reason", "trace", "warnings"])
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["verdict"] as? String == "accept")
        #expect(json["family"] as? String == "ipv4")
        #expect(json["deliveredPort"] as? Int == 443)
        let trace = try #require(json["trace"] as? [[String: Any]])
        #expect(!trace.isEmpty)
        for step in trace { #expect(Set(step.keys) == ["family", "table", "chain", "handle", "rule", "verdict"]) }

        let dropped = FirewallEvaluator(ruleset: rs).evaluate(B.flow("10.77.2.2"))
        let d = try object(try FirewallReport.json(FirewallReport.Flow(dropped, warnings: ["w"])))
        #expect(d["verdict"] as? String == "drop")
        #expect(d["deliveredPort"] is NSNull)
        #expect(d["warnings"] as? [String] == ["w"])
        // The policy step has a null handle.
        let steps = try #require(d["trace"] as? [[String: Any]])
        #expect(steps.contains { $0["handle"] is NSNull && ($0["rule"] as? String) == "policy drop" })
    }

    @Test func summaryReportShape() throws {
        let e = FirewallEvaluator(ruleset: rs)
        let report = FirewallReport.Summary(ipv4: e.summarize(version: .ipv4, l4proto: 6, port: 443, inputInterface: nil),
                                            ipv6: e.summarize(version: .ipv6, l4proto: 6, port: 443, inputInterface: nil),
                                            warnings: [])
        let json = try object(try FirewallReport.json(report))
        #expect(Set(json.keys) == ["schemaVersion", "ipv4", "ipv6", "warnings"])
        let v4 = try #require(json["ipv4"] as? [String: Any])
        #expect(Set(v4.keys).isSuperset(of: ["verdict", "acceptedFrom", "interfaces", "trace"]))
        #expect(v4["verdict"] as? String == "conditional")
        #expect(v4["acceptedFrom"] as? [String] == ["10.77.1.0/24"])
        #expect(v4["interfaces"] as? [String] == [])
        let v6 = try #require(json["ipv6"] as? [String: Any])
        #expect(v6["verdict"] as? String == "drop")
        #expect(v6["acceptedFrom"] as? [String] == [])

        let text = FirewallReport.text(report)
        #expect(text.hasPrefix("ipv4: conditional from 10.77.1.0/24"))
        #expect(text.contains("\nipv6: drop from nowhere"))
        #expect(text.contains("deciding rules:"))
    }
}
