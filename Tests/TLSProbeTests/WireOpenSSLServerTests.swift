import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

/// The wire scanner against real `openssl s_server` configurations on loopback: every fact the
/// scanner reports must equal the server's configuration.
@Suite("Wire scanner vs openssl s_server")
struct WireOpenSSLServerTests {
    /// Generous timeouts: the servers answer at once, but a loaded CI machine may stall them.
    static let options = ScanOptions(timeout: 10, retries: 1, maxConcurrentConnections: 8, scanDeadline: 90)

    func scan(_ server: WireOpenSSLServer) async -> WireScanResult {
        await WireScanner(options: Self.options).scan(Endpoint(host: server.host, port: server.port))
    }

    func names(_ openssl: [String]) -> [String] {
        openssl.map { CipherSuiteRegistry.suite(named: $0)?.ianaName ?? "?\($0)" }
    }

    func expectAllChecksCompleted(_ r: WireScanResult) {
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
    }

    @Test func tls13OnlyWithServerOrder() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-tls1_3", "-serverpref",
                                                       "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384"])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls13])
        #expect(r[.tls13].cipherSuiteNames == ["TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384"])
        #expect(r[.tls13].serverOrder == true)
        #expect(r.secureRenegotiation == nil)
        #expect(r.compression == nil)
        #expect(r.fallbackSCSV == nil)
        #expect(r.dhBits == nil)
        #expect(r.speaksTLS)
        #expect(r.groups.tls12Extra.isEmpty)
        #expect(Set(r.groups.tls13.map(\.name)) == ["x25519", "secp256r1", "x448", "secp521r1", "secp384r1",
                                                    "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"])
        // ssl2, ssl3, tls1.0, tls1.1, tls1.2: one hello each (refused; no chunks once TLS hellos
        // of full length were read); TLS 1.3 suites: 2 picks + refusal + order check; groups: 10
        // picks + refusal, the first answer shared with the suite scan; no TLS ≤ 1.2 curve scan
        // (TLS 1.2 refused for its version); no fallback check (one version).
        #expect(r.handshakes == 5 + 4 + 10)
    }

    @Test func tls12ServerOrderedSuites() async throws {
        let order = ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305", "AES128-SHA", "ECDHE-RSA-AES128-GCM-SHA256",
                     "DHE-RSA-AES128-GCM-SHA256"]
        let server = try await WireOpenSSLServer.start(arguments: ["-tls1_2", "-serverpref", "-cipher", order.joined(separator: ":")])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls12])
        #expect(r[.tls12].cipherSuiteNames == names(order))
        #expect(r[.tls12].serverOrder == true)
        #expect(r.secureRenegotiation == true)
        #expect(r.compression == false)
        #expect(r.fallbackSCSV == nil)
        #expect(r.dhBits == 2048)
        #expect(r.groups.tls13.isEmpty)
        // With -serverpref OpenSSL picks curves in its own default order.
        #expect(r.groups.tls12Extra.map(\.name) == ["x25519", "secp256r1", "x448", "secp521r1", "secp384r1"])
        // ssl2, ssl3, tls1.0, tls1.1: one hello each, refused; tls1.3: one, refused with
        // protocol_version, so not asked again with a key share; tls1.2: 5 picks + refusal + order
        // check; curves: the first from tls1.2's first answer, 4 more picks + refusal; no fallback
        // check (one version).
        #expect(r.handshakes == 4 + 1 + 7 + 5, "\(r.handshakes)")
    }

    @Test func tls12ClientOrder() async throws {
        let suites = ["AES128-SHA", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256"]
        let server = try await WireOpenSSLServer.start(arguments: ["-tls1_2", "-cipher", suites.joined(separator: ":")])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(Set(r[.tls12].cipherSuiteNames) == Set(names(suites)))
        #expect(r[.tls12].serverOrder == false)
    }

    @Test func legacyTLS10And11AtSecurityLevel0() async throws {
        // Debian's OpenSSL 3.0 has no 3DES/RC4 any more (`openssl ciphers -v 'ALL:@SECLEVEL=0'`):
        // CBC and static-RSA suites are what it can still serve for TLS 1.0/1.1.
        let suites = ["AES128-SHA", "AES256-SHA", "CAMELLIA128-SHA", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES256-SHA"]
        let server = try await WireOpenSSLServer.start(arguments: ["-min_protocol", "TLSv1", "-max_protocol", "TLSv1.1", "-serverpref",
                                                       "-cipher", suites.joined(separator: ":") + "@SECLEVEL=0"])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls10, .tls11])
        #expect(r[.tls10].cipherSuiteNames == names(suites))
        #expect(r[.tls11].cipherSuiteNames == names(suites))
        #expect(r[.tls10].serverOrder == true)
        #expect(r[.tls10].cipherSuites.allSatisfy { $0.isCBC })
        #expect(r[.tls10].cipherSuites.filter(\.isStaticRSA).count == 3)
        #expect(r.fallbackSCSV == true)
        #expect(r.secureRenegotiation == true)
        #expect(r.groups.tls12Extra.contains { $0.name == "x25519" })
    }

    @Test func dhe1024() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-tls1_2", "-dhparam", "{dir}/dh1024.pem",
                                                       "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA@SECLEVEL=0"],
                                           extraFiles: ["dh1024.pem": Self.dh1024])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.dhBits == 1024)
        #expect(Set(r[.tls12].cipherSuiteNames) == ["TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"])
        #expect(r.groups.tls12Extra.isEmpty)
    }

    @Test func restrictedGroups() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-groups", "secp384r1:x25519", "-serverpref"])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls12, .tls13])
        #expect(r.groups.tls13.map(\.name) == ["secp384r1", "x25519"])
        // TLS 1.2 offers no curve beyond the two TLS 1.3 showed (they are not asked again).
        #expect(r.groups.tls12Extra.isEmpty)
        #expect(r.groups.all.map(\.name) == ["secp384r1", "x25519"])
        #expect(r.fallbackSCSV == true)
    }

    /// brainpoolP256r1 (TLS ≤ 1.2 only): TLS 1.3 shows x25519, the TLS 1.2 elimination over the
    /// other curves must still find brainpool, so the union is exact.
    @Test func curveOnlyBelowTLS13() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-groups", "x25519:brainpoolP256r1", "-serverpref"])
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls12, .tls13])
        #expect(r.groups.tls13.map(\.name) == ["x25519"])
        #expect(r.groups.tls12Extra.map(\.name) == ["brainpoolP256r1"])
        #expect(Set(r.groups.all.map(\.name)) == ["x25519", "brainpoolP256r1"])
    }

    @Test func ecdsaCertificateOverIPv6() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-no_tls1_3", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"],
                                           keyType: "ec", host: "::1")
        defer { server.stop() }
        let r = await scan(server)
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls12])
        #expect(r[.tls12].cipherSuiteNames == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"])
    }

    @Test func sniIsSentAndAFatalNameMismatchIsARefusal() async throws {
        let server = try await WireOpenSSLServer.start(arguments: ["-cert2", "{dir}/cert.pem", "-key2", "{dir}/key.pem",
                                                       "-servername", "good.test", "-servername_fatal"])
        defer { server.stop() }
        let scanner = WireScanner(options: Self.options)
        let good = await scanner.scan(Endpoint(host: server.host, port: server.port, sni: "good.test"))
        #expect(good.supportedVersions == [.tls12, .tls13])
        let bad = await scanner.scan(Endpoint(host: server.host, port: server.port, sni: "bad.test"))
        #expect(bad.supportedVersions.isEmpty)
        #expect(bad.speaksTLS)
        #expect(bad[.tls13].status == .completed)
    }

    @Test func nginxMozillaIntermediate() async throws {
        // Mozilla "intermediate": TLS 1.2 + 1.3, these suites, client order, these curves, and the
        // ffdhe2048 group as ssl_dhparam (without it nginx offers no DHE at all).
        let ffdhe2048 = try await WireOffPool.run { try Subprocess.check(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048"]).stdout }
        let suites = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                      "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
                      "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"]
        let folder = try TestEnvironment.temporaryDirectory("pc-wire-dh")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dhparam = folder.appendingPathComponent("ffdhe2048.pem").path
        try ffdhe2048.write(toFile: dhparam, atomically: true, encoding: .utf8)
        let server = try await WireOffPool.run { () throws -> TLSTestServer in
            try TLSTestServer.nginx(serverBody: TLSTestServer.nginxTLS(TLSCertificates.shared().goodRSA, """
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_ciphers \(suites.joined(separator: ":"));
                ssl_prefer_server_ciphers off;
                ssl_ecdh_curve X25519:prime256v1:secp384r1;
                ssl_dhparam \(dhparam);
                location / { return 200 "ok\\n"; }
            """), tls: true)
        }
        defer { server.stop() }
        let r = await WireScanner(options: Self.options).scan(Endpoint(host: "127.0.0.1", port: server.port, sni: "localhost"))
        expectAllChecksCompleted(r)
        #expect(r.supportedVersions == [.tls12, .tls13])
        // The certificate is RSA: the ECDSA suites cannot be chosen.
        #expect(Set(r[.tls12].cipherSuiteNames) == Set(names(suites.filter { !$0.contains("ECDSA") })))
        #expect(r[.tls12].serverOrder == false)
        #expect(Set(r[.tls13].cipherSuiteNames) == ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"])
        #expect(Set(r.groups.tls13.map(\.name)) == ["x25519", "secp256r1", "secp384r1"])
        #expect(r.groups.tls12Extra.isEmpty)
        #expect(r.dhBits == 2048)
        #expect(r.fallbackSCSV == true && r.secureRenegotiation == true && r.compression == false)
    }

    static let dh1024 = """
    -----BEGIN DH PARAMETERS-----
    MIGHAoGBAJEtDC8jaqubh6pblUnV98NG7+VywZHYm7Ys4iDGKrmUyigZl86KszUX
    TMWSZsv8Jya/OBUkb9k487KbsiJfPAXru/6ZiTaOQhIJRt0WDonmM1oLtHGqSB3p
    0ael61cMr2CHaFVDObuxDTLHytK1j5c7SzGC1G8bsGZvlL9YE2t3AgEC
    -----END DH PARAMETERS-----

    """
}
