/// Text forms of IPv4/IPv6 addresses, shared by the renderer, the evaluator's answers and the
/// listener table so that one address always prints the same way.
public enum IPAddressText {
    /// Dotted quad for 4 bytes; RFC 5952 for 16 (lower case, the longest run of two or more zero
    /// groups — the first on ties — as `::`). With `mappedIPv4AsDotted`, ::ffff:a.b.c.d as `ss` prints it.
    public static func format(_ bytes: [UInt8], mappedIPv4AsDotted: Bool = false) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        if mappedIPv4AsDotted, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return "::ffff:" + format(Array(bytes[12..<16]))
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ g: ArraySlice<UInt16>) -> String { g.map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return hex(groups[...]) }
        return hex(groups[..<bestStart]) + "::" + hex(groups[(bestStart + bestLength)...])
    }

    /// Parses a textual IPv4 or IPv6 address (including a dotted IPv4 tail, ::ffff:a.b.c.d) into
    /// 4 or 16 bytes; nil when it is not one.
    public static func parse(_ text: String) -> [UInt8]? {
        if !text.contains(":") { return parseIPv4(Substring(text)) }
        var tail4: [UInt8] = []
        var body = Substring(text)
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(body[body.index(after: lastColon)...]) else { return nil }
            tail4 = v4
            body = body[...lastColon]
            if body.hasSuffix(":") && !body.hasSuffix("::") { body = body.dropLast() }
        }
        let groupsWanted = 8 - tail4.count / 2
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for part in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(part.count), let g = UInt16(part, radix: 16) else { return nil }
                out.append(g)
            }
            return out
        }
        var all: [UInt16]
        if let range = body.firstRange(of: "::") {
            guard let head = groups(body[..<range.lowerBound]), let rest = groups(body[range.upperBound...]),
                  !body[range.upperBound...].contains("::"),
                  head.count + rest.count <= groupsWanted - 1
            else { return nil }
            all = head + Array(repeating: 0, count: groupsWanted - head.count - rest.count) + rest
        } else {
            guard let g = groups(body), g.count == groupsWanted else { return nil }
            all = g
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } + tail4
    }

    private static func parseIPv4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }
}
