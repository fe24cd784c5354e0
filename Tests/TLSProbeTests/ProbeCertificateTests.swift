import Foundation
import Testing
import TestSupport
@testable import TLSProbe

/// Certificate facts against `openssl s_server` serving each certificate of the test PKI.
@Suite("Probe: certificate facts against openssl s_server",
       .enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ProbeCertificateTests {
    /// Certificate checks only: the wire scan has its own tests.
    static func probe(_ leaf: TLSCertificates.Leaf, host: String = "localhost", sni: String? = nil, caFile: String?,
                      extra: [String] = [], v6: Bool = false) async throws -> (ProbeResult, CertificateReport) {
        let server = try await TLSOffPool.run { try TLSTestServer.openssl(leaf, extra: extra, v6: v6) }
        defer { server.stop() }
        let prober = TLSProber(options: ProbeOptions(timeout: 3, deadline: 20, caFile: caFile, wireScan: false))
        let result = await prober.probe(Endpoint(host: host, port: server.port, sni: sni))
        let cert = try #require(result.certificate, "no certificate: \(result.checks) \(server.log)")
        #expect(result.checks[CheckName.certificate] == .completed)
        return (result, cert)
    }

    @Test("good RSA-2048 leaf with intermediate: trusted, named, complete, in order")
    func goodRSA() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (result, c) = try await Self.probe(pki.goodRSA, caFile: pki.rootOnly)
        #expect(result.tls)
        #expect(c.trusted, "\(c.verifyError ?? "")")
        #expect(c.verifyError == nil)
        #expect(!c.expired && !c.notYetValid && !c.selfSigned)
        #expect(c.hostnameMatches)
        #expect(c.keyType == "RSA" && c.keyBits == 2048 && c.curve == nil && !c.weakKey)
        #expect(c.signatureAlgorithm == "sha256WithRSAEncryption" && !c.weakSignature)
        #expect(c.chainOrderCorrect && c.chainComplete)
        #expect((363...365).contains(c.daysLeft))
        #expect(c.lifespanDays == 366, "issued from a day ago for 365 days")
        #expect(c.chain.count == 2)
        #expect(c.chain[0].subject.contains("CN=good-rsa.portcullis.test"))
        #expect(c.chain[0].issuer.contains("Intermediate"))
        #expect(c.chain[1].subject.contains("Intermediate"))
        #expect(c.notAfter.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil)
        #expect(result.httpStatus == 200)
        #expect(result.handshakes == 1)
    }

    @Test("OCSP staple: reported when the server staples, absent otherwise")
    func ocsp() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (stapled, c) = try await Self.probe(pki.goodRSA, caFile: pki.rootOnly, extra: ["-status_file", pki.goodRSAOCSPResponse])
        #expect(stapled.ocspStapling == true)
        #expect(c.ocspStapled)
        let (plain, _) = try await Self.probe(pki.goodRSA, caFile: pki.rootOnly)
        #expect(plain.ocspStapling == false)
    }

    @Test("without the test CA the same chain is not trusted (unknown issuer)")
    func untrustedWithoutCA() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.goodRSA, caFile: nil)
        #expect(!c.trusted)
        #expect(c.verifyError == "unable to get local issuer certificate")
        #expect(c.chainComplete)
    }

    @Test("EC P-256 leaf")
    func ec() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.goodEC, caFile: pki.rootOnly)
        #expect(c.trusted)
        #expect(c.keyType == "EC" && c.keyBits == 256 && c.curve == "prime256v1")
    }

    @Test("expired leaf")
    func expired() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.expired, caFile: pki.rootOnly)
        #expect(c.expired && !c.notYetValid && !c.trusted)
        #expect(c.verifyError == "certificate has expired")
        #expect(c.daysLeft < 0)
    }

    @Test("not yet valid leaf")
    func notYetValid() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.notYetValid, caFile: pki.rootOnly)
        #expect(c.notYetValid && !c.expired && !c.trusted)
        #expect(c.verifyError == "certificate is not yet valid")
    }

    @Test("self-signed leaf")
    func selfSigned() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.selfSigned, caFile: pki.rootOnly)
        #expect(c.selfSigned && !c.trusted)
        #expect(c.verifyError == "self-signed certificate")
        #expect(c.chain.count == 1)
        #expect(c.hostnameMatches)
    }

    @Test("RSA-1024 leaf is reported as a short key (served at SECLEVEL=0)")
    func rsa1024() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.rsa1024, caFile: pki.rootOnly, extra: ["-cipher", "DEFAULT:@SECLEVEL=0"])
        #expect(c.keyType == "RSA" && c.keyBits == 1024 && c.weakKey)
    }

    @Test("SHA-1 signed leaf")
    func sha1() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.sha1Signed, caFile: pki.rootOnly, extra: ["-cipher", "DEFAULT:@SECLEVEL=0"])
        #expect(c.signatureAlgorithm == "sha1WithRSAEncryption")
        #expect(c.weakSignature)
    }

    @Test("wrong name: chain trusted but the name does not match")
    func wrongName() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.wrongName, caFile: pki.rootOnly)
        #expect(c.trusted)
        #expect(!c.hostnameMatches)
    }

    @Test("expiring in 10 days")
    func expiringSoon() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.expiringSoon, caFile: pki.rootOnly)
        #expect(c.trusted && !c.expired)
        #expect((9...10).contains(c.daysLeft), "\(c.daysLeft)")
        #expect(c.lifespanDays == 90)
    }

    @Test("served without its intermediate: incomplete chain when the CA file can complete it")
    func missingIntermediate() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, c) = try await Self.probe(pki.missingIntermediate, caFile: pki.caBundle)
        #expect(!c.trusted)
        #expect(!c.chainComplete)
        #expect(c.verifyError?.hasPrefix("incomplete chain") == true, "\(c.verifyError ?? "")")
        #expect(c.chain.count == 1)
        // The same chain with a complete one served is trusted with the same CA file.
        let (_, full) = try await Self.probe(pki.goodRSA, caFile: pki.caBundle)
        #expect(full.trusted && full.chainComplete)
    }

    @Test("name matching: IPv4 and IPv6 literals against IP SANs, wildcard SNI")
    func names() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let (_, v4) = try await Self.probe(pki.goodRSA, host: "127.0.0.1", caFile: pki.rootOnly)
        #expect(v4.hostnameMatches)
        let (_, v6) = try await Self.probe(pki.goodRSA, host: "::1", caFile: pki.rootOnly, v6: true)
        #expect(v6.hostnameMatches)
        let (_, wildcard) = try await Self.probe(pki.goodRSA, host: "127.0.0.1", sni: "www.portcullis.test", caFile: pki.rootOnly)
        #expect(wildcard.hostnameMatches)
        let (_, deeper) = try await Self.probe(pki.goodRSA, host: "127.0.0.1", sni: "a.b.portcullis.test", caFile: pki.rootOnly)
        #expect(!deeper.hostnameMatches)
        let (_, other) = try await Self.probe(pki.goodRSA, host: "127.0.0.1", sni: "example.org", caFile: pki.rootOnly)
        #expect(!other.hostnameMatches)
    }

    @Test("chain sent out of order")
    func outOfOrder() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        // Intermediate first, then the leaf again after it: the leaf's issuer does not follow it.
        let dir = try TestEnvironment.temporaryDirectory("pc-order")
        defer { try? FileManager.default.removeItem(at: dir) }
        let chain = dir.appendingPathComponent("chain.pem").path
        try (String(contentsOfFile: pki.rootCert, encoding: .utf8) + String(contentsOfFile: pki.intermediateCert, encoding: .utf8))
            .write(toFile: chain, atomically: true, encoding: .utf8)
        let leaf = TLSCertificates.Leaf(name: "x", key: pki.goodRSA.key, cert: pki.goodRSA.cert, fullChain: pki.goodRSA.cert)
        let (_, c) = try await Self.probe(leaf, caFile: pki.rootOnly, extra: ["-cert_chain", chain])
        #expect(c.chain.count == 3)
        #expect(!c.chainOrderCorrect)
    }
}
