import Testing
import Foundation
@testable import Policy

/// `extends` merges rule sets: children override by id, may re-grade or disable inherited rules.
struct PolicyExtendsTests {
    let parent = """
    policy: {name: parent}
    rules:
      - {id: a, title: A, severity: high, check: cert.trusted, remediation: r}
      - {id: b, title: B, severity: high, check: cert.expiry, params: {minDays: 30}, remediation: r}
      - {id: c, title: C, severity: low, check: tls.required, remediation: r}
    """

    func loader(_ files: [String: String]) -> PolicyLoader {
        PolicyLoader(builtins: ["parent": parent], readFile: { path throws(PolicyError) in
            guard let t = files[path] else { throw PolicyError("no such policy file", file: path) }
            return t
        })
    }

    @Test func childOverridesDisablesAndAdds() throws {
        let p = try loader([:]).load(text: """
        policy: {name: child, extends: parent}
        rules:
          - {id: a, severity: medium}
          - {id: b, params: {minDays: 7}}
          - {id: c, enabled: false}
          - {id: d, title: D, severity: info, check: tls.alpn, params: {required: [h2]}, remediation: r}
        """, file: "child.yaml")
        #expect(p.rules.map(\.id) == ["a", "b", "c", "d"])
        #expect(p.rules[0].severity == .medium && p.rules[0].title == "A")
        #expect(p.rules[1].params.int("minDays") == 7)
        #expect(p.enabledRules.map(\.id) == ["a", "b", "d"])
        #expect(p.chain == ["builtin:parent", "child.yaml"])
    }

    @Test func fullReplacementWhenCheckGiven() throws {
        let p = try loader([:]).load(text: "policy: {name: child, extends: [parent]}\nrules:\n  - {id: a, title: X, severity: info, check: tls.required, remediation: r2}\n", file: "c.yaml")
        #expect(p.rules[0].check == .tlsRequired && p.rules[0].remediation == "r2")
    }

    @Test func extendsFilesRelativeToTheChild() throws {
        let l = loader(["/etc/pc/base.yaml": parent.replacingOccurrences(of: "name: parent", with: "name: base"),
                        "/etc/pc/site.yaml": "policy: {name: site, extends: [base.yaml]}\nrules:\n  - {id: a, enabled: false}\n"])
        let p = try l.load("/etc/pc/site.yaml")
        #expect(p.enabledRules.map(\.id) == ["b", "c"])
        #expect(p.chain == ["/etc/pc/base.yaml", "/etc/pc/site.yaml"])
    }

    @Test func cyclesAndUnknownParentsAreErrors() throws {
        let l = loader(["/x/a.yaml": "policy: {name: a, extends: [b.yaml]}\n", "/x/b.yaml": "policy: {name: b, extends: [a.yaml]}\n"])
        #expect(throws: PolicyError.self) { try l.load("/x/a.yaml") }
        do { _ = try l.load("/x/a.yaml") } catch { #expect(error.message.contains("cycle")) }
        do {
            _ = try loader([:]).load(text: "policy: {name: c, extends: [nosuch]}\n", file: "c.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("unknown policy \"nosuch\"") && error.location?.line == 1)
        }
        do {
            _ = try loader([:]).load(text: "policy: {name: c}\nrules:\n  - {id: zz, enabled: false}\n", file: "c.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("overrides no inherited rule"))
        }
    }
}
