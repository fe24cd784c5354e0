import Foundation
import Policy
import Reports
import TestSupport

/// A report that exercises every branch of the renderers: a failing legacy TLS endpoint, a waived
/// failure, an expired waiver, a check that could not run, cleartext HTTP, odd characters.
enum SampleReport {
    static let now = ISO8601DateFormatter().date(from: "2026-06-15T12:00:00Z")!

    static func make(outcomeAllPass: Bool = false) throws -> AuditReport {
        let cert = CertificateFacts(subject: "CN=good.test", trusted: true, expired: false, notYetValid: false, notAfter: "2027-01-01",
                                    daysLeft: 200, lifespanDays: 90, selfSigned: false, hostnameMatches: true, keyType: "EC", keyBits: 256,
                                    signatureAlgorithm: "ecdsa-with-SHA256")
        let good = TLSFacts(protocols: .value([.ssl2: false, .ssl3: false, .tls10: false, .tls11: false, .tls12: true, .tls13: true]),
                            cipherSuites: .value([.tls13: ["TLS_AES_128_GCM_SHA256"]]), groups: .value(["x25519"]), dhBits: .value(nil),
                            certificate: .value(cert), alpn: .value(["h2"]),
                            http: .value(HTTPSFacts(status: 200, hsts: HSTSFacts(maxAge: 63_072_000, includeSubDomains: true, preload: false))))
        var legacy = good
        legacy.protocols = .value([.ssl2: false, .ssl3: false, .tls10: true, .tls11: true, .tls12: true, .tls13: false])
        legacy.cipherSuites = .value([.tls10: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"], .tls12: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]])
        var expiring = cert
        expiring.daysLeft = 9
        expiring.subject = "CN=\"quoted\" & <odd>\\name"
        legacy.certificate = .value(expiring)
        legacy.http = .value(HTTPSFacts(status: 200, hsts: nil))
        let endpoints: [EndpointFacts] = outcomeAllPass
            ? [EndpointFacts(host: "10.0.0.1", port: 443, sni: "good.test", exposed: true, kind: .value(.tls), tls: good)]
            : [
                EndpointFacts(host: "10.0.0.1", port: 443, sni: "good.test", processes: ["nginx"], exposed: true, exposureNote: "accepted from 0.0.0.0/0", kind: .value(.tls), tls: good),
                EndpointFacts(host: "10.0.0.2", port: 8443, processes: ["openssl"], exposed: true, kind: .value(.tls), tls: legacy),
                EndpointFacts(host: "fd00::5", port: 443, exposed: true, kind: .value(.tls), tls: legacy),
                EndpointFacts(host: "10.0.0.1", port: 80, processes: ["nginx"], exposed: true, kind: .value(.httpContent), httpStatus: 200),
                EndpointFacts(host: "10.0.0.1", port: 81, exposed: true, kind: .value(.httpRedirect), httpStatus: 301, httpLocation: "https://good.test/"),
                EndpointFacts(host: "10.0.0.3", port: 4433, exposed: nil, kind: .unavailable("connection timed out after 3 s")),
                EndpointFacts(host: "127.0.0.1", port: 22, processes: ["sshd"], exposed: false, kind: .value(.other), banner: "ssh"),
            ]
        let listeners: [ListenerFacts] = [
            ListenerFacts(transport: .tcp, address: "0.0.0.0", port: 443, family: .ipv4, binding: .wildcard,
                          processes: [ProcessFacts(pid: 10, name: "nginx", unit: "nginx.service")],
                          exposure: .value([.ipv4: FamilyFirewallFacts(verdict: .accept, acceptedFrom: ["0.0.0.0/0"], trace: ["inet filter input handle 4: tcp dport 443 accept"]),
                                            .ipv6: FamilyFirewallFacts(verdict: .notExposed, reason: "IPv4 socket: receives no IPv6")])),
            ListenerFacts(transport: .tcp, address: "127.0.0.1", port: 22, family: .ipv4, binding: .loopback, processes: [], exposure: .unavailable("no firewall")),
        ]
        let facts = AuditFacts(hostname: "host-\"1\"", netns: "pcns", firewall: .value([PortFirewallFacts(port: 443, families: [
            .ipv4: FamilyFirewallFacts(verdict: .accept, acceptedFrom: ["0.0.0.0/0"], reason: "rule accepts", trace: ["inet filter input handle 4: tcp dport 443 accept"]),
            .ipv6: FamilyFirewallFacts(verdict: .drop, reason: "policy drop", trace: ["inet filter input policy drop"]),
        ])]), listeners: .value(listeners), endpoints: endpoints)
        let policyText = """
        policy: {name: sample, extends: [default], source: "https://example.org/std"}
        rules:
          - {id: loopback-ssh, title: "SSH only on loopback", severity: low, check: listener.loopback-only, scope: {ports: [22]}, remediation: "ListenAddress 127.0.0.1"}
        waivers:
          - {rule: tls-min-version, scope: {addresses: [10.0.0.2]}, reason: "old POS terminals until Q3", expires: 2026-09-30}
          - {rule: hsts, reason: "expired exception", expires: 2026-01-31}
        """
        let policy = try PolicyLoader().load(text: policyText, file: "/etc/portcullis/sample.yaml")
        let evaluation = PolicyEngine(policy: policy).evaluate(facts, now: now)
        return AuditReport(toolVersion: "0.1.0", startedAt: now, finishedAt: now.addingTimeInterval(0.42), facts: facts, policy: policy,
                           evaluation: evaluation, failOn: .high, warnings: ["iptables-legacy rules present: invisible to nf_tables"])
    }

    /// Validates `json` against a JSON Schema file with python3-jsonschema; returns the errors.
    static func schemaErrors(json: String, schema: URL) throws -> String {
        let dir = try TestEnvironment.temporaryDirectory("pc-schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let doc = dir.appendingPathComponent("doc.json")
        try json.write(to: doc, atomically: true, encoding: .utf8)
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
        cls = jsonschema.validators.validator_for(schema)
        errs = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
        for e in errs: print("/".join(map(str, e.path)), ":", e.message[:300])
        sys.exit(1 if errs else 0)
        """
        let r = try Subprocess.run(["python3", "-c", script, schema.path, doc.path], timeout: 60)
        if r.status != 0 && r.stdout.isEmpty { return "python3 failed: \(r.stderr)" }
        return r.stdout
    }

    /// The official SARIF schema, kept beside the clone in CI (`../shared/schemas`).
    static var sarifSchema: URL? {
        let root = TestEnvironment.packageRoot
        for rel in ["../shared/schemas", "../../shared/schemas"] {
            let u = root.appendingPathComponent(rel).appendingPathComponent("sarif-schema-2.1.0.json").standardizedFileURL
            if FileManager.default.fileExists(atPath: u.path) { return u }
        }
        return nil
    }
}
