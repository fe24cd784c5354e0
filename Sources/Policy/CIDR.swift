import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 prefix ("10.0.0.0/8", "fd00::/8"; a bare address is a full-length prefix).
/// Used by scopes to pick subjects by address.
public struct CIDR: Sendable, Codable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let b = CIDR.parseAddress(String(parts[0])) else { return nil }
        let maxLen = b.count * 8
        let len = parts.count == 2 ? Int(parts[1]) : maxLen
        guard let len, (0...maxLen).contains(len) else { return nil }
        bytes = b
        prefixLength = len
    }

    public var description: String {
        let addr = CIDR.format(bytes)
        return prefixLength == bytes.count * 8 ? addr : "\(addr)/\(prefixLength)"
    }

    /// Whether `address` (text) lies in this prefix. IPv4-mapped IPv6 addresses match IPv4 prefixes.
    public func contains(_ address: String) -> Bool {
        guard var a = CIDR.parseAddress(address.split(separator: "%").first.map(String.init) ?? address) else { return false }
        if a.count == 16, bytes.count == 4, a[0..<10].allSatisfy({ $0 == 0 }), a[10] == 0xff, a[11] == 0xff {
            a = Array(a[12...])
        }
        guard a.count == bytes.count else { return false }
        var remaining = prefixLength
        for i in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xff : ~(0xff >> UInt8(bits))
            if a[i] & mask != bytes[i] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// Address text to bytes (4 or 16), without the brackets of `[::1]`.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var t = text
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, t, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, t, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func format(_ bytes: [UInt8]) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        return bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buf, socklen_t(buf.count)) != nil ? buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "?"
        }
    }
}
