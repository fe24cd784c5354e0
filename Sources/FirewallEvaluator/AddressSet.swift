import NftModel

/// A set of IPv4 or IPv6 addresses as sorted, disjoint, non-adjacent inclusive intervals over the
/// address read as a big-endian integer (IPv4 in the low 32 bits). Symbolic summaries carry one of
/// these per path: it is exact (no sampling), and every rule condition on the source address is an
/// interval constraint once the address is read as a number.
public struct AddressSet: Sendable, Hashable, CustomStringConvertible {
    public struct Interval: Sendable, Hashable {
        public var lower: UInt128
        public var upper: UInt128
        public init(_ lower: UInt128, _ upper: UInt128) {
            self.lower = lower
            self.upper = upper
        }
    }

    public let version: IPVersion
    /// Sorted, disjoint and non-adjacent.
    public private(set) var intervals: [Interval]

    public init(version: IPVersion, intervals: [Interval] = []) {
        self.version = version
        self.intervals = AddressSet.normalize(intervals)
    }

    /// Largest address of the family (2^32-1 or 2^128-1).
    public static func maxAddress(_ version: IPVersion) -> UInt128 {
        version == .ipv4 ? UInt128(UInt32.max) : UInt128.max
    }

    public static func all(_ version: IPVersion) -> AddressSet {
        AddressSet(version: version, intervals: [Interval(0, maxAddress(version))])
    }

    public static func empty(_ version: IPVersion) -> AddressSet { AddressSet(version: version) }

    public static func single(_ address: [UInt8], version: IPVersion) -> AddressSet {
        let v = AddressSet.integer(address)
        return AddressSet(version: version, intervals: [Interval(v, v)])
    }

    /// The set for a CIDR prefix (`address/length`).
    public static func prefix(_ address: [UInt8], length: Int, version: IPVersion) -> AddressSet {
        let bits = version.addressLength * 8
        let hostBits = bits - length
        let base = AddressSet.integer(address)
        let hostMask: UInt128 = hostBits >= 128 ? UInt128.max : (UInt128(1) << hostBits) - 1
        let low = base & ~hostMask
        return AddressSet(version: version, intervals: [Interval(low, low | hostMask)])
    }

    public var isEmpty: Bool { intervals.isEmpty }
    public var isAll: Bool {
        intervals.count == 1 && intervals[0].lower == 0 && intervals[0].upper == AddressSet.maxAddress(version)
    }

    public func contains(_ address: UInt128) -> Bool {
        var lo = 0, hi = intervals.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if address < intervals[mid].lower { hi = mid - 1 }
            else if address > intervals[mid].upper { lo = mid + 1 }
            else { return true }
        }
        return false
    }

    public func union(_ other: AddressSet) -> AddressSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        // Linear merge of two sorted lists, coalescing overlaps and neighbours.
        var out: [Interval] = []
        out.reserveCapacity(intervals.count + other.intervals.count)
        var i = 0, j = 0
        let a = intervals, b = other.intervals
        while i < a.count || j < b.count {
            let next: Interval
            if j >= b.count || (i < a.count && a[i].lower <= b[j].lower) { next = a[i]; i += 1 } else { next = b[j]; j += 1 }
            if let last = out.last, last.upper == UInt128.max || next.lower <= last.upper + 1 {
                if next.upper > last.upper { out[out.count - 1].upper = next.upper }
            } else {
                out.append(next)
            }
        }
        var r = AddressSet(version: version)
        r.intervals = out
        return r
    }

    public func intersection(_ other: AddressSet) -> AddressSet {
        // A few intervals against many (one prefix against a 100,000-range remainder): binary search.
        if intervals.count > 32 * other.intervals.count { return sparseIntersection(small: other) }
        if other.intervals.count > 32 * intervals.count { return other.sparseIntersection(small: self) }
        var out: [Interval] = []
        var i = 0, j = 0
        let a = intervals, b = other.intervals
        while i < a.count && j < b.count {
            let lo = max(a[i].lower, b[j].lower)
            let hi = min(a[i].upper, b[j].upper)
            if lo <= hi { out.append(Interval(lo, hi)) }
            if a[i].upper < b[j].upper { i += 1 } else { j += 1 }
        }
        var r = AddressSet(version: version)
        r.intervals = out
        return r
    }

    /// `self ∩ small` in O(k log n + output) for a `small` set of k intervals.
    private func sparseIntersection(small: AddressSet) -> AddressSet {
        var out: [Interval] = []
        for s in small.intervals {
            // First interval of self whose upper bound reaches s.lower.
            var lo = 0, hi = intervals.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if intervals[mid].upper < s.lower { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < intervals.count && intervals[i].lower <= s.upper {
                out.append(Interval(max(intervals[i].lower, s.lower), min(intervals[i].upper, s.upper)))
                i += 1
            }
        }
        var r = AddressSet(version: version)
        r.intervals = out
        return r
    }

    public func complement() -> AddressSet {
        var out: [Interval] = []
        var next: UInt128 = 0
        var exhausted = false
        for iv in intervals {
            if iv.lower > next { out.append(Interval(next, iv.lower - 1)) }
            if iv.upper == AddressSet.maxAddress(version) { exhausted = true; break }
            next = iv.upper + 1
        }
        if !exhausted { out.append(Interval(next, AddressSet.maxAddress(version))) }
        var r = AddressSet(version: version)
        r.intervals = out
        return r
    }

    public func subtracting(_ other: AddressSet) -> AddressSet {
        if other.isEmpty || isEmpty { return self }
        var out: [Interval] = []
        var j = 0
        let b = other.intervals
        for var iv in intervals {
            while j < b.count && b[j].upper < iv.lower { j += 1 }
            var k = j
            var alive = true
            while k < b.count && b[k].lower <= iv.upper {
                if b[k].lower > iv.lower { out.append(Interval(iv.lower, b[k].lower - 1)) }
                if b[k].upper >= iv.upper { alive = false; break }
                iv.lower = b[k].upper + 1
                k += 1
            }
            if alive { out.append(iv) }
        }
        var r = AddressSet(version: version)
        r.intervals = out
        return r
    }

    /// The minimal list of CIDR prefixes whose union is exactly this set.
    public var cidrs: [String] {
        var out: [String] = []
        let bits = version.addressLength * 8
        for iv in intervals {
            var start = iv.lower
            while true {
                // Largest block aligned at `start` that does not pass `iv.upper`.
                var size = start == 0 ? bits : min(bits, start.trailingZeroBitCount)
                while size > 0 {
                    let span: UInt128 = size >= 128 ? UInt128.max : (UInt128(1) << size) - 1
                    if span <= iv.upper - start { break }
                    size -= 1
                }
                out.append("\(AddressSet.format(start, version: version))/\(bits - size)")
                let span: UInt128 = size >= 128 ? UInt128.max : (UInt128(1) << size) - 1
                if iv.upper - start == span { break }
                start = start + span + 1
            }
        }
        return out
    }

    public var description: String { isEmpty ? "nothing" : cidrs.joined(separator: ", ") }

    // MARK: conversions

    public static func integer(_ bytes: [UInt8]) -> UInt128 {
        var v: UInt128 = 0
        for b in bytes { v = v << 8 | UInt128(b) }
        return v
    }

    public static func bytes(_ value: UInt128, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
    }

    public static func format(_ value: UInt128, version: IPVersion) -> String {
        format(bytes: bytes(value, count: version.addressLength))
    }

    /// Text form of 4 or 16 address bytes (RFC 5952 compression for IPv6).
    public static func format(bytes: [UInt8]) -> String { IPAddressText.format(bytes) }

    /// Parses a textual IPv4/IPv6 address into bytes.
    public static func parse(_ text: String) -> (IPVersion, [UInt8])? {
        guard let bytes = IPAddressText.parse(text) else { return nil }
        return (bytes.count == 4 ? .ipv4 : .ipv6, bytes)
    }

    /// Parses "ADDR" or "ADDR/LEN".
    public static func parseCIDR(_ text: String) -> AddressSet? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let (version, bytes) = parse(String(first)) else { return nil }
        if parts.count == 1 { return single(bytes, version: version) }
        guard let len = Int(parts[1]), len >= 0, len <= version.addressLength * 8 else { return nil }
        return prefix(bytes, length: len, version: version)
    }

    private static func normalize(_ input: [Interval]) -> [Interval] {
        if input.count <= 1 { return input }
        // Already sorted, disjoint and non-adjacent (set elements usually are): keep as is.
        var clean = true
        for i in 1..<input.count where input[i - 1].upper == UInt128.max || input[i].lower <= input[i - 1].upper + 1 {
            clean = false
            break
        }
        if clean { return input }
        let sorted = input.sorted { $0.lower < $1.lower }
        var out: [Interval] = [sorted[0]]
        out.reserveCapacity(sorted.count)
        for iv in sorted.dropFirst() {
            let last = out[out.count - 1]
            if last.upper == UInt128.max || iv.lower <= last.upper + 1 {
                if iv.upper > last.upper { out[out.count - 1].upper = iv.upper }
            } else {
                out.append(iv)
            }
        }
        return out
    }
}
