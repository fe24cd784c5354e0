import Testing
import Foundation
import NftModel
import FirewallEvaluator
@testable import Listeners

/// The hand-written JSON must be valid JSON with exactly the Codable shapes.
struct ListenerScanJSONTests {
    struct Document: Decodable, Equatable {
        var schemaVersion: Int
        var listeners: [Listener]
        var warnings: [String]
    }

    @Test func roundTripsThroughJSONDecoder() throws {
        let trace = [TraceStep(family: "inet", table: "filter", chain: "in", handle: 7, rule: "tcp dport 443 ip saddr \"x\" accept", verdict: "accept"),
                     TraceStep(family: "inet", table: "filter", chain: "in", handle: nil, rule: "policy drop", verdict: "drop")]
        let exposure = ListenerExposure(
            ipv4: FamilyExposure(verdict: .conditional, acceptedFrom: ["10.0.0.0/8", "192.0.2.0/24"], interfaces: ["eth0"],
                                 viaPorts: [443], reason: "accepted only from 10.0.0.0/8", trace: trace),
            ipv6: FamilyExposure(verdict: .notExposed, acceptedFrom: [], interfaces: [], reason: "IPv4 socket: receives no IPv6"))
        let weird = "tab\there \"quoted\" back\\slash newline\n bell\u{7} del\u{7f} é 🦀"
        let scan = ListenerScan(listeners: [
            Listener(protocol: .tcp, address: "0.0.0.0", port: 8443, family: .ipv4, v6only: false, inode: 4_000_000_000, uid: 33,
                     boundInterface: "eth0",
                     processes: [ListeningProcess(pid: 12, name: "nginx", cmdline: weird, unit: "nginx.service"),
                                 ListeningProcess(pid: 13, name: "nginx", cmdline: "", unit: nil)],
                     binding: .wildcard, exposure: exposure),
            Listener(protocol: .udp, address: "::1", port: 53, family: .ipv6, v6only: true, inode: 1, uid: 0,
                     processes: [], binding: .loopback, exposure: nil),
        ], warnings: ["one", weird])
        let bytes = ListenerScanJSON.document(scan)
        let doc = try JSONDecoder().decode(Document.self, from: Data(bytes))
        #expect(doc.schemaVersion == 1)
        #expect(doc.listeners == scan.listeners)
        #expect(doc.warnings == scan.warnings)
        // Same keys as Foundation's encoder would write (nulls included).
        let mine = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let theirs = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(scan)) as? [String: Any])
        let a = try #require((mine["listeners"] as? [[String: Any]])?.first)
        let b = try #require((theirs["listeners"] as? [[String: Any]])?.first)
        #expect(Set(a.keys) == Set(b.keys))
        let second = try #require((mine["listeners"] as? [[String: Any]])?.last)
        #expect(second["exposure"] is NSNull && second["boundInterface"] is NSNull)
    }

    @Test func emptyScan() throws {
        let doc = try JSONDecoder().decode(Document.self, from: Data(ListenerScanJSON.document(ListenerScan(listeners: [], warnings: []))))
        #expect(doc.listeners.isEmpty && doc.warnings.isEmpty)
    }
}

extension ListenerScanJSONTests {
    /// Large scans are rendered in parallel chunks: still one valid document, in order.
    @Test func largeScanKeepsOrder() throws {
        let listeners = (0..<2500).map { i in
            Listener(protocol: .tcp, address: "0.0.0.0", port: UInt16(20000 + i), family: .ipv4, v6only: false, inode: UInt32(i),
                     uid: 0, processes: [ListeningProcess(pid: 1, name: "p", cmdline: "p \(i)", unit: nil)], binding: .wildcard,
                     exposure: .undetermined("x"))
        }
        let doc = try JSONDecoder().decode(Document.self, from: Data(ListenerScanJSON.document(ListenerScan(listeners: listeners, warnings: ["w"]))))
        #expect(doc.listeners == listeners)
        #expect(doc.warnings == ["w"])
    }
}
