import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

/// Hostile peers must only ever produce error statuses (or plain refusals), within the deadline,
/// never a crash, a hang or a "supported" finding.
@Suite("Wire scanner vs hostile peers")
struct WireHostilePeerTests {
    static let timeout = 1.5
    static let options = ScanOptions(timeout: timeout, retries: 1, maxConcurrentConnections: 8, scanDeadline: 20)

    @Test(arguments: HostilePeer.Behavior.allCases)
    func endsWithinDeadline(_ behavior: HostilePeer.Behavior) async throws {
        let peer = try HostilePeer(behavior)
        defer { peer.stop() }
        let started = Date()
        let r = await WireScanner(options: Self.options).scan(Endpoint(host: peer.host, port: peer.port))
        let elapsed = Date().timeIntervalSince(started)
        // Every job fails on its first connection: at most (retries + 1) timeouts (3 s), plus slack
        // for a loaded machine. A trickle alone would take 79 s and silence forever.
        #expect(elapsed < 15, "took \(elapsed)s")
        #expect(r.supportedVersions.isEmpty)
        #expect(!r.speaksTLS)
        #expect(r.fallbackSCSV == nil)
        #expect(r.groups.all.isEmpty)
        switch behavior {
        case .resetAfterHello:
            // A reset without a byte is how some servers refuse a version: a refusal, not an error.
            for p in r.protocols { #expect(p.status == .completed, "\(p.version): \(p.status)") }
        default:
            for p in r.protocols {
                guard case .error(let reason) = p.status else {
                    Issue.record("\(behavior) \(p.version): expected an error, got \(p.status)")
                    continue
                }
                switch behavior {
                case .garbage: #expect(reason.contains("did not answer with TLS") && reason.contains("HTTP/1.1"), "\(reason)")
                case .banner: #expect(reason.contains("SSH-2.0"), "\(reason)")
                case .oversizedRecord: #expect(reason.contains("record of 65535 bytes exceeds"), "\(reason)")
                case .hugeHandshakeMessage: #expect(reason.contains("exceeds the limit"), "\(reason)")
                case .silence, .trickle: #expect(reason.contains("timed out") || reason.contains("incomplete answer"), "\(reason)")
                default: break
                }
            }
        }
    }
}

@Suite("TCPTransport")
struct WireTransportTests {
    @Test func refusedPortIsTyped() throws {
        let port = try WirePorts.free()
        #expect(throws: TransportError.refused(address: "127.0.0.1:\(port)")) {
            _ = try TCPTransport.connect(host: "127.0.0.1", port: port, connectTimeout: 2)
        }
    }

    @Test func silentPeerTimesOutOnTime() throws {
        let peer = try HostilePeer(.silence)
        defer { peer.stop() }
        let t = try TCPTransport.connect(host: "::1" == peer.host ? "::1" : peer.host, port: peer.port, connectTimeout: 2, operationTimeout: 0.3)
        defer { t.close() }
        try t.send([22, 3, 1, 0, 1, 0])
        let started = Date()
        #expect(throws: TransportError.timeout(operation: "receive")) { _ = try t.receive(deadline: .distant) }
        #expect(Date().timeIntervalSince(started) < 1.5)
    }

    @Test func overallDeadlineBeatsATrickle() throws {
        let peer = try HostilePeer(.trickle)
        defer { peer.stop() }
        let t = try TCPTransport.connect(host: peer.host, port: peer.port, connectTimeout: 2, operationTimeout: 5)
        defer { t.close() }
        try t.send([22, 3, 1, 0, 1, 0])
        let deadline = Deadline(secondsFromNow: 1.5)
        let started = Date()
        var received = 0
        do {
            while true {
                let chunk = try t.receive(maximum: 10, deadline: deadline)
                if chunk.isEmpty { break }
                received += chunk.count
            }
            Issue.record("trickle ended without timeout")
        } catch {
            #expect(error == .timeout(operation: "receive"))
        }
        #expect(received <= 3)
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func reportsResetAndBoundsReads() throws {
        let peer = try HostilePeer(.oversizedRecord)
        defer { peer.stop() }
        let t = try TCPTransport.connect(host: peer.host, port: peer.port, connectTimeout: 2, operationTimeout: 2)
        try t.send([22, 3, 1, 0, 1, 0])
        let chunk = try t.receive(maximum: 100)
        #expect(!chunk.isEmpty && chunk.count <= 100)
        t.close(reset: true)
        #expect(t.fd == -1)
        #expect(throws: TransportError.closed) { _ = try t.receive() }
    }

    @Test func connectsByNameAndOverIPv6() throws {
        for host in ["localhost", "::1", "[::1]"] {
            let l = try WireLoopbackListener(host: host == "localhost" ? "127.0.0.1" : "::1") { fd, _, _ in
                WireLoopbackListener.write(fd, Array("hi".utf8))
            }
            defer { l.stop() }
            let t = try TCPTransport.connect(host: host, port: l.port, connectTimeout: 2)
            defer { t.close() }
            #expect(try t.receive(exactly: 2, deadline: Deadline(secondsFromNow: 2)) == Array("hi".utf8))
        }
    }
}
