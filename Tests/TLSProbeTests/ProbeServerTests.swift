import Foundation
import Testing
import TestSupport
@testable import TLSProbe

/// Whole probes against real nginx and `openssl s_server` configurations: each fact of the JSON
/// contract is asserted against what the configuration serves.
@Suite("Probe: end to end against nginx and openssl s_server",
       .enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ProbeServerTests {
    static let modernTLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]

    static func probe(_ port: UInt16, host: String = "localhost", sni: String? = nil, caFile: String? = nil) async -> ProbeResult {
        await TLSProber(options: ProbeOptions(timeout: 3, deadline: 30, caFile: caFile)).probe(Endpoint(host: host, port: port, sni: sni))
    }

    static func supported(_ r: ProbeResult) -> [String] {
        ProtocolKey.allCases.filter { r.protocolSupported($0) == true }.map(\.rawValue)
    }

    @Test("nginx TLS 1.3 only, h2 (GET / spoken over HTTP/2 on the ALPN connection), full HSTS")
    func tls13Only() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let logDir = try TestEnvironment.temporaryDirectory("pc-h2log")
        defer { try? FileManager.default.removeItem(at: logDir) }
        let accessLog = logDir.appendingPathComponent("access.log").path
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: TLSTestServer.nginxTLS(pki.goodRSA, """
                ssl_protocols TLSv1.3;
                access_log \(accessLog);
                add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;
                location / { return 200 "ok\\n"; }
        """), tls: true, http2: true) }
        defer { server.stop() }
        let r = await Self.probe(server.port, caFile: pki.rootOnly)
        #expect(r.reachable && r.tls && r.plaintextHttp == nil)
        #expect(Self.supported(r) == ["tls1.3"], "\(r.protocols) \(r.checks)")
        for key in ProtocolKey.allCases { #expect(r.protocolSupported(key) != nil, "\(key) unknown: \(r.checks)") }
        #expect(Set(r.cipherSuites["tls1.3"] ?? []) == Set(Self.modernTLS13))
        #expect(r.negotiated?.protocol == "tls1.3")
        #expect(r.alpn == "h2")
        #expect(r.httpStatus == 200)
        #expect(r.hsts == HSTSPolicy(maxAge: 63_072_000, includeSubDomains: true, preload: true))
        #expect(r.hstsProblem == nil)
        #expect(r.certificate?.trusted == true)
        #expect(r.groups.contains("x25519"))
        #expect(r.checks[CheckName.http] == .completed)
        #expect(r.checks[CheckName.handshake] == .completed)
        #expect(r.complete, "\(r.checks.filter { !$0.value.isCompleted })")
        #expect(r.handshakes >= 2)
        // One request, over HTTP/2: no second connection for HTTP/1.1.
        let log = (try? String(contentsOfFile: accessLog, encoding: .utf8)) ?? ""
        #expect(log.components(separatedBy: "\"GET / HTTP/2.0\"").count == 2, "\(log)")
        #expect(!log.contains("HTTP/1.1"), "\(log)")
    }

    @Test("nginx Mozilla intermediate (TLS 1.2 + 1.3, AEAD ECDHE suites, client order), HSTS max-age only, over IPv4 and IPv6")
    func intermediate() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: TLSTestServer.nginxTLS(pki.goodRSA, """
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;
                ssl_prefer_server_ciphers off;
                add_header Strict-Transport-Security "max-age=63072000" always;
                location / { return 200 "ok\\n"; }
        """), tls: true) }
        defer { server.stop() }
        for host in ["127.0.0.1", "::1"] {
            let r = await Self.probe(server.port, host: host, sni: "localhost", caFile: pki.rootOnly)
            #expect(r.tls, "\(host): \(r.checks)")
            #expect(Self.supported(r) == ["tls1.2", "tls1.3"], "\(host): \(r.protocols)")
            #expect(Set(r.cipherSuites["tls1.2"] ?? []) == [
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            ], "\(host)")
            #expect(r.serverOrder == false)
            #expect(r.alpn == "http/1.1")
            #expect(r.hsts == HSTSPolicy(maxAge: 63_072_000, includeSubDomains: false, preload: false))
            #expect(r.secureRenegotiation == true)
            #expect(r.compression == false)
            #expect(r.fallbackScsv == true)
            #expect(r.certificate?.hostnameMatches == true)
            #expect(r.complete, "\(host): \(r.checks.filter { !$0.value.isCompleted })")
        }
    }

    /// Debian's libssl has no 3DES suites at all (`openssl ciphers ALL:@SECLEVEL=0` lists none),
    /// so no OpenSSL-based server can offer them; CBC and static RSA it can.
    @Test("nginx legacy TLS 1.0/1.1 with CBC and static RSA at SECLEVEL=0, server order, no HSTS")
    func legacy() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: TLSTestServer.nginxTLS(pki.goodRSA, """
                ssl_protocols TLSv1 TLSv1.1;
                ssl_ciphers ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0;
                ssl_prefer_server_ciphers on;
                location / { return 200 "ok\\n"; }
        """), tls: true) }
        defer { server.stop() }
        let r = await Self.probe(server.port, caFile: pki.rootOnly)
        #expect(Self.supported(r) == ["tls1.0", "tls1.1"], "\(r.protocols) \(r.checks)")
        let expected = ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"]
        #expect(r.cipherSuites["tls1.0"] == expected)
        #expect(r.cipherSuites["tls1.1"] == expected)
        #expect(r.serverOrder == true)
        #expect(r.negotiated?.protocol == "tls1.1")
        #expect(r.certificate?.trusted == true)
        #expect(r.httpStatus == 200)
        #expect(r.hsts == nil && r.hstsProblem == nil)
        #expect(r.checks[CheckName.http] == .completed)
        let text = ProbeTextRenderer.render(r)
        #expect(text.contains("! tls1.0"))
        #expect(text.contains("!   TLS_RSA_WITH_AES_256_CBC_SHA"))
        #expect(text.contains("! no HSTS"))
    }

    @Test("malformed HSTS header is reported, not taken as a policy")
    func malformedHSTS() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: TLSTestServer.nginxTLS(pki.goodEC, """
                add_header Strict-Transport-Security "max-age=soon; includeSubDomains" always;
                location / { return 200 "ok\\n"; }
        """), tls: true) }
        defer { server.stop() }
        let r = await TLSProber(options: ProbeOptions(timeout: 3, deadline: 20, caFile: pki.rootOnly, wireScan: false))
            .probe(Endpoint(host: "localhost", port: server.port))
        #expect(r.hsts == nil)
        #expect(r.hstsProblem?.contains("max-age") == true)
        #expect(ProbeTextRenderer.render(r).contains("HSTS header malformed"))
    }

    @Test("openssl s_server DHE with 1024-bit parameters")
    func dhe1024() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.openssl(pki.goodRSA, extra: [
            "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0", "-dhparam", pki.dh1024,
        ]) }
        defer { server.stop() }
        let r = await Self.probe(server.port, caFile: pki.rootOnly)
        #expect(r.tls)
        #expect(r.dhBits == 1024, "\(r.checks)")
        #expect(r.negotiated?.keyExchange == "DH 1024")
        #expect(Set(r.cipherSuites["tls1.2"] ?? []) == ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"])
        #expect(ProbeTextRenderer.render(r).contains("! DHE parameters: 1024 bits"))
    }

    @Test("--delay paces every connection of the probe, wire scan and OpenSSL checks alike")
    func pacing() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run {
            try TLSTestServer.openssl(pki.goodEC, extra: ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-groups", "X25519"])
        }
        defer { server.stop() }
        let delay = 0.08
        let start = Date()
        let r = await TLSProber(options: ProbeOptions(timeout: 3, delay: delay, deadline: 30, caFile: pki.rootOnly))
            .probe(Endpoint(host: "localhost", port: server.port))
        let elapsed = Date().timeIntervalSince(start)
        #expect(r.tls && r.certificate?.trusted == true)
        #expect(r.cipherSuites["tls1.3"] == ["TLS_AES_128_GCM_SHA256"])
        #expect(r.handshakes >= 5)
        #expect(elapsed >= Double(r.handshakes - 1) * delay * 0.95, "\(r.handshakes) connections in \(elapsed) s")
    }

    @Test("cleartext HTTP serving content")
    func cleartextContent() async throws {
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: """
                location / { return 200 "hello\\n"; }
        """, tls: false) }
        defer { server.stop() }
        let r = await Self.probe(server.port, host: "127.0.0.1")
        #expect(r.reachable && !r.tls)
        #expect(r.plaintextHttp == .content)
        #expect(r.httpStatus == 200)
        #expect(r.certificate == nil && r.banner == nil)
        #expect(Self.supported(r).isEmpty)
        #expect(r.checks[CheckName.plaintext] == .completed)
        #expect(r.complete, "\(r.checks.filter { !$0.value.isCompleted })")
    }

    @Test("cleartext HTTP redirecting to https")
    func cleartextRedirect() async throws {
        let server = try await TLSOffPool.run { try TLSTestServer.nginx(serverBody: """
                location / { return 301 https://$host$request_uri; }
        """, tls: false) }
        defer { server.stop() }
        let r = await Self.probe(server.port, host: "::1")
        #expect(!r.tls)
        #expect(r.plaintextHttp == .redirect)
        #expect(r.httpStatus == 301)
        // The helper the audit uses for port 80.
        let direct = await TLSProber(options: ProbeOptions(timeout: 3)).cleartextHTTP(host: "127.0.0.1", port: server.port)
        let outcome = try direct.get()
        #expect(outcome.plaintextHttp == .redirect)
        #expect(outcome.location == "https://127.0.0.1/")
    }

    @Test("SSH banner on a non-TLS port")
    func sshBanner() async throws {
        let peer = try RawTestPeer(.banner("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
        defer { peer.stop() }
        let r = await Self.probe(peer.port, host: "127.0.0.1")
        #expect(r.reachable && !r.tls)
        #expect(r.plaintextHttp == nil)
        #expect(r.banner?.kind == "ssh")
        #expect(r.banner?.text == "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")
        #expect(ProbeTextRenderer.render(r).contains("service: ssh"))
    }

    @Test("SMTP banner on a non-TLS port")
    func smtpBanner() async throws {
        let peer = try RawTestPeer(.banner("220 mx.portcullis.test ESMTP Postfix (Debian/GNU)\r\n"))
        defer { peer.stop() }
        let r = await Self.probe(peer.port, host: "127.0.0.1")
        #expect(!r.tls)
        #expect(r.banner?.kind == "smtp")
    }
}
