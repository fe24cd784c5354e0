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
    /// Anything besides the key and flags (map data, verdict, timeout, comment).
    var hasExtras: Bool { data != nil || verdict != nil || hasTimeout || comment != nil }
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
        var collector = SetElementCollector(interval: interval)
        for e in raw { collector.add(e) }
        return collector.finish()
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

/// Collects one set's dump with little memory: interval boundaries go into one flat key buffer
/// (4 bytes per IPv4 boundary instead of an array object each), only the elements that carry
/// more than a key (map data, verdicts, timeouts, comments) are kept whole. `finish()` orders the
/// boundaries (the kernel's descending order is recognised in O(n), anything else is sorted) and
/// builds the final `SetElement`s — the only per-element allocations that survive.
struct SetElementCollector {
    let interval: Bool
    private var width: Int?
    private var keys: [UInt8] = []
    private var ends: [Bool] = []
    private var extras: [Int: RawSetElement] = [:]
    private var direct: [SetElement] = []

    init(interval: Bool) { self.interval = interval }

    /// Adds an element parsed into a `RawSetElement`.
    mutating func add(_ e: RawSetElement) {
        if interval, e.keyEnd == nil, !e.isCatchall, width == nil || width == e.key.count {
            width = e.key.count
            if e.hasExtras && !e.isIntervalEnd { extras[ends.count] = e }
            keys.append(contentsOf: e.key)
            ends.append(e.isIntervalEnd)
        } else {
            direct.append(Self.plain(e))
        }
    }

    /// Fast path for the common interval boundary: just a key and its end flag, no allocation.
    /// Returns false when the element does not fit the flat buffer (the caller then uses `add`).
    mutating func addBoundary(key: UnsafeRawBufferPointer, isEnd: Bool) -> Bool {
        guard interval, width == nil || width == key.count else { return false }
        width = key.count
        keys.append(contentsOf: key)
        ends.append(isEnd)
        return true
    }

    func finish() -> [SetElement] {
        guard let w = width, !ends.isEmpty else { return direct }
        let n = ends.count
        let order = boundaryOrder(width: w)
        var out = direct
        out.reserveCapacity(direct.count + n / 2 + 1)
        var open: Int?
        func key(_ i: Int) -> [UInt8] { Array(keys[(i * w)..<((i + 1) * w)]) }
        func emit(_ start: Int, to last: [UInt8]) {
            let k = key(start)
            if let x = extras[start] {
                var e = Self.plain(x)
                e.keyEnd = last == k ? nil : last
                out.append(e)
            } else {
                out.append(SetElement(key: k, keyEnd: last == k ? nil : last))
            }
        }
        for idx in 0..<n {
            let i = order(idx)
            if ends[i] {
                // An end with no open start is nft's leading zero marker (or a duplicate).
                if let s = open, compare(s, i, width: w) <= 0, let last = IntervalRebuilder.decremented(key(i)) {
                    if compare(s, i, width: w) != 0 { emit(s, to: last) }
                    open = nil
                }
            } else {
                if let s = open, let last = IntervalRebuilder.decremented(key(i)) { emit(s, to: last) }
                open = i
            }
        }
        if let s = open { emit(s, to: [UInt8](repeating: 0xff, count: w)) }
        return out
    }

    /// Maps a position in ascending order to a boundary index.
    private func boundaryOrder(width w: Int) -> (Int) -> Int {
        let n = ends.count
        if isOrdered(width: w, descending: true) { return { n - 1 - $0 } }
        if isOrdered(width: w, descending: false) { return { $0 } }
        let sorted = (0..<n).sorted { precedes($0, $1, width: w) }
        return { sorted[$0] }
    }

    private func isOrdered(width w: Int, descending: Bool) -> Bool {
        var i = 1
        while i < ends.count {
            let ok = descending ? !precedes(i - 1, i, width: w) : !precedes(i, i - 1, width: w)
            if !ok { return false }
            i += 1
        }
        return true
    }

    /// Ascending by key; at equal keys an end sorts before a start (it closes the previous range).
    private func precedes(_ a: Int, _ b: Int, width w: Int) -> Bool {
        let c = compare(a, b, width: w)
        if c != 0 { return c < 0 }
        return ends[a] && !ends[b]
    }

    private func compare(_ a: Int, _ b: Int, width w: Int) -> Int {
        keys.withUnsafeBufferPointer { k in
            for j in 0..<w {
                let x = k[a * w + j], y = k[b * w + j]
                if x != y { return x < y ? -1 : 1 }
            }
            return 0
        }
    }

    static func plain(_ e: RawSetElement) -> SetElement {
        var out = SetElement(key: e.isCatchall ? [] : e.key, keyEnd: e.keyEnd, data: e.data, verdict: e.verdict,
                             hasTimeout: e.hasTimeout, comment: e.comment)
        out.isCatchall = e.isCatchall
        return out
    }
}
