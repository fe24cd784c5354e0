import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

/// Chunked hellos, retries, concurrency bounds, pacing and unreachable endpoints.
@Suite("Wire scanner scheduling")
struct WireSchedulingTests {
    @Test func serverThatChokesOnLongSuiteListsIsEnumeratedInChunks() async throws {
        // Server order puts suites from different chunks first: the union must be re-ordered.
        let suites: [UInt16] = [0xC030, 0x002F, 0x000A, 0xC02F]
        let peer = try LegacySSLPeer(.init(suites: [0x0303: suites], chokeAboveSuites: 128))
        defer { peer.stop() }
        let r = await WireScanner(options: ScanOptions(timeout: 10, retries: 1)).scan(Endpoint(host: peer.host, port: peer.port))
        #expect(r[.tls12].status == .completed)
        #expect(r[.tls12].cipherSuites.map(\.tlsCode) == suites)
        #expect(r[.tls12].serverOrder == true)
        #expect(r.supportedVersions == [.tls12])
    }

    /// Modern OpenSSL answers an SSLv3 hello with handshake_failure, not protocol_version. Once a
    /// full-length TLS hello has been read, that refusal is not about the list's length: no
    /// chunked retry, so such a server costs no more connections than one that says
    /// protocol_version.
    @Test func refusalsOfOldVersionsAreNotRetriedInChunksWhenLongHellosAreRead() async throws {
        var handshakes: [UInt8: Int] = [:]
        for alert: UInt8 in [70, 40] {
            let peer = try LegacySSLPeer(.init(suites: [0x0303: [0xC02F, 0x009C]], lowVersionAlert: alert))
            defer { peer.stop() }
            let r = await WireScanner(options: ScanOptions(timeout: 10, retries: 1)).scan(Endpoint(host: peer.host, port: peer.port))
            #expect(r.supportedVersions == [.tls12], "alert \(alert)")
            for v in [ProtocolVersion.ssl3, .tls10, .tls11] { #expect(r[v].status == .completed && !r[v].supported, "alert \(alert) \(v)") }
            #expect(r[.tls12].cipherSuites.map(\.tlsCode) == [0xC02F, 0x009C])
            #expect(r.handshakes == peer.connections)
            handshakes[alert] = r.handshakes
        }
        #expect(handshakes[40] == handshakes[70], "\(handshakes)")
    }

    /// The group scan reuses the answer to the suite scan's first TLS 1.3 hello
    /// (`ScanSession.firstTLS13Answer`): that is only right while the two hellos are the same.
    @Test func groupScanFirstHelloIsTheSuiteScanFirstHello() {
        var suiteHello = ScanSession.tls13SuiteScanHello(CipherSuiteRegistry.candidates(for: .tls13).map(\.tlsCode), serverName: "a.test")
        let groupHello = ScanSession.tls13GroupScanHello(NamedGroupRegistry.tls13Candidates.map(\.code), serverName: "a.test")
        suiteHello.random = groupHello.random
        suiteHello.sessionID = groupHello.sessionID
        #expect(suiteHello.recordBytes() == groupHello.recordBytes())
    }

    /// Server order checked with the second and third suites when the first costs the server a
    /// signature (ECDHE) and those two do not (static RSA): still the right answer.
    @Test func serverOrderCheckedWithSuitesThatNeedNoSignature() async throws {
        let suites: [UInt16] = [0xC013, 0x002F, 0x0035]
        let peer = try LegacySSLPeer(.init(suites: [0x0301: suites]))
        defer { peer.stop() }
        let r = await WireScanner(options: ScanOptions(timeout: 10, retries: 1)).scan(Endpoint(host: peer.host, port: peer.port))
        #expect(r[.tls10].status == .completed)
        #expect(r[.tls10].cipherSuites.map(\.tlsCode) == suites)
        #expect(r[.tls10].serverOrder == true)
        #expect(r.handshakes == peer.connections)
    }

    /// A TLS ≤ 1.2 server: the curve scan's first curve comes from the TLS 1.2 protocol scan's
    /// ECDHE answer to the same curve list, and the rest from its own hellos.
    @Test func curvesOfATLS12ServerStartFromTheProtocolScansAnswer() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0303: [0xC02F, 0x009C]], groups: [0x0018, 0x0017]))
        defer { peer.stop() }
        let r = await WireScanner(options: ScanOptions(timeout: 10, retries: 1)).scan(Endpoint(host: peer.host, port: peer.port))
        #expect(r.groups.tls12Status == .completed)
        #expect(r.groups.tls12Extra.map(\.code) == [0x0018, 0x0017])
        #expect(r.handshakes == peer.connections)
        // ssl2, ssl3, tls1.0, tls1.1: one each; tls1.3: the hello with an empty key share and,
        // refused, one with a key share (the group scan shares the first); tls1.2: 2 picks +
        // refusal + order check; curves: the second pick + refusal (the first is tls1.2's).
        #expect(r.handshakes == 4 + 2 + 4 + 2, "\(r.handshakes)")
    }

    @Test func timeoutsAreRetried() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F, 0x0035]], silentFirstConnections: 3))
        defer { peer.stop() }
        let r = await WireScanner(options: ScanOptions(timeout: 1.5, retries: 2)).scan(Endpoint(host: peer.host, port: peer.port))
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
        #expect(r[.tls10].cipherSuiteNames == ["TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"])
        #expect(r.handshakes == peer.connections)
    }

    @Test func withoutRetriesATimeoutIsAnErrorNotANegative() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F]], silentFirstConnections: 100))
        defer { peer.stop() }
        let r = await WireScanner(options: ScanOptions(timeout: 0.5, retries: 0)).scan(Endpoint(host: peer.host, port: peer.port))
        for p in r.protocols {
            guard case .error(let reason) = p.status else { Issue.record("\(p.version) \(p.status)"); continue }
            #expect(reason.contains("timed out"))
        }
    }

    @Test func concurrencyIsBoundedAndPaced() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F, 0x0035, 0x000A], 0x0303: [0xC02F, 0x009C]]))
        defer { peer.stop() }
        let started = Date()
        let options = ScanOptions(timeout: 10, retries: 1, delay: 0.02, maxConcurrentConnections: 1)
        let r = await WireScanner(options: options).scan(Endpoint(host: peer.host, port: peer.port))
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.supportedVersions == [.tls10, .tls12])
        // Counted on our side: the peer closes its end only after ours, so it may see overlaps.
        #expect(r.peakConcurrentConnections == 1)
        #expect(r.handshakes == peer.connections)
        #expect(elapsed >= Double(r.handshakes - 1) * 0.02)
    }

    @Test func closedPortGivesErrorsWithoutConnections() async throws {
        let port = try WirePorts.free()
        let r = await WireScanner(options: ScanOptions(timeout: 1, retries: 2)).scan(Endpoint(host: "127.0.0.1", port: port))
        #expect(r.handshakes == 0 && !r.speaksTLS && r.supportedVersions.isEmpty)
        for p in r.protocols { #expect(p.status == .error("connection refused by 127.0.0.1:\(port)")) }
        #expect(r.groups.tls13Status != .completed)
    }

    @Test func scanDeadlineEndsEverything() async throws {
        let peer = try HostilePeer(.silence)
        defer { peer.stop() }
        let started = Date()
        let r = await WireScanner(options: ScanOptions(timeout: 5, retries: 5, scanDeadline: 1)).scan(Endpoint(host: peer.host, port: peer.port))
        // Without the deadline this would take 6 attempts × 5 s per job; the bound leaves room for
        // a loaded 2-core machine running other tests.
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(r.protocols.allSatisfy { !$0.status.isCompleted })
    }
}
