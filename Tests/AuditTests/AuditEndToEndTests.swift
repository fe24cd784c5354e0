import Testing
import Foundation
import TestSupport

/// The whole audit, end to end, in a network namespace the test creates: a real nftables ruleset,
/// one nginx (good TLS on 443, http→https redirect on 80, cleartext content on 8080, a
/// loopback-only content service on 127.0.0.1:8081), a legacy `openssl s_server` (TLS 1.0/1.1,
/// CBC + static RSA) on 8443, and an SSH-like banner on 2222. The audit runs as the real binary
/// (`portcullis audit --netns`), and its findings, reports and exit status are asserted.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"), .serialized)
struct AuditEndToEndTests {
    static let ruleset = """
    table inet filter {
      chain input {
        type filter hook input priority 0; policy drop;
        ct state established,related accept
        iif "lo" accept
        tcp dport { 80, 443, 2222, 8080, 8443 } accept
      }
    }
    """

    /// The lab: a namespace pair with the ruleset and servers running in the server namespace.
    struct Lab: Sendable {
        let pair: NamespacePair
        let servers: AuditNamespaceServers
        let pki: TLSCertificates
        let dir: URL

        func stop() {
            servers.stop()
            pair.destroy()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    static func startLab() throws -> Lab {
        let pki = try TLSCertificates.shared()
        let pair = try NamespacePair(prefix: "pa")
        let servers: AuditNamespaceServers
        do { servers = try AuditNamespaceServers(namespace: pair.server) } catch { pair.destroy(); throw error }
        do {
            try pair.loadNft(ruleset)
            try servers.nginx("""
                server {
                    listen 0.0.0.0:443 ssl;
                    ssl_certificate \(pki.goodEC.fullChain);
                    ssl_certificate_key \(pki.goodEC.key);
                    ssl_protocols TLSv1.2 TLSv1.3;
                    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305;
                    add_header Strict-Transport-Security "max-age=63072000" always;
                    location / { return 200 "secure\\n"; }
                }
                server { listen 0.0.0.0:80; location / { return 301 https://$host$request_uri; } }
                server { listen 0.0.0.0:8080; location / { return 200 "cleartext content\\n"; } }
                server { listen 127.0.0.1:8081; location / { return 200 "internal status\\n"; } }
            """, waitFor: [("127.0.0.1", 443), ("127.0.0.1", 80), ("127.0.0.1", 8080), ("127.0.0.1", 8081)])
            try servers.openssl(cert: pki.goodRSA.cert, key: pki.goodRSA.key, port: 8443, extra: ["-cert_chain", pki.intermediateCert,
                "-no_tls1_3", "-no_tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0",
            ])
            try servers.banner("SSH-2.0-OpenSSH_9.2p1 Debian-2", port: 2222)
            return Lab(pair: pair, servers: servers, pki: pki, dir: try TestEnvironment.temporaryDirectory("pc-audit"))
        } catch {
            servers.stop()
            pair.destroy()
            throw error
        }
    }

    /// Runs `body` with a lab; the blocking setup and teardown happen off the cooperative pool.
    static func withLab(_ body: (NamespacePair, TLSCertificates, URL) async throws -> Void) async throws {
        let lab = try await auditOffPool { try startLab() }
        do {
            try await body(lab.pair, lab.pki, lab.dir)
        } catch {
            try await auditOffPool { lab.stop() }
            throw error
        }
        try await auditOffPool { lab.stop() }
    }

    /// Runs a program off the cooperative pool (the audit takes seconds).
    static func run(_ args: [String], timeout: Double = 120) async throws -> Subprocess.Result {
        try await auditOffPool { try Subprocess.run(args, timeout: timeout) }
    }

    static func audit(_ ns: String, _ pki: TLSCertificates, _ extra: [String]) async throws -> Subprocess.Result {
        try await run([TestEnvironment.portcullisBinary.path, "audit", "--netns", ns, "--ca-file", pki.caBundle, "--sni", "localhost",
                       "--timeout", "2"] + extra)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func failing(_ report: [String: Any]) -> Set<String> {
        Set(((report["findings"] as? [[String: Any]]) ?? []).filter { $0["waivedBy"] is NSNull }.map {
            "\($0["ruleId"]!)@\((($0["subject"] as? [String: Any])?["uri"] as? String) ?? "")"
        })
    }

    @Test func defaultPolicyFindsTheLegacyAndCleartextEndpoints() async throws {
        try await Self.withLab { pair, pki, dir in
            let sarif = dir.appendingPathComponent("audit.sarif").path
            let junit = dir.appendingPathComponent("junit.xml").path
            let prom = dir.appendingPathComponent("portcullis.prom").path
            let r = try await Self.audit(pair.server, pki, ["--format", "json", "--output", "sarif=\(sarif)", "--output", "junit=\(junit)",
                                                      "--output", "prometheus=\(prom)"])
            #expect(r.status == 1, "stderr: \(r.stderr)")
            let report = try Self.json(r.stdout)
            #expect(report["outcome"] as? String == "fail")
            #expect(report["netns"] as? String == pair.server)
            let failing = Self.failing(report)
            #expect(failing.contains("tls-min-version@host://127.0.0.1:8443?sni=localhost"), "\(failing)")
            #expect(failing.contains("no-cleartext-http@host://127.0.0.1:8080"), "\(failing)")
            #expect(failing.contains("hsts@host://127.0.0.1:8443?sni=localhost"), "\(failing)")
            // The good endpoint, the redirect and the loopback-only service pass; so does the firewall.
            #expect(!failing.contains { $0.hasSuffix("127.0.0.1:443?sni=localhost") || $0.hasSuffix("127.0.0.1:80") || $0.hasSuffix(":8081") || $0.hasPrefix("https-port-open") }, "\(failing)")
            let rules = try #require(report["rules"] as? [[String: Any]])
            func status(_ id: String) -> String? { rules.first { $0["id"] as? String == id }?["status"] as? String }
            #expect(status("https-port-open") == "pass")
            #expect(status("cert-trusted") == "pass")
            #expect(status("cert-expiry") == "pass")
            #expect(status("cert-key-strength") == "pass")
            // Every TCP listener was probed, with its exposure.
            let endpoints = try #require(report["endpoints"] as? [[String: Any]])
            func endpoint(_ port: Int) -> [String: Any]? { endpoints.first { $0["port"] as? Int == port } }
            #expect(endpoint(443)?["kind"] as? String == "tls")
            #expect(endpoint(443)?["exposed"] as? Bool == true)
            #expect(endpoint(80)?["kind"] as? String == "http-redirect")
            #expect(endpoint(8080)?["kind"] as? String == "http-content")
            #expect(endpoint(8081)?["kind"] as? String == "http-content")
            #expect(endpoint(8081)?["exposed"] as? Bool == false)
            #expect(endpoint(2222)?["kind"] as? String == "other")
            #expect(endpoint(2222)?["banner"] as? String == "ssh")
            let legacy = try #require((endpoint(8443)?["tls"] as? [String: Any])?["protocols"] as? [String: Any])
            #expect(legacy["tls1.0"] as? Bool == true && legacy["tls1.2"] as? Bool == false)
            // The reports written beside it are complete and atomic (no temp files left).
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(Set(files) == ["audit.sarif", "junit.xml", "portcullis.prom"], "\(files)")
            let sarifDoc = try Self.json(try String(contentsOfFile: sarif, encoding: .utf8))
            let results = ((sarifDoc["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
            #expect(results.contains { $0["ruleId"] as? String == "tls-min-version" })
            if let schema = Self.sarifSchema {
                let v = try await Self.run(["python3", "-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))", schema, sarif])
                #expect(v.status == 0, "\(v.stderr)")
            }
            let jsonSchema = TestEnvironment.packageRoot.appendingPathComponent("schemas/audit-report.schema.json").path
            let reportFile = dir.appendingPathComponent("r.json").path
            try r.stdout.write(toFile: reportFile, atomically: true, encoding: .utf8)
            let v = try await Self.run(["python3", "-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))", jsonSchema, reportFile])
            #expect(v.status == 0, "\(v.stderr)")
            try FileManager.default.removeItem(atPath: reportFile)
            let junitText = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(junitText.contains("classname=\"portcullis.tls-min-version\""))
            let promText = try String(contentsOfFile: prom, encoding: .utf8)
            #expect(promText.contains("portcullis_audit_success{policy=\"default\",fail_on=\"high\"} 0"))
            #expect(promText.contains("portcullis_tls_cert_days_left{endpoint=\"127.0.0.1:443\""))
            // stdout was JSON only; the human summary went to stderr.
            #expect(r.stdout.hasPrefix("{"))
            #expect(r.stderr.contains("portcullis audit of"))
        }
    }

    static var sarifSchema: String? {
        let root = TestEnvironment.packageRoot
        for rel in ["../shared/schemas", "../../shared/schemas"] {
            let p = root.appendingPathComponent(rel).appendingPathComponent("sarif-schema-2.1.0.json").standardizedFileURL.path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }

    static func waiverPolicy(cleartextWaiverExpires: String) -> String {
        """
        policy:
          name: lab
          description: default plus the lab's accepted exceptions
          source: internal ticket SEC-1
          extends: [default]
        rules:
          - id: no-static-rsa
            title: No static-RSA key exchange
            severity: medium
            check: tls.forbidden-suites
            params: {categories: [static-rsa]}
            remediation: "nginx: ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256;"
        waivers:
          - rule: tls-min-version
            scope: {ports: [8443]}
            reason: legacy payment terminal, replaced in Q4
            expires: 2099-12-31
          - rule: hsts
            scope: {ports: [8443]}
            reason: not a browser-facing service
            expires: 2099-12-31
          - rule: no-cleartext-http
            scope: {ports: [8080], processes: [nginx]}
            reason: status page for the load balancer
            expires: \(cleartextWaiverExpires)
        """
    }

    @Test func customPolicyWithValidAndExpiredWaivers() async throws {
        try await Self.withLab { pair, pki, dir in
            let valid = dir.appendingPathComponent("valid.yaml").path
            let expired = dir.appendingPathComponent("expired.yaml").path
            try Self.waiverPolicy(cleartextWaiverExpires: "2099-12-31").write(toFile: valid, atomically: true, encoding: .utf8)
            try Self.waiverPolicy(cleartextWaiverExpires: "2020-01-31").write(toFile: expired, atomically: true, encoding: .utf8)

            // Valid waivers: the remaining finding (static RSA, medium) is below --fail-on high.
            let ok = try await Self.audit(pair.server, pki, ["--policy", valid, "--format", "json"])
            #expect(ok.status == 0, "stderr: \(ok.stderr)")
            let okReport = try Self.json(ok.stdout)
            #expect(okReport["outcome"] as? String == "pass")
            let findings = try #require(okReport["findings"] as? [[String: Any]])
            let waived = findings.filter { !($0["waivedBy"] is NSNull) }.map { $0["ruleId"] as! String }
            #expect(Set(waived) == ["tls-min-version", "hsts", "no-cleartext-http"], "\(waived)")
            #expect(Self.failing(okReport) == ["no-static-rsa@host://127.0.0.1:8443?sni=localhost"])
            // …but fail-on medium catches it.
            let strict = try await Self.audit(pair.server, pki, ["--policy", valid, "--fail-on", "medium", "--format", "junit"])
            #expect(strict.status == 1)
            #expect(strict.stdout.contains("<skipped message=\"waived until 2099-12-31"))

            // An expired waiver stops applying and is itself a finding.
            let bad = try await Self.audit(pair.server, pki, ["--policy", expired, "--format", "text", "--color", "never"])
            #expect(bad.status == 1, "stderr: \(bad.stderr)")
            #expect(bad.stdout.contains("no-cleartext-http  127.0.0.1:8080"), "\(bad.stdout)")
            #expect(bad.stdout.contains("portcullis.waiver-expired"))
            #expect(bad.stdout.contains("expired on 2020-01-31"))
            #expect(!bad.stdout.contains("\u{1B}["))
        }
    }

    @Test func aCheckThatCannotRunMakesTheAuditIncomplete() async throws {
        let pair = try await auditOffPool { try NamespacePair(prefix: "pi") }
        defer { pair.destroy() }
        let dir = try TestEnvironment.temporaryDirectory("pc-audit-inc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("p.yaml").path
        try """
        policy: {name: one}
        rules:
          - {id: tls-on-9, title: TLS on 9, severity: high, check: tls.required, remediation: enable TLS}
        """.write(toFile: policy, atomically: true, encoding: .utf8)
        let r = try await Self.run([TestEnvironment.portcullisBinary.path, "audit", "--netns", pair.server, "--policy", policy,
                                    "--no-probe-listeners", "--target", "127.0.0.1:9", "--timeout", "1", "--format", "json"], timeout: 60)
        #expect(r.status == 3, "stderr: \(r.stderr)")
        let report = try Self.json(r.stdout)
        #expect(report["outcome"] as? String == "incomplete")
        let incomplete = try #require(report["incomplete"] as? [[String: Any]])
        #expect(incomplete.first?["ruleId"] as? String == "tls-on-9")
        #expect((incomplete.first?["reason"] as? String)?.contains("refused") == true, "\(incomplete)")
    }
}

/// `--ruleset-file`: the firewall question is answered from an nft script (parsed by the kernel
/// in a private namespace), with the deciding rules as evidence.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct AuditRulesetFileTests {
    @Test func offlineRulesetDecidesThePortRule() async throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-audit-rs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("fw.yaml").path
        try """
        policy: {name: fw, extends: [default]}
        rules:
          - {id: no-cleartext-http, enabled: false}
          - {id: tls-min-version, enabled: false}
          - {id: tls-no-weak-suites, enabled: false}
          - {id: cert-trusted, enabled: false}
          - {id: cert-hostname, enabled: false}
          - {id: cert-expiry, enabled: false}
          - {id: cert-key-strength, enabled: false}
          - {id: cert-signature, enabled: false}
          - {id: hsts, enabled: false}
        """.write(toFile: policy, atomically: true, encoding: .utf8)
        let closed = dir.appendingPathComponent("closed.nft").path
        try """
        table inet filter {
          chain input { type filter hook input priority 0; policy drop; ct state established,related accept; tcp dport 22 accept; }
        }
        """.write(toFile: closed, atomically: true, encoding: .utf8)
        let open = dir.appendingPathComponent("open.nft").path
        try """
        table inet filter {
          chain input { type filter hook input priority 0; policy drop; ct state established,related accept; tcp dport { 22, 443 } accept; }
        }
        """.write(toFile: open, atomically: true, encoding: .utf8)
        func audit(_ file: String) async throws -> Subprocess.Result {
            try await AuditEndToEndTests.run([TestEnvironment.portcullisBinary.path, "audit", "--policy", policy, "--ruleset-file", file,
                                              "--no-probe-listeners", "--format", "json"], timeout: 60)
        }
        let bad = try await audit(closed)
        #expect(bad.status == 1, "\(bad.stderr)")
        let report = try AuditEndToEndTests.json(bad.stdout)
        let finding = try #require((report["findings"] as? [[String: Any]])?.first { $0["ruleId"] as? String == "https-port-open" })
        let evidence = (finding["evidence"] as? [String]) ?? []
        #expect(evidence.contains { $0.contains("ipv4: drop") }, "\(evidence)")
        #expect(evidence.contains { $0.contains("policy drop") }, "\(evidence)")
        #expect((finding["remediation"] as? String)?.contains("nft add rule inet filter input tcp dport 443") == true)
        let good = try await audit(open)
        #expect(good.status == 0, "\(good.stderr)")
        // A report that cannot be written is exit 6, with the path named.
        let unwritable = try await AuditEndToEndTests.run([TestEnvironment.portcullisBinary.path, "audit", "--policy", policy, "--ruleset-file", open,
                                             "--no-probe-listeners", "--output", "json=\(dir.path)/missing/r.json"], timeout: 60)
        #expect(unwritable.status == 6)
        #expect(unwritable.stderr.contains("cannot write \(dir.path)/missing/r.json: no such directory"))
    }
}
