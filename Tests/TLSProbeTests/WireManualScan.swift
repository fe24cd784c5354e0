import Testing
import Foundation
import TLSWire
@testable import TLSProbe

/// Manual comparison aid: `PC_WIRE_SCAN=127.0.0.1:4433 swift test --filter WireManualScan` prints
/// the wire scan of that (loopback) endpoint. Skipped unless the variable is set.
@Suite("Manual wire scan", .enabled(if: ProcessInfo.processInfo.environment["PC_WIRE_SCAN"] != nil, "set PC_WIRE_SCAN=HOST:PORT"))
struct WireManualScan {
    @Test func scanAndPrint() async throws {
        let spec = ProcessInfo.processInfo.environment["PC_WIRE_SCAN"] ?? ""
        let cut = try #require(spec.lastIndex(of: ":"))
        let host = String(spec[..<cut]), port = try #require(UInt16(spec[spec.index(after: cut)...]))
        let r = await WireScanner().scan(Endpoint(host: host, port: port))
        for p in r.protocols {
            print("\(p.version.key): supported=\(p.supported) status=\(p.status) serverOrder=\(p.serverOrder.map(String.init) ?? "-")")
            for s in p.cipherSuites { print("    \(hex(s.code, digits: s.width * 2)) \(s.ianaName)") }
        }
        print("groups tls1.3: \(r.groups.tls13.map(\.name)) (\(r.groups.tls13Status))")
        print("groups tls1.2: \(r.groups.tls12Extra.map(\.name)) (\(r.groups.tls12Status))")
        print("dhBits=\(r.dhBits.map(String.init) ?? "-") secureRenegotiation=\(r.secureRenegotiation.map(String.init) ?? "-") compression=\(r.compression.map(String.init) ?? "-") fallbackSCSV=\(r.fallbackSCSV.map(String.init) ?? "-") (\(r.fallbackSCSVStatus))")
        print("speaksTLS=\(r.speaksTLS) handshakes=\(r.handshakes) elapsed=\(String(format: "%.3f", r.elapsedSeconds))s")
    }
}
