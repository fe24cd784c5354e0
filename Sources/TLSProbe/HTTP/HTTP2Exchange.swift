/// `GET /` over HTTP/2 (RFC 9113) on a connection where ALPN chose h2: the bytes the probe sends
/// and a reader that turns the server's frames into the response head. Speaking h2 on that
/// connection spares the probe a second full handshake (one without ALPN, for HTTP/1.1) against
/// every h2 server. Pure: the bytes travel over TLS elsewhere.
enum HTTP2Exchange {
    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    /// SETTINGS_MAX_FRAME_SIZE's default: the probe never announces a larger one.
    static let maxFrameSize = 16_384

    enum FrameType: UInt8 {
        case data = 0x0, headers = 0x1, priority = 0x2, rstStream = 0x3, settings = 0x4
        case pushPromise = 0x5, ping = 0x6, goAway = 0x7, windowUpdate = 0x8, continuation = 0x9
    }

    /// Preface, SETTINGS (server push off) and the HEADERS of `GET /` on stream 1, ending the stream.
    static func request(authority: String, userAgent: String) -> [UInt8] {
        var out = preface
        out += frame(.settings, flags: 0, stream: 0, payload: [0x00, 0x02, 0x00, 0x00, 0x00, 0x00])
        out += frame(.headers, flags: 0x04 | 0x01, stream: 1,
                     payload: HPACKRequest.getRoot(authority: authority, userAgent: userAgent))
        return out
    }

    static func frame(_ type: FrameType, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type.rawValue, flags,
                UInt8(stream >> 24 & 0x7f), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff)] + payload
    }

    /// Reads the server's frames as they arrive until the final response head of stream 1.
    struct ResponseReader {
        private var buffer: [UInt8] = []
        private var block: [UInt8] = []
        /// A HEADERS frame without END_HEADERS was read: only CONTINUATION may follow.
        private var continuing: UInt32?
        private var decoder = HPACKDecoder()

        enum Progress: Equatable {
            case needMore
            case head(HTTPResponseHead)
            case failed(String)
        }

        mutating func feed(_ bytes: [UInt8]) -> Progress {
            buffer += bytes
            var offset = 0
            defer { buffer.removeFirst(offset) }
            while buffer.count - offset >= 9 {
                let b = offset
                let length = Int(buffer[b]) << 16 | Int(buffer[b + 1]) << 8 | Int(buffer[b + 2])
                guard length <= HTTP2Exchange.maxFrameSize else { return .failed("HTTP/2 frame of \(length) bytes, above the \(HTTP2Exchange.maxFrameSize) allowed") }
                guard buffer.count - offset >= 9 + length else { return .needMore }
                let type = buffer[b + 3], flags = buffer[b + 4]
                let stream = UInt32(buffer[b + 5] & 0x7f) << 24 | UInt32(buffer[b + 6]) << 16 | UInt32(buffer[b + 7]) << 8 | UInt32(buffer[b + 8])
                let payload = Array(buffer[(b + 9)..<(b + 9 + length)])
                offset += 9 + length
                if let progress = handle(type: type, flags: flags, stream: stream, payload: payload) { return progress }
            }
            return .needMore
        }

        private mutating func handle(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> Progress? {
            if let expected = continuing {
                guard type == FrameType.continuation.rawValue, stream == expected else {
                    return .failed("HTTP/2 protocol error: frame type \(type) inside a header block")
                }
                block += payload
                return flags & 0x04 != 0 ? endOfBlock(stream: stream) : nil
            }
            switch FrameType(rawValue: type) {
            case .headers:
                var fragment = payload[...]
                if flags & 0x08 != 0 {  // PADDED
                    guard let pad = fragment.first, Int(pad) < fragment.count else { return .failed("HTTP/2 HEADERS padding longer than the frame") }
                    fragment = fragment.dropFirst().dropLast(Int(pad))
                }
                if flags & 0x20 != 0 {  // PRIORITY
                    guard fragment.count >= 5 else { return .failed("HTTP/2 HEADERS frame too short") }
                    fragment = fragment.dropFirst(5)
                }
                block = Array(fragment)
                if flags & 0x04 != 0 { return endOfBlock(stream: stream) }
                continuing = stream
                return nil
            case .continuation:
                return .failed("HTTP/2 protocol error: CONTINUATION without HEADERS")
            case .pushPromise:
                return .failed("HTTP/2 protocol error: PUSH_PROMISE although push was disabled")
            case .rstStream where stream == 1:
                return .failed("HTTP/2 stream reset by the server (error code \(Self.code(payload)))")
            case .goAway:
                return .failed("HTTP/2 GOAWAY from the server before the response (error code \(Self.code(payload.dropFirst(4))))")
            default:
                // SETTINGS, PING, WINDOW_UPDATE, PRIORITY, DATA: nothing the head depends on.
                return nil
            }
        }

        private mutating func endOfBlock(stream: UInt32) -> Progress? {
            continuing = nil
            let fields: [(name: String, value: String)]
            do { fields = try decoder.decode(block) } catch { return .failed(error.description) }
            block = []
            guard stream == 1 else { return nil }
            guard let statusText = fields.first(where: { $0.name == ":status" })?.value, let status = Int(statusText) else {
                return .failed("HTTP/2 response without :status")
            }
            // 1xx (e.g. 103 Early Hints) precedes the final head.
            if (100..<200).contains(status) { return nil }
            return .head(HTTPResponseHead(version: "HTTP/2", status: status, reason: "",
                                          headers: fields.filter { !$0.name.hasPrefix(":") }))
        }

        private static func code(_ bytes: some Collection<UInt8>) -> UInt32 {
            bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
    }
}
