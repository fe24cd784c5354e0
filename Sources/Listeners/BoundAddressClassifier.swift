import NftModel

/// Pure rules about a bound address: its text, its binding class, and which IP versions of
/// incoming packets it accepts. Kept apart from the socket I/O so every edge case (v4-mapped
/// addresses, v6only, 127.0.0.0/8) is unit-tested from bytes.
public enum BoundAddressClassifier {
    /// The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), or nil.
    public static func mappedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return Array(bytes[12..<16])
    }

    /// Classifies address bytes (4 for IPv4, 16 for IPv6).
    public static func classify(_ bytes: [UInt8]) -> BindingClass {
        if bytes.count == 16, let v4 = mappedIPv4(bytes) { return classify(v4) }
        if bytes.count == 4 {
            if bytes.allSatisfy({ $0 == 0 }) { return .wildcard }
            if bytes[0] == 127 { return .loopback }
            return .specific
        }
        if bytes.allSatisfy({ $0 == 0 }) { return .wildcard }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        return .specific
    }

    /// The IP versions of incoming packets a socket can receive from other hosts.
    /// - IPv4 socket: IPv4, unless loopback.
    /// - IPv6 socket on a v4-mapped address: IPv4 only (that is all it can match).
    /// - IPv6 wildcard without IPV6_V6ONLY: both (dual stack); with it: IPv6 only.
    /// - IPv6 specific address: IPv6 only. Loopback: none.
    public static func acceptedVersions(family: IPVersion, address bytes: [UInt8], v6only: Bool) -> [IPVersion] {
        let binding = classify(bytes)
        if binding == .loopback { return [] }
        if family == .ipv4 { return [.ipv4] }
        if mappedIPv4(bytes) != nil { return v6only ? [] : [.ipv4] }
        if binding == .wildcard { return v6only ? [.ipv6] : [.ipv4, .ipv6] }
        return [.ipv6]
    }

    /// Same as above from the textual address kept in `Listener` (as `format` wrote it) and its
    /// class, without parsing it again: this runs for every socket of a 10,000-socket host.
    public static func acceptedVersions(family: IPVersion, address: String, v6only: Bool, binding: BindingClass) -> [IPVersion] {
        if binding == .loopback { return [] }
        if family == .ipv4 { return [.ipv4] }
        if address.hasPrefix("::ffff:") && address.contains(".") { return v6only ? [] : [.ipv4] }
        if binding == .wildcard { return v6only ? [.ipv6] : [.ipv4, .ipv6] }
        return [.ipv6]
    }

    /// Text of an address: dotted quad for 4 bytes; RFC 5952 for 16 (longest zero run compressed,
    /// lowercase hex, v4-mapped shown as ::ffff:a.b.c.d), as `ss` prints them.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        if let v4 = mappedIPv4(bytes) { return "::ffff:" + format(v4) }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        // Longest run of at least two zero groups (first one on ties).
        var best = (start: -1, length: 0)
        var i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > best.length && j - i >= 2 { best = (i, j - i) }
                i = j
            } else {
                i += 1
            }
        }
        let hex = { (g: ArraySlice<UInt16>) in g.map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.start >= 0 else { return hex(groups[...]) }
        return hex(groups[0..<best.start]) + "::" + hex(groups[(best.start + best.length)...])
    }

    /// Parses a textual IPv4 or IPv6 address (also ::ffff:a.b.c.d) into bytes; nil when invalid.
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
        if let range = body.range(of: "::") {
            guard let head = groups(body[..<range.lowerBound]), let rest = groups(body[range.upperBound...]),
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
