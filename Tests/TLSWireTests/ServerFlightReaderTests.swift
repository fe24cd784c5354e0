import Testing
@testable import TLSWire

/// Reads every message of a flight fed in chunks of `chunk` bytes.
func readAll(_ bytes: [UInt8], chunk: Int = 1 << 20, limits: ServerFlightReader.Limits = .init()) throws(WireParseError) -> [ServerFlightReader.Message] {
    var reader = ServerFlightReader(limits: limits)
    var out: [ServerFlightReader.Message] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunk)
        try reader.append(Array(bytes[offset..<end]))
        offset = end
        while let m = try reader.next() { out.append(m) }
    }
    return out
}

func handshakes(_ messages: [ServerFlightReader.Message]) -> [(UInt8, [UInt8])] {
    messages.compactMap { if case .handshake(let t, let b) = $0 { (t, b) } else { nil } }
}

@Suite("Server flight reader")
struct ServerFlightReaderTests {
    @Test func tls12ECDHERSAFlight() throws {
        let hs = handshakes(try readAll(ServerFlights.tls12ECDHERSA))
        #expect(hs.map(\.0) == [2, 11, 12, 14])
        let sh = try ServerHello.parse(hs[0].1)
        #expect(sh.negotiatedVersion == 0x0303 && sh.cipherSuite == 0xC02F && sh.compressionMethod == 0)
        #expect(sh.hasRenegotiationInfo && sh.hasExtendedMasterSecret && !sh.isHelloRetryRequest)
        let cert = try CertificateMessage.parse(hs[1].1)
        #expect(cert.certificates.count == 1 && cert.sizes[0] > 500 && cert.certificates[0].first == 0x30)
        let ske = try ServerKeyExchangeInfo.parse(hs[2].1, keyExchange: .ecdhe)
        guard case .ecdhe(let group) = ske else { Issue.record("not ECDHE: \(ske)"); return }
        #expect(NamedGroupRegistry.group(code: group) != nil)
    }

    @Test func sameMessagesWhateverTheChunking() throws {
        for flight in ServerFlights.all.map(\.bytes) {
            let whole = try readAll(flight)
            for chunk in [1, 2, 3, 5, 7, 64, 1000] {
                #expect(try readAll(flight, chunk: chunk) == whole)
            }
        }
    }

    @Test func handshakeMessagesSpanningRecords() throws {
        // Re-frame the handshake stream of a real flight into 100-byte records.
        let original = handshakes(try readAll(ServerFlights.tls12DHE1024))
        var stream: [UInt8] = []
        for (t, b) in original { stream += [t, UInt8(b.count >> 16), UInt8(b.count >> 8 & 0xff), UInt8(b.count & 0xff)] + b }
        var reframed: [UInt8] = []
        for start in stride(from: 0, to: stream.count, by: 100) {
            reframed += TLSRecord.frame(contentType: .handshake, version: 0x0303, payload: Array(stream[start..<min(stream.count, start + 100)]))
        }
        let again = handshakes(try readAll(reframed, chunk: 33))
        #expect(again.map(\.0) == original.map(\.0))
        #expect(again.map(\.1) == original.map(\.1))
    }

    @Test func dheFlightRevealsPrimeSize() throws {
        let hs = handshakes(try readAll(ServerFlights.tls12DHE1024))
        #expect(try ServerHello.parse(hs[0].1).cipherSuite == 0x009E)
        let ske = try #require(hs.first { $0.0 == 12 })
        #expect(try ServerKeyExchangeInfo.parse(ske.1, keyExchange: .dhe) == .dh(primeBits: 1024, generatorBytes: 1))
        let legacy = handshakes(try readAll(ServerFlights.sslv3DHE512))
        #expect(try ServerHello.parse(legacy[0].1).legacyVersion == 0x0300)
        #expect(try ServerKeyExchangeInfo.parse(legacy[2].1, keyExchange: .dhe) == .dh(primeBits: 512, generatorBytes: 1))
    }

    @Test func tls13ServerHelloThenEncryptedRecords() throws {
        let messages = try readAll(ServerFlights.tls13ServerHello)
        guard case .handshake(2, let body) = messages.first else { Issue.record("no ServerHello"); return }
        let sh = try ServerHello.parse(body)
        #expect(sh.legacyVersion == 0x0303 && sh.negotiatedVersion == 0x0304 && sh.negotiatedProtocol == .tls13)
        #expect(sh.cipherSuite == 0x1301 && sh.keyShareGroup == NamedGroup.x25519.code)
        #expect(messages.contains(.changeCipherSpec))
        #expect(messages.contains { if case .opaque(23, _) = $0 { true } else { false } })
    }

    @Test func helloRetryRequest() throws {
        let hs = handshakes(try readAll(ServerFlights.tls13HelloRetryRequest))
        let hrr = try ServerHello.parse(hs[0].1)
        #expect(hrr.isHelloRetryRequest && hrr.negotiatedVersion == 0x0304 && hrr.cipherSuite == 0x1302)
        #expect(hrr.keyShareGroup != nil)
    }

    @Test func alertAndSSLv2() throws {
        #expect(try readAll(ServerFlights.alertProtocolVersion) == [.alert(Alert(level: 2, code: Alert.protocolVersion))])
        let v2 = try readAll(ServerFlights.sslv2ServerHello)
        guard case .sslv2ServerHello(let sh) = v2.first else { Issue.record("no SSLv2 SERVER-HELLO"); return }
        #expect(sh.cipherKinds == [0x010080, 0x0700C0] && sh.version == 2 && sh.connectionID.count == 16)
        #expect(try readAll([0x80, 3, 0, 0, 1]) == [.sslv2Error(code: 1)])
    }

    @Test func typedErrorsForBadInput() {
        #expect(throws: WireParseError.self) { try readAll(Array("HTTP/1.1 400 Bad Request\r\n".utf8)) }
        do {
            _ = try readAll(Array("SSH-2.0-OpenSSH\r\n".utf8))
        } catch {
            guard case .notTLS(let preview) = error else { Issue.record("\(error)"); return }
            #expect(preview.contains("SSH-2.0"))
        }
        #expect(throws: WireParseError.tooLarge(what: "record", size: 65535, limit: TLSRecord.maxBody)) {
            try readAll([22, 3, 3, 0xFF, 0xFF])
        }
        #expect(throws: WireParseError.tooLarge(what: "handshake message type 11", size: 0xFFFFFF, limit: 128 * 1024)) {
            try readAll([22, 3, 3, 0, 4, 11, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: WireParseError.tooLarge(what: "server flight", size: 300, limit: 200)) {
            try readAll([UInt8](repeating: 22, count: 300), limits: .init(maxFlightBytes: 200))
        }
        #expect(throws: WireParseError.truncated("ServerHello")) { try ServerHello.parse([3, 3, 1, 2]) }
        #expect(throws: WireParseError.invalid("record content type 99")) { try readAll([22, 3, 3, 0, 1, 1, 99, 3, 3, 0, 1, 0]) }
    }

    @Test func incompleteInputAsksForMore() throws {
        var r = ServerFlightReader()
        try r.append(Array(ServerFlights.tls12ECDHERSA.prefix(3)))
        #expect(try r.next() == nil)
        #expect(r.framing == .tls)
    }
}
