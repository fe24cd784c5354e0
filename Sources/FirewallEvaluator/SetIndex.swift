import NftModel

/// A set prepared once for fast concrete lookups (hash for exact keys, binary search for
/// intervals) — a 100,000-element interval set is looked up per packet, not scanned.
final class SetIndex: Sendable {
    let set: NftSet
    /// Exact (non-interval) keys → element index.
    private let exact: [[UInt8]: Int]
    /// Non-concatenated interval elements sorted by lower bound (keys up to 16 bytes as integers).
    private let intervals: [(lo: UInt128, hi: UInt128, index: Int)]
    private let usesIntervals: Bool
    /// Elements can change at run time (timeouts, dynamic updates from the packet path).
    let isDynamic: Bool

    init(set: NftSet, updatedFromPacketPath: Bool) {
        self.set = set
        let isConcat = set.fieldLengths.count > 1
        let interval = set.flags.contains(.interval) || set.elements.contains { $0.keyEnd != nil }
        usesIntervals = interval && !isConcat && set.keyLength <= 16
        var exact: [[UInt8]: Int] = [:]
        var ivs: [(lo: UInt128, hi: UInt128, index: Int)] = []
        if usesIntervals {
            ivs.reserveCapacity(set.elements.count)
            for (i, e) in set.elements.enumerated() {
                ivs.append((AddressSet.integer(e.key), AddressSet.integer(e.keyEnd ?? e.key), i))
            }
            ivs.sort { $0.lo < $1.lo }
        } else if !interval {
            for (i, e) in set.elements.enumerated() { exact[e.key] = i }
        }
        self.exact = exact
        self.intervals = ivs
        isDynamic = updatedFromPacketPath || set.flags.contains(.timeout) || set.flags.contains(.eval)
            || set.elements.contains { $0.hasTimeout }
    }

    /// Field layout of a key: each field padded to 4 bytes in registers and keys.
    var fields: [(offset: Int, length: Int)] {
        let lengths = set.fieldLengths.isEmpty ? [set.keyLength] : set.fieldLengths
        var out: [(offset: Int, length: Int)] = []
        var off = 0
        for l in lengths {
            out.append((off, l))
            off += (l + 3) / 4 * 4
        }
        return out
    }

    /// The element matching a concrete key, if any.
    func find(_ key: [UInt8]) -> Int? {
        if usesIntervals {
            let v = AddressSet.integer(Array(key.prefix(set.keyLength)))
            var lo = 0, hi = intervals.count - 1, found: Int? = nil
            while lo <= hi {
                let mid = (lo + hi) / 2
                if intervals[mid].lo <= v { found = mid; lo = mid + 1 } else { hi = mid - 1 }
            }
            if let f = found, v <= intervals[f].hi { return intervals[f].index }
            return nil
        }
        if !exact.isEmpty || set.elements.isEmpty {
            return exact[Array(key.prefix(set.keyLength))]
        }
        // Concatenated intervals: every field within its own range.
        for (i, e) in set.elements.enumerated() where matchesFields(key, e) { return i }
        return nil
    }

    func matchesFields(_ key: [UInt8], _ e: SetElement) -> Bool {
        let end = e.keyEnd ?? e.key
        for f in fields {
            let r = f.offset..<(f.offset + f.length)
            guard r.upperBound <= key.count, r.upperBound <= e.key.count, r.upperBound <= end.count else { return false }
            let k = Array(key[r])
            if !ValueConstraint.lexLE(Array(e.key[r]), k) || !ValueConstraint.lexLE(k, Array(end[r])) { return false }
        }
        return true
    }
}
