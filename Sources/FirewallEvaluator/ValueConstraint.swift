import NftModel

/// The answer to "does the value in these register cells fall in this set of values?" on one path.
enum ConditionResult {
    /// The same answer for every client address on the path.
    case always(Bool)
    /// True exactly for these values of one symbolic variable.
    case constraint(Variable, AddressSet)
    /// Cannot be evaluated; the reason names what is unknown.
    case unknown(String)
}

/// Turns compares over register cells into client-address constraints.
///
/// A value read from registers is a big-endian byte string. It may contain the client address
/// (possibly masked by a prefix mask, possibly only its first bytes) surrounded by concrete bytes.
/// For a byte-wise ordered compare the set of client addresses whose value lies in [lo, hi] is a
/// single address interval, because "first k address bytes under a prefix mask" is monotone in the
/// address — so every cmp, range and set element becomes an exact interval constraint.
enum ValueConstraint {
    /// Shape of the client part of a read: cells [start, start+count) hold address bytes 0..<count,
    /// masked so that the first `maskBits` bits are kept.
    struct ClientRun {
        var variable: Variable
        var start: Int
        var count: Int
        var maskBits: Int
    }

    enum Shape {
        case concrete([UInt8])
        case withClient([Cell], ClientRun)
        case unknown(String)
    }

    static func shape(_ cells: [Cell], _ regs: RegisterFile) -> Shape {
        if let r = regs.unknownReason(cells) { return .unknown(r) }
        if let c = RegisterFile.concrete(cells) { return .concrete(c) }
        var start = -1, count = 0, maskBits = 0, maskEnded = false
        var variable: Variable? = nil
        for (i, c) in cells.enumerated() {
            guard case .sym(let v, let idx, let mask) = c else { continue }
            if let existing = variable, existing != v {
                return .unknown("one compare over both the client address and the interface name")
            }
            variable = v
            if start < 0 { start = i }
            guard i == start + count, Int(idx) == count else {
                return .unknown("a compare over the \(v == .client ? "client address" : "interface name") in an order the evaluator does not model")
            }
            // The run must be a prefix mask: ff…ff, one partial byte of leading ones, 00…
            let ones = (~mask).leadingZeroBitCount
            let isPrefixByte = UInt8(truncatingIfNeeded: 0xff << (8 - ones)) == mask || mask == 0
            guard isPrefixByte, !(maskEnded && mask != 0) else {
                return .unknown("a non-prefix mask on the \(v == .client ? "client address" : "interface name")")
            }
            if mask != 0xff { maskEnded = true }
            maskBits += mask == 0 ? 0 : ones
            count += 1
        }
        return .withClient(cells, ClientRun(variable: variable!, start: start, count: count, maskBits: maskBits))
    }

    /// True for addresses whose value (cells) lies in one of `ranges` (inclusive, byte strings of
    /// the cells' length, compared big-endian).
    static func inRanges(_ shape: Shape, _ ranges: [(lo: [UInt8], hi: [UInt8])], version: IPVersion) -> ConditionResult {
        // The interface name is 16 bytes: its space is the 128-bit one.
        switch shape {
        case .unknown(let r): return .unknown(r)
        case .concrete(let v):
            for r in ranges where lexLE(r.lo, v) && lexLE(v, r.hi) { return .always(true) }
            return .always(false)
        case .withClient(let cells, let run):
            let space = run.variable == .client ? version : .ipv6
            var intervals: [AddressSet.Interval] = []
            for r in ranges {
                if let iv = clientInterval(cells, run, lo: r.lo, hi: r.hi, version: space) { intervals.append(iv) }
            }
            return .constraint(run.variable, AddressSet(version: space, intervals: intervals))
        }
    }

    /// The client addresses for which C1·x·C2 ∈ [lo, hi] (x = masked client bytes).
    static func clientInterval(_ cells: [Cell], _ run: ClientRun, lo: [UInt8], hi: [UInt8], version: IPVersion) -> AddressSet.Interval? {
        let n = cells.count
        guard lo.count >= n, hi.count >= n else { return nil }
        func concreteByte(_ i: Int) -> UInt8 {
            if case .byte(let b) = cells[i] { return b }
            return 0
        }
        let s = run.start, k = run.count
        let c1 = (0..<s).map(concreteByte)
        let c2 = ((s + k)..<n).map(concreteByte)
        let lo1 = Array(lo[0..<s]), hi1 = Array(hi[0..<s])
        if !lexLE(lo1, c1) || !lexLE(c1, hi1) { return nil }
        let maxX: UInt128 = k >= 16 ? UInt128.max : (UInt128(1) << (8 * k)) - 1
        var xlo: UInt128 = 0
        var xhi: UInt128 = maxX
        if c1 == lo1 {
            xlo = AddressSet.integer(Array(lo[s..<(s + k)]))
            if !lexLE(Array(lo[(s + k)..<n]), c2) {
                if xlo == maxX { return nil }
                xlo += 1
            }
        }
        if c1 == hi1 {
            xhi = AddressSet.integer(Array(hi[s..<(s + k)]))
            if !lexLE(c2, Array(hi[(s + k)..<n])) {
                if xhi == 0 { return nil }
                xhi -= 1
            }
        }
        if xlo > xhi { return nil }
        // x = (first k address bytes) with the low (8k - maskBits) bits cleared.
        let zeroBits = 8 * k - run.maskBits
        let tlo = zeroBits == 0 ? xlo : ((xlo + ((UInt128(1) << zeroBits) - 1)) >> zeroBits)
        let thi = zeroBits == 0 ? xhi : (xhi >> zeroBits)
        if (zeroBits > 0 && xlo > UInt128.max - ((UInt128(1) << zeroBits) - 1)) || tlo > thi { return nil }
        let hostBits = version.addressLength * 8 - run.maskBits
        if hostBits >= 128 { return AddressSet.Interval(0, UInt128.max) }
        let hostMask: UInt128 = (UInt128(1) << hostBits) - 1
        return AddressSet.Interval(tlo << hostBits, (thi << hostBits) | hostMask)
    }

    static func lexLE(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] }
        return a.count <= b.count
    }

    /// The [lo, hi] ranges a cmp operator accepts for an n-byte value.
    static func ranges(op: CmpOp, data: [UInt8]) -> [(lo: [UInt8], hi: [UInt8])] {
        let n = data.count
        let zero = [UInt8](repeating: 0, count: n), ones = [UInt8](repeating: 0xff, count: n)
        switch op {
        case .eq: return [(data, data)]
        case .neq:
            var r: [(lo: [UInt8], hi: [UInt8])] = []
            if let p = decrement(data) { r.append((zero, p)) }
            if let s = increment(data) { r.append((s, ones)) }
            return r
        case .lt: return decrement(data).map { [(zero, $0)] } ?? []
        case .lte: return [(zero, data)]
        case .gt: return increment(data).map { [($0, ones)] } ?? []
        case .gte: return [(data, ones)]
        }
    }

    static func increment(_ v: [UInt8]) -> [UInt8]? {
        var v = v
        var i = v.count - 1
        while i >= 0 {
            if v[i] == 0xff { v[i] = 0; i -= 1 } else { v[i] += 1; return v }
        }
        return nil
    }

    static func decrement(_ v: [UInt8]) -> [UInt8]? {
        var v = v
        var i = v.count - 1
        while i >= 0 {
            if v[i] == 0 { v[i] = 0xff; i -= 1 } else { v[i] -= 1; return v }
        }
        return nil
    }
}
