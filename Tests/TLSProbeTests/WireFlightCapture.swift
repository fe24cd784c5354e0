import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

/// Regenerates the server-flight fixtures of TLSWireTests (`ServerFlights.swift`): run with
/// `PC_CAPTURE_FLIGHTS=1 swift test --filter WireFlightCapture`, then convert /tmp/flights/*.hex.
@Suite("Capture server flights", .enabled(if: ProcessInfo.processInfo.environment["PC_CAPTURE_FLIGHTS"] != nil, "set PC_CAPTURE_FLIGHTS=1 to regenerate fixtures"))
struct WireFlightCapture {
    func capture(_ name: String, host: String, port: UInt16, hello: [UInt8]) throws {
        let t = try TCPTransport.connect(host: host, port: port, connectTimeout: 2, operationTimeout: 0.7)
        defer { t.close() }
        try t.send(hello)
        var all: [UInt8] = []
        while all.count < 65536 {
            guard let c = try? t.receive(maximum: 65536) , !c.isEmpty else { break }
            all += c
        }
        try FileManager.default.createDirectory(atPath: "/tmp/flights", withIntermediateDirectories: true)
        try all.map { hex($0, digits: 2) }.joined().write(toFile: "/tmp/flights/\(name).hex", atomically: true, encoding: .utf8)
    }

    @Test func run() async throws {
        let fixed = [UInt8](repeating: 0x11, count: 32)
        let def = try await WireOpenSSLServer.start(arguments: [])
        defer { def.stop() }
        try capture("tls12ECDHERSA", host: def.host, port: def.port, hello: ClientHello.legacy(version: .tls12, cipherSuites: [0xC02F], serverName: nil, random: fixed).recordBytes())
        try capture("tls13ServerHello", host: def.host, port: def.port, hello: ClientHello.tls13(cipherSuites: [0x1301], serverName: nil, random: fixed).recordBytes())
        try capture("tls13HelloRetryRequest", host: def.host, port: def.port, hello: ClientHello.tls13(cipherSuites: [0x1302], serverName: nil, keyShares: [], random: fixed).recordBytes())
        let dh = try await WireOpenSSLServer.start(arguments: ["-dhparam", "{dir}/dh.pem", "-cipher", "DHE-RSA-AES128-GCM-SHA256@SECLEVEL=0", "-no_tls1_3"], extraFiles: ["dh.pem": WireOpenSSLServerTests.dh1024])
        defer { dh.stop() }
        try capture("tls12DHE1024", host: dh.host, port: dh.port, hello: ClientHello.legacy(version: .tls12, cipherSuites: [0x009E], serverName: nil, random: fixed).recordBytes())
        let t13 = try await WireOpenSSLServer.start(arguments: ["-tls1_3"])
        defer { t13.stop() }
        try capture("alertProtocolVersion", host: t13.host, port: t13.port, hello: ClientHello.legacy(version: .tls10, cipherSuites: [0x002F], serverName: nil, random: fixed).recordBytes())
        let old = try await WireOpenSSLServer.start(arguments: ["-min_protocol", "TLSv1", "-cipher", "AES128-SHA@SECLEVEL=0"])
        defer { old.stop() }
        try capture("tls10StaticRSA", host: old.host, port: old.port, hello: ClientHello.legacy(version: .tls10, cipherSuites: [0x002F], serverName: nil, random: fixed).recordBytes())
        let ec = try await WireOpenSSLServer.start(arguments: ["-no_tls1_3"], keyType: "ec")
        defer { ec.stop() }
        try capture("tls12ECDHEECDSA", host: ec.host, port: ec.port, hello: ClientHello.legacy(version: .tls12, cipherSuites: [0xC02B], serverName: nil, random: fixed).recordBytes())
        let peer = try LegacySSLPeer(.init(sslv2CipherKinds: [0x010080, 0x0700C0], suites: [0x0300: [0x0016]], dhBits: 512))
        defer { peer.stop() }
        try capture("sslv2ServerHello", host: peer.host, port: peer.port, hello: SSLv2.clientHello(cipherKinds: [0x010080, 0x0700C0, 0x020080], challenge: Array(fixed.prefix(16))))
        try capture("sslv3DHE512", host: peer.host, port: peer.port, hello: ClientHello.legacy(version: .ssl3, cipherSuites: [0x0016], serverName: nil, random: fixed).recordBytes())
    }
}
