/// Big-endian byte building and bounds-checked reading for the wire formats.
///
/// `ByteReader` never traps: every read checks the remaining length and throws
/// `WireParseError.truncated`, so hostile input can only produce an error.

/// Appends big-endian integers and length-prefixed blocks.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xff)) }
    public mutating func u24(_ v: UInt32) {
        bytes.append(UInt8((v >> 16) & 0xff)); bytes.append(UInt8((v >> 8) & 0xff)); bytes.append(UInt8(v & 0xff))
    }
    public mutating func append(_ b: [UInt8]) { bytes += b }

    /// Writes `body` prefixed with its length in `prefixBytes` (1, 2 or 3) bytes.
    public mutating func lengthPrefixed(_ prefixBytes: Int, _ body: (inout ByteWriter) -> Void) {
        var inner = ByteWriter()
        body(&inner)
        let n = inner.bytes.count
        switch prefixBytes {
        case 1: u8(UInt8(truncatingIfNeeded: n))
        case 2: u16(UInt16(truncatingIfNeeded: n))
        default: u24(UInt32(truncatingIfNeeded: n))
        }
        bytes += inner.bytes
    }
}

/// Reads big-endian integers from a byte slice with strict bounds.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset: Int
    private let end: Int
    /// What is being parsed, for error messages.
    public let context: String

    public init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
        self.context = context
    }

    public init(_ bytes: ArraySlice<UInt8>, context: String) {
        self.init(Array(bytes), context: context)
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    public mutating func u8() throws(WireParseError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(context) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16() throws(WireParseError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(context) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func u24() throws(WireParseError) -> UInt32 {
        guard remaining >= 3 else { throw .truncated(context) }
        defer { offset += 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    public mutating func bytes(_ n: Int) throws(WireParseError) -> [UInt8] {
        guard n >= 0, remaining >= n else { throw .truncated(context) }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    public mutating func skip(_ n: Int) throws(WireParseError) {
        guard n >= 0, remaining >= n else { throw .truncated(context) }
        offset += n
    }

    /// A sub-reader over a block prefixed by its length in `prefixBytes` (1, 2 or 3) bytes.
    public mutating func lengthPrefixed(_ prefixBytes: Int, context: String? = nil) throws(WireParseError) -> ByteReader {
        let n: Int
        switch prefixBytes {
        case 1: n = Int(try u8())
        case 2: n = Int(try u16())
        default: n = Int(try u24())
        }
        return ByteReader(try bytes(n), context: context ?? self.context)
    }

    /// All remaining bytes.
    public mutating func rest() -> [UInt8] {
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Lower-case hex with a fixed number of digits (no Foundation in the pure core).
public func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// Hex dump of a few bytes for error messages.
public func hexPreview(_ bytes: some Collection<UInt8>, limit: Int = 16) -> String {
    bytes.prefix(limit).map { hex($0, digits: 2) }.joined(separator: " ") + (bytes.count > limit ? " …" : "")
}
