import Testing
import Foundation
import CNetfilter
import NftModel
import NetNamespace
import TestSupport
@testable import Listeners

/// Exposure end to end: a ruleset (dnat 443 → 8443, filters by source) in a server namespace,
/// real sockets, `portcullis listeners --format json`, and real connections from the client
/// namespace: what the command says must be what the kernel does.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ListenerExposureKernelTests {
    /// ICMPv6 is accepted so neighbor discovery works under `policy drop` (without it no IPv6
    /// connection completes at all): this ruleset is about dnat and source filters.
    static let ruleset = """
    table ip nat {
      chain pre { type nat hook prerouting priority dstnat; policy accept;
        tcp dport 443 dnat to 10.77.1.1:8443
      }
    }
    table inet filter {
      chain in { type filter hook input priority 0; policy drop;
        ct state established,related accept
        iifname "lo" accept
        meta l4proto ipv6-icmp accept
        tcp dport 8443 ip saddr 10.77.1.0/24 accept
        tcp dport 22 accept
        ip6 saddr fd77:2::/64 tcp dport 9443 accept
      }
    }
    """

    struct Document: Decodable {
        var schemaVersion: Int
        var listeners: [Listener]
        var warnings: [String]
    }

    /// A dual-stack ([::], IPV6_V6ONLY off) listening socket inside `namespace`.
    static func dualStackListener(namespace: String, port: UInt16) throws -> Int32 {
        try NetworkNamespace.run(in: namespace) { () throws -> Int32 in
            let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw NetnsSockets.Failure.socket("socket", errno) }
            var zero: Int32 = 0
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, socklen_t(MemoryLayout<Int32>.size))
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            let rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            guard rc == 0, Glibc.listen(fd, 16) == 0 else { let e = errno; close(fd); throw NetnsSockets.Failure.socket("bind/listen", e) }
            return fd
        }
    }

    /// Does a family exposure let `source` in? (accept: anyone; conditional: a listed prefix.)
    static func admits(_ e: FamilyExposure, source: String) -> Bool {
        switch e.verdict {
        case .accept: return true
        case .conditional:
            guard let addr = BoundAddressClassifier.parse(source) else { return false }
            return e.acceptedFrom.contains { cidr in
                let parts = cidr.split(separator: "/")
                guard parts.count == 2, let net = BoundAddressClassifier.parse(String(parts[0])), let len = Int(parts[1]),
                      net.count == addr.count else { return false }
                for bit in 0..<len where (net[bit / 8] >> (7 - bit % 8)) & 1 != (addr[bit / 8] >> (7 - bit % 8)) & 1 { return false }
                return true
            }
        default: return false
        }
    }

    @Test func exposureMatchesWhatTheKernelLetsThrough() throws {
        let pair = try NamespacePair(prefix: "lx")
        defer { pair.destroy() }
        try pair.loadNft(Self.ruleset)
        let ns = pair.server
        let https = try NetnsSockets.listen(namespace: ns, v6: false, port: 8443)
        defer { close(https) }
        let ssh = try NetnsSockets.listen(namespace: ns, v6: false, port: 22)
        defer { close(ssh) }
        let web = try NetnsSockets.listen(namespace: ns, v6: false, port: 80)
        defer { close(web) }
        let local = try NetnsSockets.listen(namespace: ns, v6: false, port: 8081, address: "127.0.0.1")
        defer { close(local) }
        let dual = try Self.dualStackListener(namespace: ns, port: 9443)
        defer { close(dual) }

        let r = try Subprocess.run([TestEnvironment.portcullisBinary.path, "listeners", "--netns", ns, "--format", "json"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONDecoder().decode(Document.self, from: Data(r.stdout.utf8))
        #expect(doc.schemaVersion == 1)
        // Plain throws, not #require: inside a nested function the macro's `try` drew
        // "no calls to throwing functions occur within 'try'" warnings.
        func exposure(_ port: UInt16) throws -> ListenerExposure {
            guard let l = doc.listeners.first(where: { $0.port == port }) else { throw MissingListenerFact("no listener on \(port)") }
            guard let e = l.exposure else { throw MissingListenerFact("no exposure for \(port)") }
            return e
        }

        // What Portcullis says.
        let e8443 = try exposure(8443)
        #expect(e8443.ipv4.verdict == .conditional)
        #expect(e8443.ipv4.acceptedFrom == ["10.77.1.0/24"])
        #expect(e8443.ipv4.viaPorts == [443])
        #expect(e8443.ipv6.verdict == .notExposed)
        #expect(try exposure(22).ipv4.verdict == .accept)
        #expect(try exposure(80).ipv4.verdict == .drop)
        #expect(try exposure(8081).ipv4.verdict == .notExposed)
        #expect(try exposure(8081).ipv6.verdict == .notExposed)
        let e9443 = try exposure(9443)
        #expect(e9443.ipv4.verdict == .drop)
        #expect(e9443.ipv6.verdict == .conditional)
        #expect(e9443.ipv6.acceptedFrom == ["fd77:2::/64"])

        // What the kernel does, flow by flow, compared with what Portcullis said.
        struct Flow { var source: String; var destination: String; var port: UInt16; var socketPort: UInt16; var socket: Int32 }
        let flows = [
            Flow(source: "10.77.1.2", destination: "10.77.1.1", port: 443, socketPort: 8443, socket: https),
            Flow(source: "10.77.2.2", destination: "10.77.2.1", port: 443, socketPort: 8443, socket: https),
            Flow(source: "10.77.1.2", destination: "10.77.1.1", port: 8443, socketPort: 8443, socket: https),
            Flow(source: "10.77.2.2", destination: "10.77.2.1", port: 8443, socketPort: 8443, socket: https),
            Flow(source: "10.77.2.2", destination: "10.77.2.1", port: 22, socketPort: 22, socket: ssh),
            Flow(source: "10.77.1.2", destination: "10.77.1.1", port: 80, socketPort: 80, socket: web),
            Flow(source: "fd77:2::2", destination: "fd77:2::1", port: 9443, socketPort: 9443, socket: dual),
            Flow(source: "fd77:1::2", destination: "fd77:1::1", port: 9443, socketPort: 9443, socket: dual),
            Flow(source: "10.77.1.2", destination: "10.77.1.1", port: 9443, socketPort: 9443, socket: dual),
        ]
        for f in flows {
            let outcome = try NetnsSockets.connect(namespace: pair.client, source: f.source, destination: f.destination,
                                                   port: f.port, timeout: 0.6)
            let delivered = outcome == .connected && NetnsSockets.acceptOne(f.socket, timeout: 1)
            let e = try exposure(f.socketPort)
            let family = f.source.contains(":") ? e.ipv6 : e.ipv4
            let said = Self.admits(family, source: f.source) && (f.port == f.socketPort || family.viaPorts.contains(f.port))
            #expect(said == delivered, "\(f.source) → \(f.destination):\(f.port): kernel \(outcome), delivered \(delivered); portcullis \(family.verdict) \(family.acceptedFrom) via \(family.viaPorts)")
        }
    }

    @Test func unreadableFirewallMakesExposureUndeterminedNotMissing() throws {
        let ns = TestEnvironment.uniqueName("lxu")
        try Subprocess.check(["ip", "netns", "add", ns])
        defer { _ = try? Subprocess.run(["ip", "netns", "del", ns], timeout: 10) }
        try Subprocess.check(["ip", "-n", ns, "link", "set", "lo", "up"])
        let fd = try NetnsSockets.listen(namespace: ns, v6: true, port: 443)
        defer { close(fd) }
        // Inside the namespace without CAP_NET_ADMIN: sock_diag works, nf_tables does not.
        let r = try Subprocess.run(["ip", "netns", "exec", ns, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                    "--inh-caps=-all", "--bounding-set=-all",
                                    TestEnvironment.portcullisBinary.path, "listeners", "--format", "json"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONDecoder().decode(Document.self, from: Data(r.stdout.utf8))
        let e = try #require(doc.listeners.first?.exposure)
        #expect(e.ipv6.verdict == .undetermined)
        #expect(e.ipv6.reason.contains("firewall could not be read"))
        #expect(e.ipv4.verdict == .notExposed) // v6only: no firewall needed to know that
        #expect(r.stderr.contains("exposure undetermined"))
    }
}

/// A fact the listeners JSON should have carried; thrown so the test fails with what was missing.
private struct MissingListenerFact: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
