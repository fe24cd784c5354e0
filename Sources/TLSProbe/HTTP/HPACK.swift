/// HPACK (RFC 7541): the header compression of HTTP/2, as much as a client reading one response
/// needs — the static and dynamic tables, integers, string literals and Huffman decoding — plus
/// the encoding of the probe's own request. Pure and bounded: a hostile header block ends in an
/// `HPACKError`, never a crash or an unbounded allocation.
struct HPACKDecoder {
    /// SETTINGS_HEADER_TABLE_SIZE: the probe never announces another size, so 4096 (RFC 7540 §6.5.2).
    static let maxTableSize = 4096
    /// Most header fields one block may decode to (a response head has a few dozen).
    static let maxFields = 512

    private var dynamicTable: [(name: String, value: String)] = []
    private var dynamicSize = 0
    private var tableSizeLimit = HPACKDecoder.maxTableSize

    /// The fields of one header block, in order; updates the dynamic table.
    mutating func decode(_ block: [UInt8]) throws(HPACKError) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        var i = 0
        while i < block.count {
            guard fields.count < Self.maxFields else { throw .tooManyFields }
            let b = block[i]
            if b & 0x80 != 0 {
                let index = try Self.integer(block, &i, prefixBits: 7)
                fields.append(try entry(index))
            } else if b & 0x40 != 0 {
                let field = try literal(block, &i, prefixBits: 6)
                fields.append(field)
                insert(field)
            } else if b & 0x20 != 0 {
                let size = try Self.integer(block, &i, prefixBits: 5)
                guard size <= Self.maxTableSize else { throw .tableSizeTooLarge(size) }
                tableSizeLimit = size
                evict(toFit: 0)
            } else {
                // Literal without indexing (0000) or never indexed (0001): same shape.
                fields.append(try literal(block, &i, prefixBits: 4))
            }
        }
        return fields
    }

    private func entry(_ index: Int) throws(HPACKError) -> (name: String, value: String) {
        if index >= 1 && index <= Self.staticTable.count { return Self.staticTable[index - 1] }
        let d = index - Self.staticTable.count - 1
        guard index > 0, d >= 0, d < dynamicTable.count else { throw .badIndex(index) }
        return dynamicTable[d]
    }

    private func literal(_ block: [UInt8], _ i: inout Int, prefixBits: Int) throws(HPACKError) -> (name: String, value: String) {
        let nameIndex = try Self.integer(block, &i, prefixBits: prefixBits)
        let name = nameIndex == 0 ? try Self.string(block, &i) : try entry(nameIndex).name
        return (name, try Self.string(block, &i))
    }

    private mutating func insert(_ field: (name: String, value: String)) {
        let size = field.name.utf8.count + field.value.utf8.count + 32
        evict(toFit: size)
        // An entry larger than the whole table empties it and is not added (RFC 7541 §4.4).
        guard size <= tableSizeLimit else { return }
        dynamicTable.insert(field, at: 0)
        dynamicSize += size
    }

    private mutating func evict(toFit incoming: Int) {
        while dynamicSize + incoming > tableSizeLimit, let last = dynamicTable.popLast() {
            dynamicSize -= last.name.utf8.count + last.value.utf8.count + 32
        }
    }

    /// An integer with an N-bit prefix (RFC 7541 §5.1); `i` moves past it.
    static func integer(_ bytes: [UInt8], _ i: inout Int, prefixBits: Int) throws(HPACKError) -> Int {
        guard i < bytes.count else { throw .truncated }
        let mask = (1 << prefixBits) - 1
        var value = Int(bytes[i]) & mask
        i += 1
        guard value == mask else { return value }
        var shift = 0
        while true {
            guard i < bytes.count else { throw .truncated }
            let b = bytes[i]
            i += 1
            value += Int(b & 0x7f) << shift
            shift += 7
            if b & 0x80 == 0 { return value }
            guard shift <= 21 else { throw .integerTooLarge }
        }
    }

    /// A string literal (RFC 7541 §5.2), Huffman-coded or raw.
    static func string(_ bytes: [UInt8], _ i: inout Int) throws(HPACKError) -> String {
        guard i < bytes.count else { throw .truncated }
        let huffman = bytes[i] & 0x80 != 0
        let length = try integer(bytes, &i, prefixBits: 7)
        guard length <= bytes.count - i else { throw .truncated }
        let raw = Array(bytes[i..<(i + length)])
        i += length
        return String(decoding: huffman ? try HPACKHuffman.decode(raw) : raw, as: UTF8.self)
    }

    /// RFC 7541 Appendix A.
    static let staticTable: [(name: String, value: String)] = [
        (":authority", ""), (":method", "GET"), (":method", "POST"),
        (":path", "/"), (":path", "/index.html"), (":scheme", "http"),
        (":scheme", "https"), (":status", "200"), (":status", "204"),
        (":status", "206"), (":status", "304"), (":status", "400"),
        (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""),
        ("accept", ""), ("access-control-allow-origin", ""), ("age", ""),
        ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""),
        ("content-length", ""), ("content-location", ""), ("content-range", ""),
        ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""),
        ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
        ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""),
        ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""),
        ("refresh", ""), ("retry-after", ""), ("server", ""),
        ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""),
        ("www-authenticate", ""),
    ]
}

/// The probe's request as an HPACK header block: indexed fields from the static table where they
/// exist, literals without indexing and without Huffman coding otherwise (so nothing here needs
/// the encoder side of the dynamic table).
enum HPACKRequest {
    static func getRoot(authority: String, userAgent: String) -> [UInt8] {
        var block: [UInt8] = [0x82, 0x87, 0x84]  // :method GET, :scheme https, :path /
        literal(nameIndex: 1, value: authority, into: &block)   // :authority
        literal(nameIndex: 58, value: userAgent, into: &block)  // user-agent
        literal(nameIndex: 19, value: "*/*", into: &block)      // accept
        return block
    }

    private static func literal(nameIndex: Int, value: String, into block: inout [UInt8]) {
        integer(nameIndex, prefixBits: 4, firstByteFlags: 0x00, into: &block)
        let bytes = Array(value.utf8)
        integer(bytes.count, prefixBits: 7, firstByteFlags: 0x00, into: &block)
        block += bytes
    }

    static func integer(_ value: Int, prefixBits: Int, firstByteFlags: UInt8, into block: inout [UInt8]) {
        let mask = (1 << prefixBits) - 1
        if value < mask {
            block.append(firstByteFlags | UInt8(value))
            return
        }
        block.append(firstByteFlags | UInt8(mask))
        var rest = value - mask
        while rest >= 128 {
            block.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        block.append(UInt8(rest))
    }
}

/// Why a header block could not be decoded.
enum HPACKError: Error, Equatable, CustomStringConvertible {
    case truncated
    case integerTooLarge
    case badIndex(Int)
    case tableSizeTooLarge(Int)
    case tooManyFields
    case badHuffman

    var description: String {
        switch self {
        case .truncated: "HPACK block truncated"
        case .integerTooLarge: "HPACK integer too large"
        case .badIndex(let i): "HPACK index \(i) not in the table"
        case .tableSizeTooLarge(let s): "HPACK table size update to \(s) above the 4096 allowed"
        case .tooManyFields: "more than \(HPACKDecoder.maxFields) header fields"
        case .badHuffman: "malformed Huffman-coded string"
        }
    }
}

/// The static Huffman code of RFC 7541 Appendix B, decoding only.
enum HPACKHuffman {
    static func decode(_ bytes: [UInt8]) throws(HPACKError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 8 / 5)
        var code: UInt32 = 0
        var length = 0
        for byte in bytes {
            for bit in (0..<8).reversed() {
                code = code << 1 | UInt32(byte >> UInt8(bit) & 1)
                length += 1
                guard length <= 30 else { throw .badHuffman }
                if let symbol = canonical.symbol(code: code, length: length) {
                    guard symbol < 256 else { throw .badHuffman }  // EOS inside a string
                    out.append(UInt8(symbol))
                    code = 0
                    length = 0
                }
            }
        }
        // Padding: fewer than 8 bits, all ones (the start of EOS).
        guard length < 8, code == (1 << UInt32(length)) - 1 else { throw .badHuffman }
        return out
    }

    /// The code is canonical (RFC 7541 Appendix B): the codes of one bit length are consecutive
    /// numbers, so a length's first code, count and symbols decode it — arrays, built once,
    /// instead of a dictionary whose first use cost a runtime conformance lookup on the way to
    /// the probe's last answer.
    private struct CanonicalTable {
        /// Indexed by bit length (0…30).
        var firstCode = [UInt32](repeating: 0, count: 31)
        var count = [Int](repeating: 0, count: 31)
        /// Where a length's symbols start in `symbols`.
        var offset = [Int](repeating: 0, count: 31)
        /// Symbols ordered by (length, code).
        var symbols: [Int] = []

        /// Walks the symbols length by length, in symbol order within a length — which is code
        /// order in a canonical code (checked) — rather than sorting: the generic sort cost
        /// ~0.2 ms of CPU on the way to the probe's last answer (`perf record`, 40 probes).
        init(_ codes: [(UInt32, Int)]) {
            symbols.reserveCapacity(codes.count)
            for length in 1..<firstCode.count {
                for symbol in codes.indices where codes[symbol].1 == length {
                    let code = codes[symbol].0
                    if count[length] == 0 {
                        firstCode[length] = code
                        offset[length] = symbols.count
                    }
                    precondition(code == firstCode[length] + UInt32(count[length]), "HPACK Huffman code is not canonical")
                    count[length] += 1
                    symbols.append(symbol)
                }
            }
            precondition(symbols.count == codes.count, "HPACK Huffman code length out of range")
        }

        func symbol(code: UInt32, length: Int) -> Int? {
            guard code >= firstCode[length] else { return nil }
            let index = Int(code - firstCode[length])
            return index < count[length] ? symbols[offset[length] + index] : nil
        }
    }

    private static let canonical = CanonicalTable(codes)

    /// (code, bit length) for symbols 0…255 and EOS (256).
    static let codes: [(UInt32, Int)] = [
        (0x1ff8, 13), (0x7fffd8, 23), (0xfffffe2, 28), (0xfffffe3, 28), (0xfffffe4, 28), (0xfffffe5, 28),
        (0xfffffe6, 28), (0xfffffe7, 28), (0xfffffe8, 28), (0xffffea, 24), (0x3ffffffc, 30), (0xfffffe9, 28),
        (0xfffffea, 28), (0x3ffffffd, 30), (0xfffffeb, 28), (0xfffffec, 28), (0xfffffed, 28), (0xfffffee, 28),
        (0xfffffef, 28), (0xffffff0, 28), (0xffffff1, 28), (0xffffff2, 28), (0x3ffffffe, 30), (0xffffff3, 28),
        (0xffffff4, 28), (0xffffff5, 28), (0xffffff6, 28), (0xffffff7, 28), (0xffffff8, 28), (0xffffff9, 28),
        (0xffffffa, 28), (0xffffffb, 28), (0x14, 6), (0x3f8, 10), (0x3f9, 10), (0xffa, 12),
        (0x1ff9, 13), (0x15, 6), (0xf8, 8), (0x7fa, 11), (0x3fa, 10), (0x3fb, 10),
        (0xf9, 8), (0x7fb, 11), (0xfa, 8), (0x16, 6), (0x17, 6), (0x18, 6),
        (0x0, 5), (0x1, 5), (0x2, 5), (0x19, 6), (0x1a, 6), (0x1b, 6),
        (0x1c, 6), (0x1d, 6), (0x1e, 6), (0x1f, 6), (0x5c, 7), (0xfb, 8),
        (0x7ffc, 15), (0x20, 6), (0xffb, 12), (0x3fc, 10), (0x1ffa, 13), (0x21, 6),
        (0x5d, 7), (0x5e, 7), (0x5f, 7), (0x60, 7), (0x61, 7), (0x62, 7),
        (0x63, 7), (0x64, 7), (0x65, 7), (0x66, 7), (0x67, 7), (0x68, 7),
        (0x69, 7), (0x6a, 7), (0x6b, 7), (0x6c, 7), (0x6d, 7), (0x6e, 7),
        (0x6f, 7), (0x70, 7), (0x71, 7), (0x72, 7), (0xfc, 8), (0x73, 7),
        (0xfd, 8), (0x1ffb, 13), (0x7fff0, 19), (0x1ffc, 13), (0x3ffc, 14), (0x22, 6),
        (0x7ffd, 15), (0x3, 5), (0x23, 6), (0x4, 5), (0x24, 6), (0x5, 5),
        (0x25, 6), (0x26, 6), (0x27, 6), (0x6, 5), (0x74, 7), (0x75, 7),
        (0x28, 6), (0x29, 6), (0x2a, 6), (0x7, 5), (0x2b, 6), (0x76, 7),
        (0x2c, 6), (0x8, 5), (0x9, 5), (0x2d, 6), (0x77, 7), (0x78, 7),
        (0x79, 7), (0x7a, 7), (0x7b, 7), (0x7ffe, 15), (0x7fc, 11), (0x3ffd, 14),
        (0x1ffd, 13), (0xffffffc, 28), (0xfffe6, 20), (0x3fffd2, 22), (0xfffe7, 20), (0xfffe8, 20),
        (0x3fffd3, 22), (0x3fffd4, 22), (0x3fffd5, 22), (0x7fffd9, 23), (0x3fffd6, 22), (0x7fffda, 23),
        (0x7fffdb, 23), (0x7fffdc, 23), (0x7fffdd, 23), (0x7fffde, 23), (0xffffeb, 24), (0x7fffdf, 23),
        (0xffffec, 24), (0xffffed, 24), (0x3fffd7, 22), (0x7fffe0, 23), (0xffffee, 24), (0x7fffe1, 23),
        (0x7fffe2, 23), (0x7fffe3, 23), (0x7fffe4, 23), (0x1fffdc, 21), (0x3fffd8, 22), (0x7fffe5, 23),
        (0x3fffd9, 22), (0x7fffe6, 23), (0x7fffe7, 23), (0xffffef, 24), (0x3fffda, 22), (0x1fffdd, 21),
        (0xfffe9, 20), (0x3fffdb, 22), (0x3fffdc, 22), (0x7fffe8, 23), (0x7fffe9, 23), (0x1fffde, 21),
        (0x7fffea, 23), (0x3fffdd, 22), (0x3fffde, 22), (0xfffff0, 24), (0x1fffdf, 21), (0x3fffdf, 22),
        (0x7fffeb, 23), (0x7fffec, 23), (0x1fffe0, 21), (0x1fffe1, 21), (0x3fffe0, 22), (0x1fffe2, 21),
        (0x7fffed, 23), (0x3fffe1, 22), (0x7fffee, 23), (0x7fffef, 23), (0xfffea, 20), (0x3fffe2, 22),
        (0x3fffe3, 22), (0x3fffe4, 22), (0x7ffff0, 23), (0x3fffe5, 22), (0x3fffe6, 22), (0x7ffff1, 23),
        (0x3ffffe0, 26), (0x3ffffe1, 26), (0xfffeb, 20), (0x7fff1, 19), (0x3fffe7, 22), (0x7ffff2, 23),
        (0x3fffe8, 22), (0x1ffffec, 25), (0x3ffffe2, 26), (0x3ffffe3, 26), (0x3ffffe4, 26), (0x7ffffde, 27),
        (0x7ffffdf, 27), (0x3ffffe5, 26), (0xfffff1, 24), (0x1ffffed, 25), (0x7fff2, 19), (0x1fffe3, 21),
        (0x3ffffe6, 26), (0x7ffffe0, 27), (0x7ffffe1, 27), (0x3ffffe7, 26), (0x7ffffe2, 27), (0xfffff2, 24),
        (0x1fffe4, 21), (0x1fffe5, 21), (0x3ffffe8, 26), (0x3ffffe9, 26), (0xffffffd, 28), (0x7ffffe3, 27),
        (0x7ffffe4, 27), (0x7ffffe5, 27), (0xfffec, 20), (0xfffff3, 24), (0xfffed, 20), (0x1fffe6, 21),
        (0x3fffe9, 22), (0x1fffe7, 21), (0x1fffe8, 21), (0x7ffff3, 23), (0x3fffea, 22), (0x3fffeb, 22),
        (0x1ffffee, 25), (0x1ffffef, 25), (0xfffff4, 24), (0xfffff5, 24), (0x3ffffea, 26), (0x7ffff4, 23),
        (0x3ffffeb, 26), (0x7ffffe6, 27), (0x3ffffec, 26), (0x3ffffed, 26), (0x7ffffe7, 27), (0x7ffffe8, 27),
        (0x7ffffe9, 27), (0x7ffffea, 27), (0x7ffffeb, 27), (0xffffffe, 28), (0x7ffffec, 27), (0x7ffffed, 27),
        (0x7ffffee, 27), (0x7ffffef, 27), (0x7fffff0, 27), (0x3ffffee, 26), (0x3fffffff, 30),
    ]
}
