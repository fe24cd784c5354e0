import Testing
import Foundation
@testable import Policy

/// The shipped policies load, cite their sources, and the binary embeds exactly policies/*.yaml.
struct BuiltinPolicyTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return url
    }()

    @Test func embeddedTextEqualsPolicyFiles() throws {
        let dir = Self.root.appendingPathComponent("policies")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == BuiltinPolicies.names, "run scripts/gen-policies")
        for f in files {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            let embedded = BuiltinPolicies.all[String(f.dropLast(5))]
            #expect(embedded.map { $0 + "\n" } == text, "\(f) differs from the embedded copy: run scripts/gen-policies")
        }
    }

    @Test(arguments: ["default", "mozilla-modern", "mozilla-intermediate", "pci-dss-4"])
    func builtinLoadsAndCites(_ name: String) throws {
        let p = try PolicyLoader().load(name)
        #expect(p.metadata.name == name)
        #expect(!p.metadata.source.isEmpty)
        #expect(p.enabledRules.count >= 5)
        #expect(p.rules.allSatisfy { !$0.remediation.isEmpty })
    }

    @Test func defaultPolicyContents() throws {
        let p = try PolicyLoader().load("default")
        let kinds = Set(p.enabledRules.map(\.check))
        #expect(kinds.isSuperset(of: [.firewallPortAccepted, .httpCleartextExposed, .tlsMinVersion, .tlsForbiddenSuites, .certTrusted,
                                      .certHostname, .certExpiry, .certKey, .certSignature, .hstsRequired]))
        let expiry = try #require(p.rules.first { $0.check == .certExpiry })
        #expect(expiry.params.int("minDays") == 21)
        let suites = try #require(p.rules.first { $0.check == .tlsForbiddenSuites })
        #expect(Set(suites.params.list("categories")) == ["null", "export", "rc4", "des", "3des", "anon"])
        #expect(p.rules.first { $0.check == .hstsRequired }?.params.int("minMaxAge") == 180 * 86400)
        // Evaluating the good fixture passes everything.
        let e = PolicyEngine(policy: p).evaluate(Fixtures.facts(), now: Fixtures.now)
        #expect(e.findings.isEmpty, "\(e.findings.map(\.message))")
    }

    @Test func mozillaModernRejectsTLS12() throws {
        let e = PolicyEngine(policy: try PolicyLoader().load("mozilla-modern")).evaluate(Fixtures.facts(), now: Fixtures.now)
        #expect(e.findings.map(\.ruleID).contains("mozilla-versions"))
        #expect(!e.rules.contains { $0.rule.id == "tls-min-version" })
    }
}

/// The shipped profiles judge realistic endpoints the way their sources say.
struct BuiltinProfileTests {
    @Test func mozillaIntermediateAndPCIPassAModernEndpoint() throws {
        for name in ["mozilla-intermediate", "pci-dss-4"] {
            let e = PolicyEngine(policy: try PolicyLoader().load(name)).evaluate(Fixtures.facts(), now: Fixtures.now)
            #expect(e.findings.isEmpty, "\(name): \(e.findings.map { "\($0.ruleID): \($0.message)" })")
        }
    }

    @Test func mozillaIntermediateFlagsOpenSSLDefaultGroupsAndCBC() throws {
        var t = Fixtures.goodTLS()
        t.groups = .value(["x25519", "secp256r1", "x448", "secp521r1", "secp384r1", "ffdhe2048"])
        t.cipherSuites = .value([.tls12: ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]])
        let e = PolicyEngine(policy: try PolicyLoader().load("mozilla-intermediate"))
            .evaluate(Fixtures.facts(endpoints: [Fixtures.endpoint(tls: t)]), now: Fixtures.now)
        let ids = Set(e.findings.map(\.ruleID))
        #expect(ids == ["mozilla-groups", "mozilla-suites"], "\(ids)")
        #expect(e.findings.first { $0.ruleID == "mozilla-suites" }?.evidence == ["TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"])
    }

    @Test func pciFlagsCleartextContentAsCritical() throws {
        let e = PolicyEngine(policy: try PolicyLoader().load("pci-dss-4"))
            .evaluate(Fixtures.facts(endpoints: [Fixtures.endpoint(port: 80, kind: .httpContent)]), now: Fixtures.now)
        #expect(e.failingFindings(atOrAbove: .critical).map(\.ruleID) == ["pci-4.2.1-no-cleartext"])
    }
}
