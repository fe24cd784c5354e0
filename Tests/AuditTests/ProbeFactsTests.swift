import Testing
import Foundation
import TLSProbe
import Policy
@testable import Audit

/// The translation from probe results to policy facts: an errored check must become
/// `.unavailable`, never a value a rule could pass on.
struct ProbeFactsTests {
    let context = ProbeFactsBuilder.Context(addresses: ["127.0.0.1"], interfaces: [], processes: ["nginx"], exposed: true,
                                           exposureNote: "ipv4: accept", nameKnown: true)

    func tlsResult() -> ProbeResult {
        var r = ProbeResult(target: .init(host: "127.0.0.1", port: 443, sni: "localhost"))
        r.reachable = true
        r.tls = true
        r.checks = [CheckName.connect: .completed, CheckName.handshake: .completed, CheckName.certificate: .completed,
                    CheckName.http: .completed, "groups.tls1.2": .completed, "groups.tls1.3": .completed, "dhBits": .completed]
        for k in ProtocolKey.allCases {
            r.protocols[k.rawValue] = k >= .tls12
            r.checks[CheckName.protocolVersion(k)] = .completed
        }
        r.cipherSuites = ["tls1.2": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"], "tls1.3": ["TLS_AES_128_GCM_SHA256"]]
        r.groups = ["x25519"]
        r.certificate = try! JSONDecoder().decode(CertificateReport.self, from: Data("""
        {"trusted": true, "expired": false, "notYetValid": false, "notBefore": "2026-01-01T00:00:00Z",
         "notAfter": "2027-01-01T00:00:00Z", "daysLeft": 100, "selfSigned": false, "hostnameMatches": true,
         "keyType": "EC", "keyBits": 256, "curve": "prime256v1", "signatureAlgorithm": "ecdsa-with-SHA256",
         "weakSignature": false, "chainOrderCorrect": true, "chainComplete": true, "ocspStapled": false, "chain": []}
        """.utf8))
        r.httpStatus = 200
        r.hsts = HSTSPolicy(maxAge: 31_536_000, includeSubDomains: false, preload: false)
        r.alpn = "h2"
        return r
    }

    @Test func completeTLSResult() throws {
        let e = ProbeFactsBuilder.facts(tlsResult(), context: context)
        #expect(e.kind == .value(.tls))
        let t = try #require(e.tls)
        #expect(t.protocols.value?[.tls10] == false && t.protocols.value?[.tls13] == true)
        #expect(t.cipherSuites.value?[.tls13] == ["TLS_AES_128_GCM_SHA256"])
        #expect(t.groups.value == ["x25519"])
        #expect(t.certificate.value?.hostnameMatches == true)
        #expect(t.alpn.value == ["h2"])
        #expect(t.http.value??.hsts?.maxAge == 31_536_000)
    }

    @Test func erroredChecksBecomeUnavailable() throws {
        var r = tlsResult()
        r.checks[CheckName.protocolVersion(.tls10)] = .error("timed out")
        r.protocols["tls1.0"] = nil
        r.checks["groups.tls1.3"] = .error("reset")
        r.checks[CheckName.http] = .error("timed out reading the response")
        r.certificate = nil
        r.checks[CheckName.certificate] = .error("no certificate")
        let t = try #require(ProbeFactsBuilder.facts(r, context: context).tls)
        #expect(t.protocols.value?[.tls10] == nil)     // untested, so tls.min-version is incomplete
        #expect(t.cipherSuites.value == nil)
        #expect(t.groups.failureReason?.contains("reset") == true)
        #expect(t.http.failureReason?.contains("timed out") == true)
        #expect(t.certificate.failureReason == "no certificate")
    }

    @Test func nonHTTPOverTLSIsNotApplicableForHSTS() throws {
        var r = tlsResult()
        r.httpStatus = nil
        r.checks[CheckName.http] = .error("no HTTP response")
        #expect(try #require(ProbeFactsBuilder.facts(r, context: context).tls).http == .value(nil))
    }

    @Test func unknownServerNameLeavesHostnameUnjudged() throws {
        var c = context
        c.nameKnown = false
        #expect(try #require(ProbeFactsBuilder.facts(tlsResult(), context: c).tls).certificate.value?.hostnameMatches == nil)
    }

    @Test func cleartextAndUnreachable() {
        var r = ProbeResult(target: .init(host: "127.0.0.1", port: 80, sni: "localhost"))
        r.reachable = true
        r.plaintextHttp = .redirect
        r.httpStatus = 301
        let e = ProbeFactsBuilder.facts(r, context: context)
        #expect(e.kind == .value(.httpRedirect) && e.sni == nil && e.httpStatus == 301)
        var dead = ProbeResult(target: .init(host: "127.0.0.1", port: 9, sni: nil))
        dead.checks[CheckName.connect] = .error("connection refused by 127.0.0.1:9")
        #expect(ProbeFactsBuilder.facts(dead, context: context).kind == .unavailable("connection refused by 127.0.0.1:9"))
        var banner = ProbeResult(target: .init(host: "127.0.0.1", port: 22, sni: nil))
        banner.reachable = true
        banner.banner = .init(kind: "ssh", text: "SSH-2.0-x")
        #expect(ProbeFactsBuilder.facts(banner, context: context).banner == "ssh")
    }
}

/// Report files replace the old file in one step and leave nothing behind on failure.
struct AtomicFileWriterTests {
    @Test func replacesAtomicallyAndFailsCleanly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pc-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.prom").path
        try AtomicFileWriter.write("old\n", to: path)
        try AtomicFileWriter.write("new\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["r.prom"])
        #expect(throws: AtomicFileWriter.Failure.self) { try AtomicFileWriter.write("x", to: dir.appendingPathComponent("no/such/r.json").path) }
    }
}
