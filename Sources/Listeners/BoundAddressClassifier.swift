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

    /// Text of an address as `ss` prints it: dotted quad; RFC 5952 with v4-mapped as ::ffff:a.b.c.d.
    public static func format(_ bytes: [UInt8]) -> String {
        IPAddressText.format(bytes, mappedIPv4AsDotted: true)
    }

    /// Parses a textual IPv4 or IPv6 address (also ::ffff:a.b.c.d) into bytes; nil when invalid.
    public static func parse(_ text: String) -> [UInt8]? { IPAddressText.parse(text) }
}
