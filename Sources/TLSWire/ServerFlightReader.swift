/// Incremental reader of a server's first flight: TLS records (or one SSLv2 record), with
/// handshake messages reassembled across records and split out of shared records.
///
/// Feed bytes as they arrive with `append`, then drain `next()` until it returns nil (need more
/// bytes). Limits keep hostile input bounded: record bodies ≤ 2^14 + 2048, one handshake
/// message ≤ `maxHandshakeMessage`, total bytes ≤ `maxFlightBytes`. Every violation is a typed
/// `WireParseError`; nothing traps and nothing grows without bound.
public struct ServerFlightReader: Sendable {
    /// One unit of the server's flight.
    public enum Message: Sendable, Equatable {
        case handshake(type: UInt8, body: [UInt8])
        case alert(Alert)
        case changeCipherSpec
        /// Encrypted records (TLS 1.3 after the ServerHello) or application data: only the size.
        case opaque(contentType: UInt8, length: Int)
        case sslv2ServerHello(SSLv2.ServerHello)
        case sslv2Error(code: UInt16)
    }

    public struct Limits: Sendable {
        public var maxFlightBytes: Int
        public var maxHandshakeMessage: Int
        public init(maxFlightBytes: Int = 256 * 1024, maxHandshakeMessage: Int = 128 * 1024) {
            self.maxFlightBytes = maxFlightBytes
            self.maxHandshakeMessage = maxHandshakeMessage
        }
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var handshakeBuffer: [UInt8] = []
    public private(set) var totalBytes = 0
    /// The framing seen: nil until the first byte arrives.
    public private(set) var framing: Framing?
    /// Record-layer version of the first TLS record.
    public private(set) var firstRecordVersion: UInt16?

    public enum Framing: Sendable, Equatable { case tls, sslv2 }

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Bytes received but not yet turned into messages.
    public var pendingBytes: Int { buffer.count - consumed + handshakeBuffer.count }

    public mutating func append(_ bytes: [UInt8]) throws(WireParseError) {
        totalBytes += bytes.count
        guard totalBytes <= limits.maxFlightBytes else {
            throw .tooLarge(what: "server flight", size: totalBytes, limit: limits.maxFlightBytes)
        }
        if consumed > 0 {
            buffer.removeFirst(consumed)
            consumed = 0
        }
        buffer += bytes
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() throws(WireParseError) -> Message? {
        while true {
            if let m = try nextHandshakeMessage() { return m }
            let available = buffer.count - consumed
            guard available > 0 else { return nil }
            let first = buffer[consumed]
            if framing == nil {
                // SSLv2 servers answer with a 2-byte header (high bit set); TLS records start 20…24.
                if first & 0x80 != 0 {
                    framing = .sslv2
                } else if (20...24).contains(first) {
                    framing = .tls
                } else {
                    throw .notTLS(preview: hexPreview(buffer[consumed...]) + printablePreview(buffer[consumed...]))
                }
            }
            if framing == .sslv2 { return try nextSSLv2() }
            // TLS record header.
            guard available >= 5 else {
                if available >= 1 && !(20...24).contains(first) { throw .notTLS(preview: hexPreview(buffer[consumed...])) }
                return nil
            }
            let type = first
            let version = UInt16(buffer[consumed + 1]) << 8 | UInt16(buffer[consumed + 2])
            let length = Int(buffer[consumed + 3]) << 8 | Int(buffer[consumed + 4])
            guard (20...24).contains(type) else { throw .invalid("record content type \(type)") }
            guard version >> 8 == 3 || version == 0x0002 else {
                throw .notTLS(preview: hexPreview(buffer[consumed...]) + printablePreview(buffer[consumed...]))
            }
            guard length <= TLSRecord.maxBody else { throw .tooLarge(what: "record", size: length, limit: TLSRecord.maxBody) }
            guard available >= 5 + length else { return nil }
            if firstRecordVersion == nil { firstRecordVersion = version }
            let body = Array(buffer[(consumed + 5)..<(consumed + 5 + length)])
            consumed += 5 + length
            switch ContentType(rawValue: type) {
            case .handshake:
                guard !body.isEmpty else { throw .invalid("empty handshake record") }
                // Bounded: nextHandshakeMessage (top of the loop) rejects any declared length over
                // the limit, so the buffer holds at most one message plus one record.
                handshakeBuffer += body
                continue
            case .alert:
                guard handshakeBuffer.isEmpty else { throw .unexpected("alert inside a fragmented handshake message") }
                return .alert(try Alert.parse(body))
            case .changeCipherSpec:
                return .changeCipherSpec
            default:
                return .opaque(contentType: type, length: length)
            }
        }
    }

    private mutating func nextHandshakeMessage() throws(WireParseError) -> Message? {
        guard handshakeBuffer.count >= 4 else { return nil }
        let length = Int(handshakeBuffer[1]) << 16 | Int(handshakeBuffer[2]) << 8 | Int(handshakeBuffer[3])
        guard length <= limits.maxHandshakeMessage else {
            throw .tooLarge(what: "handshake message type \(handshakeBuffer[0])", size: length, limit: limits.maxHandshakeMessage)
        }
        guard handshakeBuffer.count >= 4 + length else { return nil }
        let type = handshakeBuffer[0]
        let body = Array(handshakeBuffer[4..<(4 + length)])
        handshakeBuffer.removeFirst(4 + length)
        return .handshake(type: type, body: body)
    }

    private mutating func nextSSLv2() throws(WireParseError) -> Message? {
        let available = buffer.count - consumed
        guard available >= 2 else { return nil }
        let b0 = buffer[consumed], b1 = buffer[consumed + 1]
        let header: Int, length: Int, padding: Int
        if b0 & 0x80 != 0 {
            header = 2
            length = Int(b0 & 0x7f) << 8 | Int(b1)
            padding = 0
        } else {
            guard available >= 3 else { return nil }
            header = 3
            length = Int(b0 & 0x3f) << 8 | Int(b1)
            padding = Int(buffer[consumed + 2])
        }
        guard length > 0 else { throw .invalid("empty SSLv2 record") }
        guard available >= header + length else { return nil }
        let body = Array(buffer[(consumed + header)..<(consumed + header + length - min(padding, length))])
        consumed += header + length
        guard let type = body.first else { throw .invalid("empty SSLv2 record") }
        switch type {
        case SSLv2.serverHelloType:
            return .sslv2ServerHello(try SSLv2.parseServerHello(body))
        case SSLv2.errorType:
            var r = ByteReader(body, context: "SSLv2 ERROR")
            _ = try r.u8()
            return .sslv2Error(code: try r.u16())
        default:
            throw .unexpected("SSLv2 message type \(type)")
        }
    }

    private func printablePreview(_ bytes: ArraySlice<UInt8>) -> String {
        let text = bytes.prefix(24).map { (32...126).contains($0) ? Character(UnicodeScalar($0)) : "." }
        return " \"" + String(text) + "\""
    }
}
