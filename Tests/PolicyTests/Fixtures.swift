import Foundation
@testable import Policy

/// Facts for one good TLS endpoint, built field by field so each test can spoil one.
enum Fixtures {
    static let now = ISO8601DateFormatter().date(from: "2026-06-15T12:00:00Z")!

    static func goodCert() -> CertificateFacts {
        CertificateFacts(subject: "CN=good.test", trusted: true, expired: false, notYetValid: false, notAfter: "2027-01-01",
                         daysLeft: 200, lifespanDays: 90, selfSigned: false, hostnameMatches: true, keyType: "EC", keyBits: 256,
                         signatureAlgorithm: "ecdsa-with-SHA256")
    }

    static func goodTLS() -> TLSFacts {
        TLSFacts(protocols: .value([.ssl2: false, .ssl3: false, .tls10: false, .tls11: false, .tls12: true, .tls13: true]),
                 cipherSuites: .value([.tls12: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"], .tls13: ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]]),
                 groups: .value(["x25519", "secp256r1"]), dhBits: .value(nil), certificate: .value(goodCert()),
                 alpn: .value(["h2", "http/1.1"]),
                 http: .value(HTTPSFacts(status: 200, hsts: HSTSFacts(maxAge: 63_072_000, includeSubDomains: true, preload: false))))
    }

    static func endpoint(_ host: String = "10.0.0.1", port: UInt16 = 443, kind: EndpointKind = .tls, exposed: Bool? = true,
                         tls: TLSFacts? = goodTLS(), processes: [String] = ["nginx"]) -> EndpointFacts {
        EndpointFacts(host: host, port: port, sni: "good.test", addresses: [host], processes: processes, exposed: exposed,
                      exposureNote: exposed == true ? "firewall accepts from 0.0.0.0/0" : "", kind: .value(kind),
                      httpStatus: kind == .httpRedirect ? 301 : (kind == .httpContent ? 200 : nil),
                      httpLocation: kind == .httpRedirect ? "https://good.test/" : nil, tls: kind == .tls ? tls : nil)
    }

    static func firewall(_ v4: FirewallVerdict = .accept, _ v6: FirewallVerdict = .accept, port: UInt16 = 443) -> Observed<[PortFirewallFacts]> {
        .value([PortFirewallFacts(port: port, families: [
            .ipv4: FamilyFirewallFacts(verdict: v4, acceptedFrom: v4 == .accept ? ["0.0.0.0/0"] : [], reason: "policy", trace: ["inet filter input policy \(v4.rawValue)"]),
            .ipv6: FamilyFirewallFacts(verdict: v6, acceptedFrom: v6 == .accept ? ["::/0"] : [], reason: "policy"),
        ])])
    }

    static func facts(endpoints: [EndpointFacts] = [endpoint()], firewall: Observed<[PortFirewallFacts]> = firewall(),
                      listeners: Observed<[ListenerFacts]> = .value([])) -> AuditFacts {
        AuditFacts(hostname: "test-host", firewall: firewall, listeners: listeners, endpoints: endpoints)
    }

    /// A policy with exactly one rule.
    static func policy(check: String, params: String = "{}", scope: String = "{}", waivers: String = "") throws -> ResolvedPolicy {
        let text = """
        policy: {name: t}
        rules:
          - id: r
            title: T
            severity: high
            check: \(check)
            scope: \(scope)
            params: \(params)
            remediation: fix it
        \(waivers)
        """
        return try PolicyLoader(builtins: [:]).load(text: text, file: "t.yaml")
    }

    static func evaluate(check: String, params: String = "{}", facts: AuditFacts) throws -> (ResultStatus, [CheckResult]) {
        let e = PolicyEngine(policy: try policy(check: check, params: params)).evaluate(facts, now: now)
        return (e.rules[0].status, e.rules[0].results)
    }
}
