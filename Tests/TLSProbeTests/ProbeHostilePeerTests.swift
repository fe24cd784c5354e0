import Foundation
import Testing
import TestSupport
@testable import TLSProbe

/// Unreachable ports and hostile peers: the probe ends by its deadline, reports each failed
/// check as an error with a reason, and never reads a failure as a finding.
@Suite("Probe: unreachable and hostile peers",
       .enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ProbeHostilePeerTests {
    static let options = ProbeOptions(timeout: 1, retries: 0, deadline: 4)

    static func timed(_ endpoint: Endpoint, _ options: ProbeOptions = options) async -> (ProbeResult, Double) {
        let start = Date()
        let r = await TLSProber(options: options).probe(endpoint)
        return (r, Date().timeIntervalSince(start))
    }

    /// Nothing that failed may look like a negative or positive finding.
    static func expectNothingClaimed(_ r: ProbeResult) {
        #expect(!r.tls)
        #expect(r.certificate == nil)
        #expect(r.hsts == nil)
        for key in ProtocolKey.allCases where r.protocolSupported(key) == false {
            #expect(r.checks[CheckName.protocolVersion(key)] == .completed, "\(key) reads as not offered after \(String(describing: r.checks[CheckName.protocolVersion(key)]))")
        }
    }

    @Test("closed port: unreachable, connect check failed, nothing else claimed")
    func closedPort() async throws {
        let port = try FreePort.pick()
        let (r, elapsed) = await Self.timed(Endpoint(host: "127.0.0.1", port: port))
        #expect(!r.reachable)
        guard case .error(let why)? = r.checks[CheckName.connect] else {
            Issue.record("connect check: \(String(describing: r.checks[CheckName.connect]))")
            return
        }
        #expect(why.contains("refused"))
        #expect(!r.complete)
        Self.expectNothingClaimed(r)
        #expect(r.protocols.values.allSatisfy { $0 == nil })
        #expect(elapsed < Self.options.deadline + 8)
        #expect(ProbeTextRenderer.render(r).contains("unreachable"))
    }

    @Test("silent peer: every check times out within the deadline")
    func silent() async throws {
        let peer = try RawTestPeer(.silent)
        defer { peer.stop() }
        let (r, elapsed) = await Self.timed(Endpoint(host: "127.0.0.1", port: peer.port))
        #expect(elapsed < Self.options.deadline + 8, "took \(elapsed) s")
        #expect(r.reachable)
        #expect(!r.complete)
        if case .error(let why)? = r.checks[CheckName.handshake] { #expect(why.contains("timed out")) } else {
            Issue.record("handshake check: \(String(describing: r.checks[CheckName.handshake]))")
        }
        Self.expectNothingClaimed(r)
    }

    @Test("peer trickling a TLS record one byte every 0.4 s is cut off by the deadline")
    func trickle() async throws {
        // A ServerHello record header promising 16 KiB, then a byte at a time.
        let bytes: [UInt8] = [0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00, 0x3F, 0xFC] + Array(repeating: 0x41, count: 60)
        let peer = try RawTestPeer(.trickle(bytes, interval: 0.4))
        defer { peer.stop() }
        let (r, elapsed) = await Self.timed(Endpoint(host: "127.0.0.1", port: peer.port), ProbeOptions(timeout: 2, retries: 0, deadline: 3))
        #expect(elapsed < 3 + 8, "took \(elapsed) s")
        #expect(!r.tls)
        #expect(r.certificate == nil)
        #expect(r.checks[CheckName.handshake]?.isCompleted == false)
    }

    @Test("garbage answer: not TLS, classified as an unknown service")
    func garbage() async throws {
        var rng = SystemRandomNumberGenerator()
        let junk: [UInt8] = [0x7F] + (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) } + [0x0A]
        let peer = try RawTestPeer(.reply(junk))
        defer { peer.stop() }
        let (r, elapsed) = await Self.timed(Endpoint(host: "127.0.0.1", port: peer.port))
        #expect(elapsed < Self.options.deadline + 8)
        #expect(r.reachable && !r.tls)
        #expect(r.plaintextHttp == nil)
        #expect(r.banner?.kind == "unknown")
        Self.expectNothingClaimed(r)
    }

    @Test("reset right after the ClientHello")
    func reset() async throws {
        let peer = try RawTestPeer(.resetAfterRead)
        defer { peer.stop() }
        let (r, elapsed) = await Self.timed(Endpoint(host: "127.0.0.1", port: peer.port))
        #expect(elapsed < Self.options.deadline + 8)
        #expect(r.reachable && !r.tls)
        #expect(r.certificate == nil)
        #expect(r.checks[CheckName.handshake]?.isCompleted != true)
    }

    @Test("TLS alert instead of a handshake: TLS spoken, handshake check failed with the alert")
    func alertOnly() async throws {
        // handshake_failure alert to every hello.
        let peer = try RawTestPeer(.reply([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))
        defer { peer.stop() }
        let (r, _) = await Self.timed(Endpoint(host: "127.0.0.1", port: peer.port))
        #expect(r.reachable)
        #expect(r.certificate == nil)
        guard case .error(let why)? = r.checks[CheckName.handshake] else {
            Issue.record("handshake check: \(String(describing: r.checks[CheckName.handshake]))")
            return
        }
        #expect(why.contains("handshake failure"), "\(why)")
        #expect(r.checks[CheckName.http]?.isCompleted != true)
    }
}
