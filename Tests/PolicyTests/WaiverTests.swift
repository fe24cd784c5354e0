import Testing
import Foundation
@testable import Policy

/// Waivers cover failures in their scope until their expiry day; expired ones are findings.
struct WaiverTests {
    typealias F = Fixtures
    let weak = F.facts(endpoints: [F.endpoint("10.0.0.1", tls: {
        var t = F.goodTLS(); t.protocols = .value([.ssl2: false, .ssl3: false, .tls10: true, .tls11: false, .tls12: true, .tls13: true]); return t
    }()), F.endpoint("10.0.0.2", tls: {
        var t = F.goodTLS(); t.protocols = .value([.ssl2: false, .ssl3: false, .tls10: true, .tls11: false, .tls12: true, .tls13: true]); return t
    }())])

    func evaluate(_ waivers: String) throws -> Evaluation {
        let p = try F.policy(check: "tls.min-version", params: "{min: tls1.2}", waivers: "waivers:\n" + waivers)
        return PolicyEngine(policy: p).evaluate(weak, now: F.now)
    }

    @Test func validWaiverCoversOnlyItsScope() throws {
        let e = try evaluate("  - {rule: r, scope: {addresses: [10.0.0.1]}, reason: legacy client until migration, expires: 2026-06-15}\n")
        let results = e.rules[0].results
        #expect(results.map(\.status) == [.waived, .fail])
        #expect(results[0].waivedBy?.reason == "legacy client until migration")
        #expect(e.failingFindings(atOrAbove: .high).map(\.subject.name) == ["10.0.0.2:443 (sni good.test)"])
        #expect(e.findings.filter { $0.waivedBy != nil }.count == 1)
        #expect(e.rules.last?.rule.id == Evaluation.expiredWaiverRuleID && e.rules.last?.status == .pass)
    }

    @Test func expiredWaiverStopsApplyingAndIsReported() throws {
        let e = try evaluate("  - {rule: r, reason: was fine, expires: 2026-06-14}\n")
        #expect(e.rules[0].results.map(\.status) == [.fail, .fail])
        let expired = e.findings.filter { $0.ruleID == Evaluation.expiredWaiverRuleID }
        #expect(expired.count == 1)
        #expect(expired[0].message.contains("expired on 2026-06-14"))
        #expect(expired[0].location.line == 11)
    }

    @Test func waiverDoesNotTurnIncompleteIntoPass() throws {
        var e = F.endpoint()
        e.kind = .unavailable("timeout")
        let p = try F.policy(check: "tls.min-version", params: "{min: tls1.2}", waivers: "waivers:\n  - {rule: r, reason: x, expires: 2030-01-01}\n")
        #expect(PolicyEngine(policy: p).evaluate(F.facts(endpoints: [e]), now: F.now).rules[0].status == .incomplete)
    }
}

/// `DateOnly` does its own calendar arithmetic (the binary has no time-zone database); Foundation's
/// Gregorian calendar in UTC is the oracle here.
struct DateOnlyTests {
    @Test func dayOfADateMatchesFoundationsCalendarForThreeCenturies() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 0))
        var mismatches: [String] = []
        // Every day from 1900-01-01 to 2200-12-31, at 00:00:00 and at 23:59:59 UTC.
        for day in stride(from: -25_567, through: 84_006, by: 1) {
            for second in [0, 86_399] {
                let date = Date(timeIntervalSince1970: Double(day * 86_400 + second))
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                let ours = DateOnly(date)
                if (ours.year, ours.month, ours.day) != (c.year!, c.month!, c.day!) { mismatches.append("\(date): \(ours)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func validatesDaysPerMonthWithLeapYears() {
        #expect(DateOnly("2024-02-29")?.description == "2024-02-29")
        #expect(DateOnly("2000-02-29") != nil)
        #expect(DateOnly("2023-02-29") == nil)
        #expect(DateOnly("2100-02-29") == nil)
        #expect(DateOnly("2026-04-31") == nil)
        #expect(DateOnly("2026-12-31")?.description == "2026-12-31")
        #expect(DateOnly("0999-01-01")?.description == "0999-01-01")
        #expect(DateOnly("2026-1-01") == nil)
        #expect(DateOnly("2026-13-01") == nil)
    }
}
