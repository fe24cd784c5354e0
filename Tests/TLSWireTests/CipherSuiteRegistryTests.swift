import Testing
@testable import TLSWire

@Suite("Cipher suite and group registries")
struct CipherSuiteRegistryTests {
    @Test func knownSuitesHaveTheirProperties() throws {
        let gcm = try #require(CipherSuiteRegistry.suite(tls: 0xC02F))
        #expect(gcm.ianaName == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        #expect(gcm.openSSLName == "ECDHE-RSA-AES128-GCM-SHA256")
        #expect(gcm.keyExchange == .ecdhe && gcm.authentication == .rsa && gcm.cipher == .aesGCM && gcm.bits == 128)
        #expect(gcm.flags == [.aead, .forwardSecrecy])

        let cases: [(UInt16, CipherSuiteFlags)] = [
            (0x0000, [.null, .anonymous]),                      // TLS_NULL_WITH_NULL_NULL
            (0x0003, [.export, .rc4, .staticRSA]),              // TLS_RSA_EXPORT_WITH_RC4_40_MD5
            (0x0009, [.des, .cbc, .staticRSA]),                 // TLS_RSA_WITH_DES_CBC_SHA
            (0x000A, [.tripleDES, .cbc, .staticRSA]),           // TLS_RSA_WITH_3DES_EDE_CBC_SHA
            (0x0018, [.rc4, .anonymous, .forwardSecrecy]),      // TLS_DH_anon_WITH_RC4_128_MD5
            (0x002F, [.cbc, .staticRSA]),                       // TLS_RSA_WITH_AES_128_CBC_SHA
            (0x0031, [.cbc]),                                   // TLS_DH_RSA_WITH_AES_128_CBC_SHA (static DH)
            (0x1301, [.aead, .forwardSecrecy, .tls13]),         // TLS_AES_128_GCM_SHA256
            (0xCCA9, [.aead, .forwardSecrecy]),                 // ECDHE-ECDSA-CHACHA20-POLY1305
            (0xC0A0, [.aead, .staticRSA]),                      // TLS_RSA_WITH_AES_128_CCM_8
        ]
        for (code, flags) in cases {
            let s = try #require(CipherSuiteRegistry.suite(tls: code), "0x\(hex(code, digits: 4))")
            #expect(s.flags == flags, "\(s.ianaName): \(s.flags)")
        }
    }

    @Test func registryCoversTheIANAFamilies() throws {
        let all = CipherSuiteRegistry.all
        #expect(all.count >= 380)
        #expect(Set(all.map(\.id)).count == all.count, "duplicate codes")
        // Every IANA-assigned 2-byte code in the main ranges is known.
        let ranges: [ClosedRange<UInt16>] = [0x0000...0x0046, 0x0067...0x006D, 0x0084...0x00C7, 0x1301...0x1307, 0xC001...0xC0B5, 0xC100...0xC106, 0xCCA8...0xCCAE]
        let holes: Set<UInt16> = [0x001C, 0x001D] // FORTEZZA codes withdrawn by IANA (reused for KRB5)
        for range in ranges {
            for code in range where !holes.contains(code) && code != 0x00FF {
                #expect(CipherSuiteRegistry.suite(tls: code) != nil, "missing 0x\(hex(code, digits: 4))")
            }
        }
        for name in ["TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", "TLS_DHE_RSA_WITH_SEED_CBC_SHA",
                     "TLS_RSA_WITH_IDEA_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
                     "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", "TLS_PSK_WITH_AES_128_CCM_8", "TLS_AES_128_CCM_8_SHA256",
                     "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", "TLS_KRB5_WITH_RC4_128_SHA"] {
            #expect(CipherSuiteRegistry.suite(named: name) != nil, "missing \(name)")
        }
        #expect(CipherSuiteRegistry.suite(sslv2: 0x0700C0)?.ianaName == "SSL_CK_DES_192_EDE3_CBC_WITH_MD5")
        #expect(CipherSuiteRegistry.suite(sslv2: 0x020080)?.isExport == true)
        #expect(CipherSuiteRegistry.name(tls: 0xFAFA) == "UNKNOWN_0xFAFA")
    }

    /// `suite(tls:)` searches the TLS part of the table by halves: it must be strictly
    /// ascending, and every suite in it must be found, and no code outside it.
    @Test func tlsSuitesAreAscendingAndEachIsFound() throws {
        let tls = CipherSuiteRegistry.all.prefix { $0.width == 2 }
        #expect(tls.count > 300)
        #expect(CipherSuiteRegistry.all.dropFirst(tls.count).allSatisfy { $0.width == 3 }, "a TLS suite after the SSLv2 kinds")
        #expect(zip(tls, tls.dropFirst()).allSatisfy { $0.code < $1.code }, "TLS codes not strictly ascending")
        for suite in tls {
            let found = try #require(CipherSuiteRegistry.suite(tls: suite.tlsCode), "\(suite.ianaName)")
            #expect(found == suite)
        }
        let known = Set(tls.map(\.tlsCode))
        for code in UInt16(0)...UInt16.max where !known.contains(code) {
            if CipherSuiteRegistry.suite(tls: code) != nil { Issue.record("0x\(hex(code, digits: 4)) found but not in the table") }
        }
        #expect(CipherSuiteRegistry.name(tls: 0xC0FF) == "UNKNOWN_0xC0FF")
    }

    @Test func candidatesPerProtocol() {
        let tls13 = CipherSuiteRegistry.candidates(for: .tls13)
        #expect(tls13.allSatisfy { $0.isTLS13 } && tls13.count >= 5)
        #expect(CipherSuiteRegistry.candidates(for: .ssl2).count == 13)
        let tls10 = CipherSuiteRegistry.candidates(for: .tls10)
        #expect(!tls10.contains { $0.mac == .sha256 && $0.cipher == .aesCBC && $0.keyExchange == .rsa }) // TLS 1.2-only
        #expect(tls10.contains { $0.ianaName == "TLS_RSA_WITH_RC4_128_SHA" })
        let tls12 = CipherSuiteRegistry.candidates(for: .tls12)
        #expect(tls12.count > tls10.count && !tls12.contains { $0.isTLS13 || $0.width == 3 })
    }

    @Test func namedGroups() {
        #expect(NamedGroupRegistry.group(code: 29)?.name == "x25519")
        #expect(NamedGroupRegistry.group(code: 0x11EC)?.kind == .hybridPQ)
        #expect(NamedGroupRegistry.group(named: "prime256v1") == .secp256r1)
        #expect(NamedGroupRegistry.group(named: "X25519MLKEM768")?.code == 0x11EC)
        #expect(NamedGroupRegistry.group(code: 260)?.bits == 8192)
        #expect(NamedGroupRegistry.tls13Candidates.contains(.x25519MLKEM768))
        #expect(!NamedGroupRegistry.tls13Candidates.contains { $0.deprecated })
        #expect(NamedGroupRegistry.tls12Candidates.allSatisfy { $0.kind == .ecdhe })
        #expect(NamedGroupRegistry.name(code: 0x7777) == "unknown_0x7777")
        #expect(Set(NamedGroupRegistry.all.map(\.code)).count == NamedGroupRegistry.all.count)
    }

    @Test func bitLengthAndBytes() throws {
        #expect(ServerKeyExchangeInfo.bitLength([0, 0, 0x01, 0xFF]) == 9)
        #expect(ServerKeyExchangeInfo.bitLength([0x80] + [UInt8](repeating: 0, count: 127)) == 1024)
        #expect(ServerKeyExchangeInfo.bitLength([]) == 0)
        var r = ByteReader([1, 2, 3], context: "t")
        #expect(try r.u16() == 0x0102)
        #expect(throws: WireParseError.truncated("t")) { try r.u16() }
        #expect(throws: WireParseError.truncated("t")) { try r.bytes(-1) }
    }
}
