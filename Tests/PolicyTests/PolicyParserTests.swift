import Testing
import Foundation
@testable import Policy

/// The language is strict: every mistake is an error with file, line, column and what was expected.
struct PolicyParserTests {
    func error(_ text: String) -> PolicyError? {
        do { _ = try PolicyLoader(builtins: ["default": BuiltinPolicies.all["default"]!]).load(text: text, file: "p.yaml"); return nil }
        catch { return error }
    }

    @Test func parsesAFullRule() throws {
        let p = try PolicyLoader(builtins: [:]).load(text: """
        policy:
          name: full
          description: d
          source: https://example.org/std
        rules:
          - id: v
            title: Versions
            severity: critical
            check: tls.min-version
            scope: {ports: [443, "8000-8999"], addresses: [10.0.0.0/8, "fd00::/8"], processes: [nginx], interfaces: [eth0], hosts: ["*.example.com"], exposed: true}
            params: {min: tls1.3}
            remediation: r
        """, file: "full.yaml")
        #expect(p.metadata.name == "full")
        #expect(p.metadata.source == ["https://example.org/std"])
        let r = try #require(p.rules.first)
        #expect(r.check == .tlsMinVersion && r.severity == .critical)
        #expect(r.params.string("min") == "tls1.3")
        #expect(r.scope.ports == [ScopePortRange(443), ScopePortRange(8000, 8999)])
        #expect(r.scope.addresses.map(\.description) == ["10.0.0.0/8", "fd00::/8"])
        #expect(r.scope.exposed == true)
        #expect(r.location == SourceLocation(file: "full.yaml", line: 6, column: 5))
    }

    @Test func unknownTopLevelKeyIsAnErrorWithPosition() throws {
        let e = try #require(error("policy: {name: x}\nrulez: []\n"))
        #expect(e.location == SourceLocation(file: "p.yaml", line: 2, column: 1))
        #expect(e.message.contains("unknown key \"rulez\"") && e.message.contains("expected one of policy, rules, waivers"))
        #expect(e.description.hasPrefix("p.yaml:2:1: "))
    }

    @Test func unknownRuleKeyIsAnError() throws {
        let e = try #require(error("""
        policy: {name: x}
        rules:
          - id: a
            title: t
            severity: low
            check: cert.trusted
            remedy: oops
        """))
        #expect(e.location?.line == 7 && e.location?.column == 5)
        #expect(e.message.contains("unknown key \"remedy\""))
    }

    @Test func unknownParameterIsAnError() throws {
        let e = try #require(error("""
        policy: {name: x}
        rules:
          - id: a
            title: t
            severity: low
            check: cert.expiry
            params: {minDayz: 3}
            remediation: r
        """))
        #expect(e.location?.line == 7 && e.location?.column == 14)
        #expect(e.message.contains("unknown parameter \"minDayz\"") && e.message.contains("minDays"))
    }

    @Test func wrongTypesAreErrors() throws {
        let sev = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: severe, check: cert.trusted, remediation: r}\n"))
        #expect(sev.message.contains("`severity` must be one of info, low, medium, high, critical"))
        #expect(sev.location?.line == 3)
        let param = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: cert.expiry, params: {minDays: soon}, remediation: r}\n"))
        #expect(param.message.contains("expected an integer, got soon"))
        let rules = try #require(error("policy: {name: x}\nrules: {id: a}\n"))
        #expect(rules.message.contains("`rules`: expected a list, got a mapping") && rules.location?.line == 2 && rules.location?.column == 8)
        let enabled = try #require(error("policy: {name: x, extends: [default]}\nrules:\n  - {id: hsts, enabled: nope}\n"))
        #expect(enabled.message.contains("`enabled`: expected true or false"))
        let check = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: tls.bogus, remediation: r}\n"))
        #expect(check.message.contains("unknown check \"tls.bogus\""))
        let port = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: tls.required, scope: {ports: [70000]}, remediation: r}\n"))
        #expect(port.message.contains("expected a port"))
        let cidr = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: tls.required, scope: {addresses: [10.0.0.0/33]}, remediation: r}\n"))
        #expect(cidr.message.contains("CIDR"))
        let version = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: tls.min-version, params: {min: tls9}, remediation: r}\n"))
        #expect(version.message.contains("expected one of ssl2, ssl3, tls1.0"))
    }

    @Test func missingFieldsAreErrors() throws {
        #expect(try #require(error("rules: []\n")).message.contains("missing `policy:`"))
        #expect(try #require(error("policy: {name: x}\nrules:\n  - {id: a, severity: low, check: cert.trusted, remediation: r}\n")).message.contains("has no `title`"))
        #expect(try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: cert.trusted}\n")).message.contains("has no `remediation`"))
        #expect(try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: tls.allowed-suites, remediation: r}\n")).message.contains("needs parameter `names`"))
    }

    @Test func yamlSyntaxErrorsCarryPosition() throws {
        let e = try #require(error("policy:\n  name: x\n rules: [\n"))
        #expect(e.location != nil)
        #expect(e.message.contains("invalid YAML"))
    }

    @Test func duplicateIDsAndKeysAreErrors() throws {
        let dup = try #require(error("policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: cert.trusted, remediation: r}\n  - {id: a, title: t, severity: low, check: cert.trusted, remediation: r}\n"))
        #expect(dup.message.contains("duplicate rule id \"a\"") && dup.location?.line == 4)
        let key = try #require(error("policy: {name: x}\npolicy: {name: y}\n"))
        #expect(key.message.contains("duplicate"))
    }

    @Test func waiversNeedReasonAndDate() throws {
        let base = "policy: {name: x}\nrules:\n  - {id: a, title: t, severity: low, check: cert.trusted, remediation: r}\nwaivers:\n"
        #expect(try #require(error(base + "  - {rule: a, expires: 2026-01-01}\n")).message.contains("without `reason`"))
        #expect(try #require(error(base + "  - {rule: a, reason: r}\n")).message.contains("without `expires`"))
        #expect(try #require(error(base + "  - {rule: a, reason: r, expires: 2026-02-30}\n")).message.contains("expected a date YYYY-MM-DD"))
        let unknown = try #require(error(base + "  - {rule: zzz, reason: r, expires: 2026-01-01}\n"))
        #expect(unknown.message.contains("waiver for unknown rule \"zzz\"") && unknown.location?.line == 5)
        #expect(try #require(error(base + "  - {rule: a, reason: r, expires: 2026-01-01, owner: me}\n")).message.contains("unknown key \"owner\""))
    }

    @Test func portRangesAndCIDRs() {
        #expect(ScopePortRange(parsing: "8000-8999")?.contains(8443) == true)
        #expect(ScopePortRange(parsing: "9-3") == nil)
        #expect(CIDR("10.0.0.0/8")!.contains("10.2.3.4"))
        #expect(!CIDR("10.0.0.0/8")!.contains("11.0.0.1"))
        #expect(CIDR("fd77:1::/64")!.contains("fd77:1::2"))
        #expect(!CIDR("fd77:1::/64")!.contains("fd77:2::2"))
        #expect(CIDR("127.0.0.0/8")!.contains("::ffff:127.0.0.1"))
        #expect(CIDR("::1")!.contains("[::1]"))
    }
}

struct PolicyTargetTests {
    @Test func targetsParseAndInherit() throws {
        let l = PolicyLoader(builtins: ["base": "policy: {name: base}\ntargets: [\"a.example:443\"]\n"])
        let p = try l.load(text: "policy: {name: c, extends: [base]}\ntargets:\n  - {target: \"[fd00::1]:8443\", sni: www.example}\n  - 10.0.0.1:443\n", file: "c.yaml")
        #expect(p.targets == [AuditTarget(host: "a.example", port: 443), AuditTarget(host: "fd00::1", port: 8443, sni: "www.example"),
                              AuditTarget(host: "10.0.0.1", port: 443)])
        do {
            _ = try l.load(text: "policy: {name: c}\ntargets: [\"nope\"]\n", file: "c.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("expected HOST:PORT") && error.location?.line == 2)
        }
    }
}
