import NftModel

/// Interface names as the second symbolic dimension of a summary. The kernel compares names as
/// 16 NUL-padded bytes (`meta iifname`), exact (`"eth0"` with its NUL) or by prefix (`"eth*"`
/// compares only the first bytes); read as a 128-bit big-endian number, every such compare and
/// every name-set lookup is an interval, so sets of interfaces are `AddressSet`s over that space.
enum InterfaceSpace {
    /// Loopback is not an inbound path from outside: summaries leave it out unless asked for.
    static let loopback = "lo"

    static func bytes(_ name: String) -> [UInt8] {
        let b = Array(name.utf8.prefix(15))
        return b + [UInt8](repeating: 0, count: 16 - b.count)
    }

    static func value(_ name: String) -> UInt128 { AddressSet.integer(bytes(name)) }

    static func single(_ name: String) -> AddressSet {
        let v = value(name)
        return AddressSet(version: .ipv6, intervals: [.init(v, v)])
    }

    /// Every interface except loopback.
    static var allButLoopback: AddressSet { AddressSet.all(.ipv6).subtracting(single(loopback)) }

    static func name(_ v: UInt128) -> String {
        let b = AddressSet.bytes(v, count: 16)
        let end = b.firstIndex(of: 0) ?? 16
        return String(decoding: b[..<end], as: UTF8.self)
    }

    /// The one interface name in `set`, if it holds exactly one valid name (values that differ only
    /// after the terminating NUL are the same name to the kernel).
    static func onlyName(_ set: AddressSet) -> String? {
        guard let first = set.intervals.first, let last = set.intervals.last else { return nil }
        let n = name(first.lower)
        guard !n.isEmpty, name(last.upper) == n else { return nil }
        // Every value in the set must spell the same name up to its NUL.
        let lo = value(n)
        let span = UInt128(1) << (8 * (16 - n.utf8.count - 1)) - 1
        return first.lower >= lo && last.upper <= lo | span ? n : nil
    }

    /// Human labels for a set of interfaces: "any", exact names, "eth*" prefixes, or
    /// "any except lo, eth1" for a set missing a few names.
    static func labels(_ set: AddressSet) -> [String] {
        if set.isAll { return ["any"] }
        if set.isEmpty { return [] }
        let missing = AddressSet.all(.ipv6).subtracting(set)
        let direct = describe(set)
        let inverse = describe(missing)
        if let inverse, direct == nil || inverse.count < direct!.count {
            return ["any except " + inverse.joined(separator: ", ")]
        }
        return direct ?? ["\(set.intervals.count) ranges of interface names"]
    }

    /// Exact names and prefix wildcards covering `set` exactly, or nil when it has another shape.
    private static func describe(_ set: AddressSet) -> [String]? {
        var out: [String] = []
        for iv in set.intervals {
            guard let label = label(iv) else { return nil }
            out.append(label)
            if out.count > 64 { return nil }
        }
        return out
    }

    private static func label(_ iv: AddressSet.Interval) -> String? {
        // [prefix·00…, prefix·ff…]: an exact name (prefix ends in NUL) or a wildcard.
        let diff = iv.lower ^ iv.upper
        let freeBits = diff == 0 ? 0 : 128 - diff.leadingZeroBitCount
        let freeMask: UInt128 = freeBits == 0 ? 0 : (freeBits >= 128 ? UInt128.max : (UInt128(1) << freeBits) - 1)
        guard iv.lower & freeMask == 0, iv.upper & freeMask == freeMask, freeBits % 8 == 0 else { return nil }
        let fixed = Array(AddressSet.bytes(iv.lower, count: 16).prefix(16 - freeBits / 8))
        if let nul = fixed.firstIndex(of: 0) {
            return String(decoding: fixed[..<nul], as: UTF8.self)
        }
        return String(decoding: fixed, as: UTF8.self) + "*"
    }
}
