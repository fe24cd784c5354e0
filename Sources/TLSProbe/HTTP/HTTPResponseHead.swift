/// The status line and headers of an HTTP/1.x response, parsed from raw bytes. Pure: the bytes
/// come from a socket or a TLS connection elsewhere.
public struct HTTPResponseHead: Sendable, Equatable {
    public var version: String
    public var status: Int
    public var reason: String
    /// Header fields in order; names as sent.
    public var headers: [(name: String, value: String)]

    public static func == (a: HTTPResponseHead, b: HTTPResponseHead) -> Bool {
        a.version == b.version && a.status == b.status && a.reason == b.reason
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The end of the header block (an empty line) has not arrived yet.
        case incomplete
        case notHTTP(String)
        case malformedStatusLine(String)
        case malformedHeader(String)
        public var description: String {
            switch self {
            case .incomplete: "response headers incomplete"
            case .notHTTP(let s): "not an HTTP response: \(s)"
            case .malformedStatusLine(let s): "malformed HTTP status line: \(s)"
            case .malformedHeader(let s): "malformed HTTP header line: \(s)"
            }
        }
    }

    /// All values of header `name` (case-insensitive).
    public func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// Index just past the blank line ending the header block, if it has arrived (CRLF or bare LF).
    public static func headerEnd(in bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { return i + 2 }
                if i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// Parses the head from `bytes` (which may carry body bytes after it).
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> HTTPResponseHead {
        guard bytes.starts(with: Array("HTTP/".utf8)) else {
            throw .notHTTP(printablePrefix(bytes))
        }
        guard let end = headerEnd(in: bytes) else { throw .incomplete }
        // Split on LF bytes: in a Swift String "\r\n" is one Character and would not split on "\n".
        var lines: [String] = bytes[..<end].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let statusLine = lines.first else { throw .malformedStatusLine("") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              let status = Int(parts[1]), (100...599).contains(status) else {
            throw .malformedStatusLine(String(statusLine.prefix(80)))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                throw .malformedHeader(String(line.prefix(80)))
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            headers.append((String(line[..<colon]), value))
        }
        return HTTPResponseHead(version: String(parts[0]), status: status,
                                reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }

    static func printablePrefix(_ bytes: [UInt8], limit: Int = 40) -> String {
        String(bytes.prefix(limit).map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "." })
    }

    /// 301/302/307/308 with a Location whose scheme is https.
    public var isRedirectToHTTPS: Bool {
        guard [301, 302, 307, 308].contains(status), let location = values("Location").first else { return false }
        return location.lowercased().hasPrefix("https://")
    }
}

extension StringProtocol {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
