import Testing
import Foundation
import TLSWire
@testable import TLSProbe
import TestSupport

/// SSLv2, SSLv3 and suites Debian's OpenSSL cannot serve (RC4, 3DES, export, NULL, anonymous),
/// against the hand-written `LegacySSLPeer`.
@Suite("Wire scanner vs legacy SSL peer")
struct WireLegacyPeerTests {
    /// Generous timeouts: the peer answers at once, but a loaded CI machine may stall a thread.
    static let options = ScanOptions(timeout: 10, retries: 1, maxConcurrentConnections: 8, scanDeadline: 60)

    func scan(_ peer: LegacySSLPeer) async -> WireScanResult {
        await WireScanner(options: Self.options).scan(Endpoint(host: peer.host, port: peer.port))
    }

    @Test func sslv2CipherKinds() async throws {
        let kinds: [UInt32] = [0x010080, 0x0700C0, 0x020080, 0x060040]
        let peer = try LegacySSLPeer(.init(sslv2CipherKinds: kinds, suites: [0x0300: [0x0004]]))
        defer { peer.stop() }
        let r = await scan(peer)
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
        #expect(r[.ssl2].supported)
        #expect(r[.ssl2].cipherSuiteNames == ["SSL_CK_RC4_128_WITH_MD5", "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
                                              "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "SSL_CK_DES_64_CBC_WITH_MD5"])
        #expect(r[.ssl2].serverOrder == nil)
        #expect(r.supportedVersions == [.ssl2, .ssl3])
    }

    @Test func sslv3WeakSuitesInServerOrder() async throws {
        // RC4-MD5, 3DES, export RC4-40, DHE-RSA-3DES (512-bit DH), NULL-SHA, anonymous DH RC4.
        let suites: [UInt16] = [0x0004, 0x000A, 0x0003, 0x0016, 0x0002, 0x0018]
        let peer = try LegacySSLPeer(.init(suites: [0x0300: suites], dhBits: 512, renegotiationInfo: false))
        defer { peer.stop() }
        let r = await scan(peer)
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
        #expect(r.supportedVersions == [.ssl3])
        #expect(r[.ssl3].cipherSuiteNames == [
            "TLS_RSA_WITH_RC4_128_MD5", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
            "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_NULL_SHA", "TLS_DH_anon_WITH_RC4_128_MD5",
        ])
        #expect(r[.ssl3].serverOrder == true)
        let flags = r[.ssl3].cipherSuites.map(\.flags)
        #expect(flags[0].contains(.rc4) && flags[1].contains(.tripleDES) && flags[2].contains(.export)
                && flags[4].contains(.null) && flags[5].contains(.anonymous))
        #expect(r.dhBits == 512)
        #expect(r.secureRenegotiation == false)
        #expect(r.fallbackSCSV == nil)
        #expect(r[.ssl2].supported == false)
    }

    @Test func tls10And11WithFallbackAndRenegotiation() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0xC013, 0x000A, 0x0005], 0x0302: [0xC013, 0x000A]],
                                           renegotiationInfo: true, honourFallbackSCSV: true, groups: [24, 23]))
        defer { peer.stop() }
        let r = await scan(peer)
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
        // The TLS 1.2 hello is answered with TLS 1.1, the TLS 1.3 one (TLS 1.3 suites only) refused.
        #expect(r.supportedVersions == [.tls10, .tls11])
        #expect(r[.tls12].answeredWithVersion == 0x0302)
        #expect(r[.tls13].refusal == .alert(Alert(level: 2, code: Alert.handshakeFailure)))
        #expect(r[.tls10].cipherSuiteNames == ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA"])
        #expect(r[.tls11].cipherSuiteNames == ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"])
        #expect(r.secureRenegotiation == true)
        #expect(r.fallbackSCSV == true)
        // TLS 1.2 is refused, so curves are looked up over TLS 1.1, in the peer's order.
        #expect(r.groups.tls12Extra.map(\.name) == ["secp384r1", "secp256r1"])
    }

    @Test func fallbackNotHonoured() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F], 0x0303: [0x002F]]))
        defer { peer.stop() }
        let r = await scan(peer)
        #expect(r.supportedVersions == [.tls10, .tls12])
        #expect(r.fallbackSCSV == false)
        #expect(r.fallbackSCSVStatus == .completed)
        #expect(r.compression == false)
    }

    @Test func tlsCompressionAccepted() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0303: [0xC02F]], deflate: true))
        defer { peer.stop() }
        let r = await scan(peer)
        #expect(r.compression == true && r.compressionStatus == .completed)
        #expect(r[.tls12].cipherSuiteNames == ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"])
    }

    @Test func oldVersionsRefusedWithInternalError() async throws {
        // PLATFORM.md: some servers answer a too-old hello with internal_error, not protocol_version.
        let peer = try LegacySSLPeer(.init(suites: [0x0303: [0xC02F, 0x009C]], lowVersionAlert: 80))
        defer { peer.stop() }
        let r = await scan(peer)
        for (name, status) in r.checks { #expect(status == .completed, "\(name): \(status)") }
        #expect(r.supportedVersions == [.tls12])
        #expect(r[.tls12].cipherSuiteNames == ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"])
        #expect(r[.tls10].supported == false && r[.ssl3].supported == false)
        #expect(r[.tls10].refusal == .alert(Alert(level: 2, code: Alert.internalError)))
    }
}
