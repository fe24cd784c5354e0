import NftModel

/// A set element exactly as one NFTA_LIST_ELEM of a GETSETELEM dump carries it, before interval
/// markers are folded into ranges.
struct RawSetElement: Equatable {
    var key: [UInt8]
    var keyEnd: [UInt8]?
    var flags: UInt32 = 0
    var data: [UInt8]?
    var verdict: Verdict?
    var hasTimeout = false
    var comment: String?

    var isIntervalEnd: Bool { flags & NFT.SetElement.intervalEndFlag != 0 }
    var isCatchall: Bool { flags & NFT.SetElement.catchallFlag != 0 }
}

/// Turns the elements of an interval set back into inclusive ranges.
///
/// The kernel's rbtree backend stores `[a, b)` as a start element `a` and an end element `b`
/// flagged NFT_SET_ELEM_INTERVAL_END (exclusive), dumps them in descending key order, and nft adds
/// an end marker at key 0 when the first range does not start at 0. Two starts in a row mean the
/// first range ends just before the second; a final start without an end runs to the top of the
/// key space (as nft's `interval_map_decompose` reads them). Concatenated ranges (pipapo) carry
/// NFTA_SET_ELEM_KEY_END instead and are already inclusive.
enum IntervalRebuilder {
    static func elements(from raw: [RawSetElement], interval: Bool) -> [SetElement] {
        guard interval else { return raw.map(plain) }
        var ranged: [RawSetElement] = []
        var out: [SetElement] = []
        ranged.reserveCapacity(raw.count)
        for e in raw {
            if e.keyEnd != nil || e.isCatchall { out.append(plain(e)) } else { ranged.append(e) }
        }
        if ranged.isEmpty { return out }
        let ordered = inAscendingOrder(ranged)
        out.reserveCapacity(out.count + ordered.count / 2 + 1)
        var open: RawSetElement?
        for e in ordered {
            if e.isIntervalEnd {
                if let start = open, let last = decremented(e.key), !e.key.lexicographicallyPrecedes(start.key) {
                    if start.key != e.key { out.append(range(start, to: last)) }
                    open = nil
                }
                // An end with no open start is nft's leading zero marker (or a duplicate): nothing to emit.
            } else {
                if let start = open, let last = decremented(e.key) { out.append(range(start, to: last)) }
                open = e
            }
        }
        if let start = open { out.append(range(start, to: [UInt8](repeating: 0xff, count: start.key.count))) }
        return out
    }

    private static func plain(_ e: RawSetElement) -> SetElement {
        SetElement(key: e.key, keyEnd: e.keyEnd, data: e.data, verdict: e.verdict, hasTimeout: e.hasTimeout, comment: e.comment)
    }

    /// A range of one key is stored as a single key (`keyEnd` nil), as the model documents.
    private static func range(_ start: RawSetElement, to last: [UInt8]) -> SetElement {
        SetElement(key: start.key, keyEnd: last == start.key ? nil : last, data: start.data, verdict: start.verdict,
                   hasTimeout: start.hasTimeout, comment: start.comment)
    }

    /// Ascending by key; at equal keys an end sorts before a start (it closes the previous range).
    /// The kernel's descending dump is reversed in O(n); anything else is sorted.
    static func inAscendingOrder(_ elements: [RawSetElement]) -> [RawSetElement] {
        let reversed = Array(elements.reversed())
        if isAscending(reversed) { return reversed }
        if isAscending(elements) { return elements }
        return elements.sorted(by: precedes)
    }

    private static func isAscending(_ a: [RawSetElement]) -> Bool {
        var i = 1
        while i < a.count {
            if precedes(a[i], a[i - 1]) { return false }
            i += 1
        }
        return true
    }

    private static func precedes(_ a: RawSetElement, _ b: RawSetElement) -> Bool {
        if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
        return a.isIntervalEnd && !b.isIntervalEnd
    }

    /// Big-endian `key - 1`; nil for an all-zero key.
    static func decremented(_ key: [UInt8]) -> [UInt8]? {
        var k = key
        var i = k.count - 1
        while i >= 0 {
            if k[i] > 0 { k[i] -= 1; return k }
            k[i] = 0xff
            i -= 1
        }
        return nil
    }
}

