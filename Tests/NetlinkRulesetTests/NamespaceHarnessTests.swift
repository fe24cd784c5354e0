import Testing
import Foundation
import TestSupport

/// The harness itself must tell an open port from a dropped or rejected one, or every
/// kernel-oracle test built on it would be meaningless.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct NamespaceHarnessTests {
    @Test func harnessSeesAcceptDropAndReject() throws {
        let pair = try NamespacePair()
        defer { pair.destroy() }
        let l4 = try NetnsSockets.listen(namespace: pair.server, v6: false, port: 443)
        defer { close(l4) }
        let l6 = try NetnsSockets.listen(namespace: pair.server, v6: true, port: 443)
        defer { close(l6) }
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[0],
                                         destination: NamespacePair.serverV4[0], port: 443) == .connected)
        #expect(NetnsSockets.acceptOne(l4, timeout: 1))
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV6[1],
                                         destination: NamespacePair.serverV6[1], port: 443) == .connected)
        #expect(NetnsSockets.acceptOne(l6, timeout: 1))
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[0],
                                         destination: NamespacePair.serverV4[0], port: 444) == .reset)
        try pair.loadNft("""
        table inet t {
          chain in { type filter hook input priority 0; policy accept;
            ip saddr 10.77.2.0/24 tcp dport 443 drop
            ip6 saddr fd77:2::/64 tcp dport 443 reject with icmpx admin-prohibited
          }
        }
        """)
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[1],
                                         destination: NamespacePair.serverV4[1], port: 443, timeout: 0.5) == .timeout)
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV6[1],
                                         destination: NamespacePair.serverV6[1], port: 443) == .unreachable)
        #expect(try NetnsSockets.connect(namespace: pair.client, source: NamespacePair.clientV4[0],
                                         destination: NamespacePair.serverV4[0], port: 443) == .connected)
    }
}
