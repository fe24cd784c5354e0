import Testing
@testable import TLSWire

/// A strict re-parse of our own hellos, to check their structure byte by byte.
struct ParsedClientHello {
    var recordVersion: UInt16
    var clientVersion: UInt16
    var sessionID: [UInt8]
    var suites: [UInt16]
    var compression: [UInt8]
    var extensions: [(UInt16, [UInt8])]?

    init(_ record: [UInt8]) throws {
        var r = ByteReader(record, context: "record")
        #expect(try r.u8() == 22)
        recordVersion = try r.u16()
        var body = try r.lengthPrefixed(2)
        #expect(r.isAtEnd)
        #expect(try body.u8() == 1)
        var hello = try body.lengthPrefixed(3)
        #expect(body.isAtEnd)
        clientVersion = try hello.u16()
        _ = try hello.bytes(32)
        var sid = try hello.lengthPrefixed(1)
        sessionID = sid.rest()
        var suiteList = try hello.lengthPrefixed(2)
        suites = []
        while !suiteList.isAtEnd { suites.append(try suiteList.u16()) }
        var comp = try hello.lengthPrefixed(1)
        compression = comp.rest()
        if hello.isAtEnd {
            extensions = nil
        } else {
            var block = try hello.lengthPrefixed(2)
            var exts: [(UInt16, [UInt8])] = []
            while !block.isAtEnd {
                let t = try block.u16()
                var d = try block.lengthPrefixed(2)
                exts.append((t, d.rest()))
            }
            extensions = exts
        }
        #expect(hello.isAtEnd)
    }

    func ext(_ type: UInt16) -> [UInt8]? { extensions?.first { $0.0 == type }?.1 }
}

@Suite("Client hellos")
struct ClientHelloTests {
    @Test func tls12HelloCarriesTheBrowserExtensions() throws {
        let suites = CipherSuiteRegistry.candidates(for: .tls12).map(\.tlsCode)
        let bytes = ClientHello.legacy(version: .tls12, cipherSuites: suites, serverName: "example.test", alpn: ["h2", "http/1.1"]).recordBytes()
        let h = try ParsedClientHello(bytes)
        #expect(h.recordVersion == 0x0301 && h.clientVersion == 0x0303)
        #expect(h.suites == suites)
        #expect(h.compression == [0])
        #expect(h.ext(ExtensionType.serverName) == [0, 15, 0, 0, 12] + Array("example.test".utf8))
        #expect(h.ext(ExtensionType.renegotiationInfo) == [0])
        #expect(h.ext(ExtensionType.ecPointFormats) == [3, 0, 1, 2])
        #expect(h.ext(ExtensionType.signatureAlgorithms)?.count == 2 + 2 * SignatureScheme.broad.count)
        #expect(h.ext(ExtensionType.extendedMasterSecret) == [] && h.ext(ExtensionType.encryptThenMAC) == [])
        #expect(h.ext(ExtensionType.sessionTicket) == [] && h.ext(ExtensionType.statusRequest) == [1, 0, 0, 0, 0])
        #expect(h.ext(ExtensionType.alpn) == [0, 12, 2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8))
        let groups = try #require(h.ext(ExtensionType.supportedGroups))
        #expect(Int(groups[0]) << 8 | Int(groups[1]) == groups.count - 2)
        #expect(h.ext(ExtensionType.supportedVersions) == nil)
    }

    @Test func sslv3HelloHasNoExtensionsAndSignalsRenegotiation() throws {
        let h = try ParsedClientHello(ClientHello.legacy(version: .ssl3, cipherSuites: [0x0004, 0x000A], serverName: "x").recordBytes())
        #expect(h.recordVersion == 0x0300 && h.clientVersion == 0x0300)
        #expect(h.extensions == nil)
        #expect(h.suites == [0x0004, 0x000A, SignallingSuite.emptyRenegotiationInfo])
    }

    @Test func fallbackAndCompressionOffers() throws {
        let h = try ParsedClientHello(ClientHello.legacy(version: .tls11, cipherSuites: [0x002F], serverName: nil,
                                                         offerCompression: true, fallbackSCSV: true).recordBytes())
        #expect(h.clientVersion == 0x0302)
        #expect(h.suites == [0x002F, SignallingSuite.fallback])
        #expect(h.compression == [1, 0])
        #expect(h.ext(ExtensionType.serverName) == nil)
        #expect(h.ext(ExtensionType.signatureAlgorithms) == nil)
    }

    @Test func tls13HelloWithShareAndWithout() throws {
        let h = try ParsedClientHello(ClientHello.tls13(cipherSuites: [0x1301, 0x1302], serverName: "a.test").recordBytes())
        #expect(h.clientVersion == 0x0303 && h.sessionID.count == 32)
        #expect(h.ext(ExtensionType.supportedVersions) == [2, 3, 4])
        let share = try #require(h.ext(ExtensionType.keyShare))
        #expect(share.count == 2 + 2 + 2 + 32 && Array(share[0..<6]) == [0, 36, 0, 29, 0, 32])
        #expect(h.ext(ExtensionType.pskKeyExchangeModes) == [1, 1])
        let sigs = try #require(h.ext(ExtensionType.signatureAlgorithms))
        let schemes = stride(from: 2, to: sigs.count, by: 2).map { UInt16(sigs[$0]) << 8 | UInt16(sigs[$0 + 1]) }
        #expect(schemes.contains(SignatureScheme.rsaPSSRSAESHA256) && schemes.contains(SignatureScheme.ed25519))
        let empty = try ParsedClientHello(ClientHello.tls13(cipherSuites: [0x1301], serverName: nil, groups: [29, 23], keyShares: []).recordBytes())
        #expect(empty.ext(ExtensionType.keyShare) == [0, 0])
        #expect(empty.ext(ExtensionType.supportedGroups) == [0, 4, 0, 29, 0, 23])
    }

    @Test func paddingKeepsHellosOutOfTheF5Range() throws {
        for n in 1...200 {
            let bytes = ClientHello.legacy(version: .tls12, cipherSuites: (0..<UInt16(n)).map { 0xC000 + $0 }, serverName: "h.test").recordBytes()
            #expect(!(256..<512).contains(bytes.count), "\(n) suites: \(bytes.count) bytes")
            _ = try ParsedClientHello(bytes)
        }
    }

    @Test func hugeHellosAreSplitIntoRecords() throws {
        var hello = ClientHello.legacy(version: .tls12, cipherSuites: Array(repeating: 0x002F, count: 9000), serverName: nil)
        hello.padAwayFromBuggyLengths = false
        let bytes = hello.recordBytes()
        let message = hello.handshakeMessage()
        #expect(bytes.count == message.count + 5 * 2)
        #expect(Array(bytes[3..<5]) == [0x40, 0x00])
    }

    @Test func sslv2ClientHelloLayout() {
        let b = SSLv2.clientHello(cipherKinds: [0x010080, 0x0700C0], challenge: [UInt8](repeating: 7, count: 16))
        #expect(b.count == 2 + 9 + 6 + 16)
        #expect(Array(b[0..<11]) == [0x80, 31, 1, 0, 2, 0, 6, 0, 0, 0, 16])
        #expect(Array(b[11..<17]) == [0x01, 0x00, 0x80, 0x07, 0x00, 0xC0])
    }
}
