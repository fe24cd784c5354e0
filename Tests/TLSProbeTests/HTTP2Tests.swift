import Testing
import TestSupport
@testable import TLSProbe

/// HPACK against the examples of RFC 7541 Appendix C (decoded the same way by Python's `hpack`),
/// hostile header blocks, and the HTTP/2 frame reader on split, padded and continued frames.
@Suite("HPACK and the HTTP/2 response reader")
struct HTTP2Tests {
    static func pairs(_ fields: [(name: String, value: String)]) -> [[String]] { fields.map { [$0.name, $0.value] } }

    @Test("RFC 7541 C.4: three requests with Huffman coding share one dynamic table")
    func requestsWithHuffman() throws {
        var d = HPACKDecoder()
        #expect(Self.pairs(try d.decode(hexBytes("828684418cf1e3c2e5f23a6ba0ab90f4ff")))
                == [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]])
        #expect(Self.pairs(try d.decode(hexBytes("828684be5886a8eb10649cbf")))
                == [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"], ["cache-control", "no-cache"]])
        #expect(Self.pairs(try d.decode(hexBytes("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")))
                == [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]])
    }

    @Test("RFC 7541 C.6: three responses with Huffman coding and evictions from a 256-byte table")
    func responsesWithEviction() throws {
        var d = HPACKDecoder()
        // C.6 runs with SETTINGS_HEADER_TABLE_SIZE 256: announce it with a size update first.
        #expect(try d.decode([0x3f, 0xe1, 0x01]).isEmpty)  // size update to 256
        #expect(Self.pairs(try d.decode(hexBytes("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3")))
                == [[":status", "302"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]])
        #expect(Self.pairs(try d.decode(hexBytes("4883640effc1c0bf")))
                == [[":status", "307"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]])
        let third = try d.decode(hexBytes("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007"))
        #expect(Self.pairs(third) == [[":status", "200"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
                                      ["location", "https://www.example.com"], ["content-encoding", "gzip"],
                                      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"]])
    }

    @Test("hostile header blocks end in an error, never a crash")
    func hostileBlocks() {
        func fails(_ block: [UInt8], _ expected: HPACKError) {
            var d = HPACKDecoder()
            #expect(throws: expected) { try d.decode(block) }
        }
        fails([0x80], .badIndex(0))                              // index 0
        fails([0xff, 0x80], .truncated)                          // integer continues past the end
        fails([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], .integerTooLarge)
        fails([0xbe], .badIndex(62))                              // empty dynamic table
        fails([0x3f, 0xe2, 0x1f], .tableSizeTooLarge(4097))
        fails([0x40, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], .badHuffman)  // EOS inside a string
        fails([0x40, 0x81, 0x00, 0x00], .badHuffman)              // padding not all ones
        fails([0x40, 0x0a, 0x61], .truncated)                     // string longer than the block
    }

    @Test("every byte value decodes from its RFC 7541 code, alone and in one string")
    func huffmanEverySymbol() throws {
        func encode(_ symbols: [Int]) -> [UInt8] {
            var bits: [Bool] = []
            for s in symbols {
                let (code, length) = HPACKHuffman.codes[s]
                for i in (0..<length).reversed() { bits.append(code >> UInt32(i) & 1 == 1) }
            }
            while bits.count % 8 != 0 { bits.append(true) }  // padding: the start of EOS
            return stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) } }
        }
        for byte in 0...255 {
            #expect(try HPACKHuffman.decode(encode([byte])) == [UInt8(byte)], "byte \(byte)")
        }
        let all = Array(0...255) + Array((0...255).reversed())
        #expect(try HPACKHuffman.decode(encode(all)) == all.map(UInt8.init))
        // EOS (symbol 256) in the data is an error, not a byte.
        #expect(throws: HPACKError.badHuffman) { try HPACKHuffman.decode(encode([0x61, 256])) }
    }

    @Test("the probe's request block decodes to its request")
    func requestRoundTrip() throws {
        var d = HPACKDecoder()
        let long = String(repeating: "a", count: 300) + ".example.org:8443"
        #expect(Self.pairs(try d.decode(HPACKRequest.getRoot(authority: long, userAgent: "portcullis-probe/1")))
                == [[":method", "GET"], [":scheme", "https"], [":path", "/"], [":authority", long],
                    ["user-agent", "portcullis-probe/1"], ["accept", "*/*"]])
    }

    static func responseFrames() -> [UInt8] {
        var encoded: [UInt8] = [0x88]  // :status 200
        // strict-transport-security (index 56), literal without indexing, raw value
        HPACKRequest.integer(56, prefixBits: 4, firstByteFlags: 0, into: &encoded)
        let hsts = Array("max-age=63072000; includeSubDomains".utf8)
        HPACKRequest.integer(hsts.count, prefixBits: 7, firstByteFlags: 0, into: &encoded)
        encoded += hsts
        let split = 4
        var frames = HTTP2Exchange.frame(.settings, flags: 0, stream: 0, payload: [0x00, 0x03, 0x00, 0x00, 0x00, 0x80])
        frames += HTTP2Exchange.frame(.windowUpdate, flags: 0, stream: 0, payload: [0x00, 0x01, 0x00, 0x00])
        // HEADERS with PADDED and PRIORITY, without END_HEADERS, then a CONTINUATION.
        let padding: [UInt8] = [0, 0, 0]
        frames += HTTP2Exchange.frame(.headers, flags: 0x08 | 0x20 | 0x01, stream: 1,
                                      payload: [UInt8(padding.count)] + [0x00, 0x00, 0x00, 0x00, 0x10] + Array(encoded[..<split]) + padding)
        frames += HTTP2Exchange.frame(.continuation, flags: 0x04, stream: 1, payload: Array(encoded[split...]))
        frames += HTTP2Exchange.frame(.data, flags: 0x01, stream: 1, payload: Array("ok\n".utf8))
        return frames
    }

    @Test("response frames read one byte at a time: SETTINGS, WINDOW_UPDATE, padded HEADERS + CONTINUATION")
    func readerByteByByte() {
        var reader = HTTP2Exchange.ResponseReader()
        var result: HTTP2Exchange.ResponseReader.Progress = .needMore
        for byte in Self.responseFrames() {
            result = reader.feed([byte])
            if result != .needMore { break }
        }
        guard case .head(let head) = result else { Issue.record("no head: \(result)"); return }
        #expect(head.status == 200)
        #expect(head.version == "HTTP/2")
        #expect(head.values("Strict-Transport-Security") == ["max-age=63072000; includeSubDomains"])
    }

    @Test("GOAWAY, a reset stream, an oversized frame and a stray CONTINUATION are failures")
    func readerFailures() {
        func outcome(_ bytes: [UInt8]) -> HTTP2Exchange.ResponseReader.Progress {
            var reader = HTTP2Exchange.ResponseReader()
            return reader.feed(bytes)
        }
        #expect(outcome(HTTP2Exchange.frame(.goAway, flags: 0, stream: 0, payload: [0, 0, 0, 0, 0, 0, 0, 0x0b]))
                == .failed("HTTP/2 GOAWAY from the server before the response (error code 11)"))
        #expect(outcome(HTTP2Exchange.frame(.rstStream, flags: 0, stream: 1, payload: [0, 0, 0, 0x07]))
                == .failed("HTTP/2 stream reset by the server (error code 7)"))
        #expect(outcome([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
                == .failed("HTTP/2 frame of 65536 bytes, above the 16384 allowed"))
        #expect(outcome(HTTP2Exchange.frame(.continuation, flags: 0x04, stream: 1, payload: [0x88]))
                == .failed("HTTP/2 protocol error: CONTINUATION without HEADERS"))
        // Informational 103 first: the reader waits for the final head.
        var reader = HTTP2Exchange.ResponseReader()
        #expect(reader.feed(HTTP2Exchange.frame(.headers, flags: 0x04, stream: 1, payload: [0x08, 0x03] + Array("103".utf8))) == .needMore)
        guard case .head(let head) = reader.feed(HTTP2Exchange.frame(.headers, flags: 0x04 | 0x01, stream: 1, payload: [0x8d])) else {
            Issue.record("no final head"); return
        }
        #expect(head.status == 404)
    }
}
