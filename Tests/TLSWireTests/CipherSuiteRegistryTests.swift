import Testing
@testable import TLSWire

@Suite("Cipher suite registry")
struct CipherSuiteRegistryTests {
    @Test func knownSuitesHaveTheirProperties() throws {
        let gcm = try #require(CipherSuiteRegistry.suite(tls: 0xC02F))
        #expect(gcm.ianaName == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        #expect(gcm.openSSLName == "ECDHE-RSA-AES128-GCM-SHA256")
        #expect(gcm.keyExchange == .ecdhe && gcm.authentication == .rsa && gcm.cipher == .aesGCM && gcm.bits == 128)
        #expect(gcm.flags == [.aead, .forwardSecrecy])
    }
}
