import NftModel
import Synchronization

/// A set prepared for fast concrete lookups (hash for exact keys, binary search for intervals) —
/// a 100,000-element interval set is looked up per packet, not scanned. The lookup table is built
/// on the first concrete lookup: a summary that only reads the set symbolically never pays for it.
final class SetIndex: Sendable {
    let set: NftSet
    private let usesIntervals: Bool
    private let isInterval: Bool
    /// Elements can change at run time (timeouts, dynamic updates from the packet path).
    let isDynamic: Bool
    /// The catch-all element (`*`), which matches every key no other element matches.
    let catchall: Int?

    private struct Table {
        /// Exact (non-interval) keys → element index.
        var exact: [[UInt8]: Int] = [:]
        /// Non-concatenated interval elements sorted by lower bound (keys up to 16 bytes as integers).
        var intervals: [(lo: UInt128, hi: UInt128, index: Int)] = []
    }
    private let table = Mutex<Table?>(nil)

    init(set: NftSet, updatedFromPacketPath: Bool) {
        self.set = set
        let isConcat = set.fieldLengths.count > 1
        isInterval = set.flags.contains(.interval) || set.elements.contains { $0.keyEnd != nil }
        usesIntervals = isInterval && !isConcat && set.keyLength <= 16
        catchall = set.elements.firstIndex { $0.isCatchall }
        isDynamic = updatedFromPacketPath || set.flags.contains(.timeout) || set.flags.contains(.eval)
            || set.elements.contains { $0.hasTimeout }
    }

    private func build() -> Table {
        var t = Table()
        if usesIntervals {
            t.intervals.reserveCapacity(set.elements.count)
            for (i, e) in set.elements.enumerated() where !e.isCatchall {
                t.intervals.append((AddressSet.integer(e.key), AddressSet.integer(e.keyEnd ?? e.key), i))
            }
            t.intervals.sort { $0.lo < $1.lo }
        } else if !isInterval {
            for (i, e) in set.elements.enumerated() where !e.isCatchall { t.exact[e.key] = i }
        }
        return t
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
    /// The element matching a concrete key (the catch-all when no other does), if any.
    func find(_ key: [UInt8]) -> Int? {
        if !usesIntervals && isInterval {
            // Concatenated intervals: every field within its own range.
            for (i, e) in set.elements.enumerated() where !e.isCatchall && matchesFields(key, e) { return i }
            return catchall
        }
        let hit = table.withLock { t -> Int? in
            if t == nil { t = build() }
            return find(key, in: t!)
        }
        return hit ?? catchall
    }

    private func find(_ key: [UInt8], in t: Table) -> Int? {
        let intervals = t.intervals
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
        return t.exact[Array(key.prefix(set.keyLength))]
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
