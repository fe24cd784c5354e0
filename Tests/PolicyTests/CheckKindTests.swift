import Testing
import Foundation
@testable import Policy

/// Every check kind: a pass, a fail, and an incomplete when its input is missing — never a pass.
struct CheckKindTests {
    typealias F = Fixtures

    func status(_ check: String, _ params: String = "{}", _ facts: AuditFacts) throws -> ResultStatus {
        try F.evaluate(check: check, params: params, facts: facts).0
    }

    func tlsFacts(_ change: (inout TLSFacts) -> Void) -> AuditFacts {
        var t = F.goodTLS()
        change(&t)
        return F.facts(endpoints: [F.endpoint(tls: t)])
    }

    func certFacts(_ change: (inout CertificateFacts) -> Void) -> AuditFacts {
        var c = F.goodCert()
        change(&c)
        return tlsFacts { $0.certificate = .value(c) }
    }

    @Test func firewallPortAccepted() throws {
        #expect(try status("firewall.port-accepted", "{port: 443}", F.facts()) == .pass)
        #expect(try status("firewall.port-accepted", "{port: 443}", F.facts(firewall: F.firewall(.drop, .reject))) == .fail)
        #expect(try status("firewall.port-accepted", "{port: 443}", F.facts(firewall: F.firewall(.drop, .accept))) == .pass)
        #expect(try status("firewall.port-accepted", "{port: 443, require: all}", F.facts(firewall: F.firewall(.drop, .accept))) == .fail)
        #expect(try status("firewall.port-accepted", "{port: 443}", F.facts(firewall: F.firewall(.drop, .undetermined))) == .incomplete)
        #expect(try status("firewall.port-accepted", "{port: 443, allowConditional: false}", F.facts(firewall: F.firewall(.conditional, .drop))) == .fail)
        #expect(try status("firewall.port-accepted", "{port: 443}", F.facts(firewall: .unavailable("no CAP_NET_ADMIN"))) == .incomplete)
        #expect(try status("firewall.port-accepted", "{port: 8443}", F.facts()) == .incomplete)
        let (_, results) = try F.evaluate(check: "firewall.port-accepted", params: "{port: 443}", facts: F.facts(firewall: F.firewall(.drop, .drop)))
        #expect(results[0].evidence.contains { $0.contains("inet filter input policy drop") })
    }

    func listener(_ address: String, binding: Binding, exposure: Observed<[IPFamily: FamilyFirewallFacts]>) -> ListenerFacts {
        ListenerFacts(transport: .tcp, address: address, port: 6379, family: .ipv4, binding: binding,
                      processes: [ProcessFacts(pid: 1, name: "redis-server")], exposure: exposure)
    }

    @Test func listenerChecks() throws {
        let open = Observed<[IPFamily: FamilyFirewallFacts]>.value([.ipv4: FamilyFirewallFacts(verdict: .accept, acceptedFrom: ["0.0.0.0/0"])])
        let closed = Observed<[IPFamily: FamilyFirewallFacts]>.value([.ipv4: FamilyFirewallFacts(verdict: .drop)])
        let lo = F.facts(listeners: .value([listener("127.0.0.1", binding: .loopback, exposure: open)]))
        let wild = F.facts(listeners: .value([listener("0.0.0.0", binding: .wildcard, exposure: open)]))
        let wildClosed = F.facts(listeners: .value([listener("0.0.0.0", binding: .wildcard, exposure: closed)]))
        let unknown = F.facts(listeners: .value([listener("0.0.0.0", binding: .wildcard, exposure: .unavailable("firewall unread"))]))
        #expect(try status("listener.loopback-only", "{}", lo) == .pass)
        #expect(try status("listener.loopback-only", "{}", wild) == .fail)
        #expect(try status("listener.not-exposed", "{}", lo) == .pass)
        #expect(try status("listener.not-exposed", "{}", wild) == .fail)
        #expect(try status("listener.not-exposed", "{}", wildClosed) == .pass)
        #expect(try status("listener.not-exposed", "{}", unknown) == .incomplete)
        #expect(try status("listener.not-exposed", "{}", F.facts(listeners: .unavailable("netlink refused"))) == .incomplete)
        #expect(try status("listener.present", "{port: 6379}", wild) == .pass)
        #expect(try status("listener.present", "{port: 443}", wild) == .fail)
        // Scope by process picks subjects.
        let p = try F.policy(check: "listener.loopback-only", scope: "{processes: [nginx]}")
        #expect(PolicyEngine(policy: p).evaluate(wild, now: F.now).rules[0].status == .notApplicable)
    }

    @Test func cleartextHTTP() throws {
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [F.endpoint(port: 80, kind: .httpContent)])) == .fail)
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [F.endpoint(port: 80, kind: .httpRedirect)])) == .pass)
        #expect(try status("http.cleartext-exposed", "{allowRedirectToHttps: false}", F.facts(endpoints: [F.endpoint(port: 80, kind: .httpRedirect)])) == .fail)
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [F.endpoint(port: 80, kind: .httpContent, exposed: false)])) == .pass)
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [F.endpoint(port: 80, kind: .httpContent, exposed: nil)])) == .incomplete)
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [F.endpoint()])) == .notApplicable)
        var failed = F.endpoint(port: 80)
        failed.kind = .unavailable("connection reset")
        #expect(try status("http.cleartext-exposed", "{}", F.facts(endpoints: [failed])) == .incomplete)
    }

    @Test func tlsRequired() throws {
        #expect(try status("tls.required", "{}", F.facts()) == .pass)
        #expect(try status("tls.required", "{}", F.facts(endpoints: [F.endpoint(kind: .other)])) == .fail)
    }

    @Test func versions() throws {
        let legacy = tlsFacts { $0.protocols = .value([.ssl2: false, .ssl3: false, .tls10: true, .tls11: true, .tls12: true, .tls13: false]) }
        #expect(try status("tls.min-version", "{min: tls1.2}", F.facts()) == .pass)
        #expect(try status("tls.min-version", "{min: tls1.2}", legacy) == .fail)
        #expect(try status("tls.min-version", "{min: tls1.2}", tlsFacts { $0.protocols = .unavailable("timeout") }) == .incomplete)
        #expect(try status("tls.min-version", "{min: tls1.2}", tlsFacts { $0.protocols = .value([.tls12: true, .tls13: true]) }) == .incomplete)
        #expect(try status("tls.versions", "{allowed: [tls1.3], required: [tls1.3]}", F.facts()) == .fail)
        #expect(try status("tls.versions", "{allowed: [tls1.2, tls1.3], required: [tls1.2, tls1.3]}", F.facts()) == .pass)
        #expect(try status("tls.versions", "{allowed: [tls1.2, tls1.3], required: [tls1.3]}", legacy) == .fail)
    }

    @Test func suites() throws {
        let weak = tlsFacts { $0.cipherSuites = .value([.tls10: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"], .tls12: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]]) }
        #expect(try status("tls.forbidden-suites", "{categories: [null, export, rc4, des, 3des, anon]}", F.facts()) == .pass)
        let (s, r) = try F.evaluate(check: "tls.forbidden-suites", params: "{categories: [null, export, rc4, des, 3des, anon]}", facts: weak)
        #expect(s == .fail)
        #expect(r[0].evidence == ["TLS 1.0: TLS_RSA_WITH_3DES_EDE_CBC_SHA (3des)"])
        #expect(try status("tls.forbidden-suites", "{names: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]}", weak) == .fail)
        #expect(try status("tls.forbidden-suites", "{categories: [cbc]}", weak) == .fail)
        #expect(try status("tls.forbidden-suites", "{categories: [null]}", tlsFacts { $0.cipherSuites = .unavailable("x") }) == .incomplete)
        #expect(try status("tls.allowed-suites", "{names: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]}", F.facts()) == .pass)
        #expect(try status("tls.allowed-suites", "{names: [TLS_AES_128_GCM_SHA256]}", F.facts()) == .fail)
    }

    @Test func suiteCategories() {
        let c = SuiteCategory.categories
        #expect(c("TLS_RSA_WITH_NULL_SHA") == [.null, .staticRSA, .noForwardSecrecy])
        #expect(c("TLS_RSA_EXPORT_WITH_RC4_40_MD5").isSuperset(of: [.export, .rc4, .md5, .staticRSA]))
        #expect(c("TLS_DH_anon_WITH_AES_128_CBC_SHA") == [.anon, .cbc])
        #expect(c("TLS_RSA_WITH_DES_CBC_SHA").contains(.des))
        #expect(!c("TLS_RSA_WITH_3DES_EDE_CBC_SHA").contains(.des))
        #expect(c("TLS_RSA_WITH_3DES_EDE_CBC_SHA").contains(.tripleDES))
        #expect(c("SSL_CK_DES_192_EDE3_CBC_WITH_MD5").contains(.tripleDES))
        #expect(c("TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256").contains(.staticDH))
        #expect(c("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").isEmpty)
        #expect(c("TLS_AES_128_GCM_SHA256").isEmpty)
    }

    @Test func groups() throws {
        #expect(try status("tls.groups", "{allowed: [x25519, prime256v1]}", F.facts()) == .pass)
        #expect(try status("tls.groups", "{allowed: [x25519]}", F.facts()) == .fail)
        #expect(try status("tls.groups", "{allowed: [x25519, secp256r1], minDhBits: 2048}", tlsFacts { $0.dhBits = .value(1024) }) == .fail)
        #expect(try status("tls.groups", "{allowed: [x25519, secp256r1], minDhBits: 2048}", tlsFacts { $0.dhBits = .unavailable("x") }) == .incomplete)
        #expect(try status("tls.groups", "{allowed: [x25519]}", tlsFacts { $0.groups = .unavailable("x") }) == .incomplete)
    }

    @Test func alpn() throws {
        #expect(try status("tls.alpn", "{required: [h2]}", F.facts()) == .pass)
        #expect(try status("tls.alpn", "{required: [h2]}", tlsFacts { $0.alpn = .value(["http/1.1"]) }) == .fail)
        #expect(try status("tls.alpn", "{required: [h2]}", tlsFacts { $0.alpn = .unavailable("x") }) == .incomplete)
    }

    @Test func certificate() throws {
        #expect(try status("cert.trusted", "{}", F.facts()) == .pass)
        #expect(try status("cert.trusted", "{}", certFacts { $0.trusted = false; $0.selfSigned = true }) == .fail)
        #expect(try status("cert.trusted", "{}", tlsFacts { $0.certificate = .unavailable("handshake failed") }) == .incomplete)
        #expect(try status("cert.hostname", "{}", F.facts()) == .pass)
        #expect(try status("cert.hostname", "{}", certFacts { $0.hostnameMatches = false }) == .fail)
        #expect(try status("cert.expiry", "{minDays: 21}", F.facts()) == .pass)
        #expect(try status("cert.expiry", "{minDays: 21}", certFacts { $0.daysLeft = 10 }) == .fail)
        #expect(try status("cert.expiry", "{minDays: 21}", certFacts { $0.expired = true; $0.daysLeft = -3 }) == .fail)
        #expect(try status("cert.expiry", "{minDays: 21}", certFacts { $0.notYetValid = true }) == .fail)
        #expect(try status("cert.expiry", "{minDays: 21}", certFacts { $0.daysLeft = nil }) == .incomplete)
        #expect(try status("cert.lifespan", "{}", certFacts { $0.lifespanDays = 398 }) == .pass)
        #expect(try status("cert.lifespan", "{}", certFacts { $0.lifespanDays = 399 }) == .fail)
        #expect(try status("cert.lifespan", "{maxDays: 366}", certFacts { $0.lifespanDays = 825 }) == .fail)
        #expect(try status("cert.lifespan", "{}", certFacts { $0.lifespanDays = nil }) == .incomplete)
        #expect(try status("cert.key", "{}", F.facts()) == .pass)
        #expect(try status("cert.key", "{}", certFacts { $0.keyType = "RSA"; $0.keyBits = 1024 }) == .fail)
        #expect(try status("cert.key", "{}", certFacts { $0.keyType = "RSA"; $0.keyBits = 2048 }) == .pass)
        #expect(try status("cert.key", "{allowedTypes: [ec]}", certFacts { $0.keyType = "RSA"; $0.keyBits = 4096 }) == .fail)
        #expect(try status("cert.key", "{minEcBits: 384}", F.facts()) == .fail)
        #expect(try status("cert.signature", "{}", F.facts()) == .pass)
        #expect(try status("cert.signature", "{}", certFacts { $0.signatureAlgorithm = "sha1WithRSAEncryption" }) == .fail)
        #expect(try status("cert.signature", "{allowed: [ecdsa-with-SHA384]}", F.facts()) == .fail)
    }

    @Test func hsts() throws {
        #expect(try status("hsts.required", "{minMaxAge: 15552000}", F.facts()) == .pass)
        #expect(try status("hsts.required", "{minMaxAge: 15552000}", tlsFacts { $0.http = .value(HTTPSFacts(status: 200, hsts: nil)) }) == .fail)
        #expect(try status("hsts.required", "{minMaxAge: 15552000}", tlsFacts { $0.http = .value(HTTPSFacts(status: 200, hsts: HSTSFacts(maxAge: 300, includeSubDomains: false, preload: false))) }) == .fail)
        #expect(try status("hsts.required", "{includeSubDomains: true, preload: true}", F.facts()) == .fail)
        #expect(try status("hsts.required", "{}", tlsFacts { $0.http = .value(nil) }) == .notApplicable)
        #expect(try status("hsts.required", "{}", tlsFacts { $0.http = .unavailable("reset") }) == .incomplete)
    }

    @Test func probeFailureIsIncompleteNeverPass() throws {
        var e = F.endpoint()
        e.kind = .unavailable("timed out")
        for check in ["tls.min-version", "cert.trusted", "hsts.required", "tls.required"] {
            let params = check == "tls.min-version" ? "{min: tls1.2}" : "{}"
            #expect(try status(check, params, F.facts(endpoints: [e])) == .incomplete, "\(check)")
        }
    }
}
