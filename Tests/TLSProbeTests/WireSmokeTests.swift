import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

@Suite("Wire smoke")
struct WireSmokeTests {
    @Test func defaultServer() async throws {
        let server = try WireOpenSSLServer(arguments: [])
        defer { server.stop() }
        let r = await WireScanner().scan(ScanTarget(host: "127.0.0.1", port: server.port))
        for p in r.protocols { print(p.version, p.supported, p.status, p.serverOrder as Any, p.cipherSuiteNames) }
        print("groups", r.groups.tls13.map(\.name), r.groups.tls12.map(\.name), r.groups.status)
        print("dh", r.dhBits as Any, "reneg", r.secureRenegotiation as Any, "comp", r.compression as Any, "fallback", r.fallbackSCSV as Any, r.fallbackSCSVStatus, "handshakes", r.handshakes, r.elapsedSeconds)
    }
}
