import NftModel

/// How evaluating one rule ended on one path.
enum RuleExit {
    /// An expression did not match (NFT_BREAK) or the rule ended without a verdict.
    case next
    case verdict(Verdict)
    /// A `reject` (native or xt REJECT): the packet is dropped and the peer told.
    case reject(String)
    /// The rule has an effect the evaluator cannot model.
    case undetermined(String)
}

/// Evaluates the expressions of one rule over one path, splitting the path wherever a condition
/// holds for only part of its client addresses. Mirrors `nft_do_chain`: expressions run in order,
/// a failed match breaks the rule, a verdict written to the verdict register ends it.
struct RuleEvaluation {
    let context: FlowContext
    let position: PacketPosition
    let table: Table
    let sets: (Table, String) -> SetIndex?
    /// More assumptions than this on one path: give up on the path (undetermined).
    static let maxAssumptions = 8

    private struct Work {
        var path: PathState
        var regs: RegisterFile
        var index: Int
        /// Conditions on the symbolic variables met so far in this rule, not yet split off: a rule
        /// is a conjunction, so the path is split once, only if the rule goes on to act — a rule
        /// whose concrete parts fail (a different port) never splits a large address set.
        var pending: [Variable: AddressSet] = [:]
    }

    private func narrowed(_ w: Work) -> PathState {
        var p = w.path
        for (v, s) in w.pending { p.set(v, s) }
        return p
    }

    /// Applies the pending conditions: the part of the path that meets them continues in `w`, the
    /// rest leaves the rule unmatched.
    private func materialize(_ w: inout Work, _ out: inout [(PathState, RuleExit)]) {
        guard !w.pending.isEmpty else { return }
        let m = narrowed(w)
        if let mc = w.pending[.client], let mi = w.pending[.interface] {
            var r1 = w.path
            r1.clients = w.path.clients.subtracting(mc)
            if !r1.clients.isEmpty { out.append((r1, .next)) }
            var r2 = w.path
            r2.clients = mc
            r2.interfaces = w.path.interfaces.subtracting(mi)
            if !r2.interfaces.isEmpty { out.append((r2, .next)) }
        } else if let (v, values) = w.pending.first {
            var r = w.path
            r.set(v, w.path.get(v).subtracting(values))
            if !r.get(v).isEmpty { out.append((r, .next)) }
        }
        w.path = m
        w.pending = [:]
    }

    /// Loads, compares and lookups: they read the path but change nothing on it.
    private static func isPure(_ e: Expression) -> Bool {
        switch e {
        case .payload(let p): return p.dreg != nil
        case .meta(let m): return m.dreg != nil
        case .ct(let c): return c.dreg != nil
        case .exthdr(let x): return x.dreg != nil
        case .immediate(let i): return i.dreg != .verdict
        case .cmp, .range, .bitwise, .lookup, .fib, .counter, .log, .match: return true
        default: return false
        }
    }

    func evaluate(_ rule: Rule, _ path: PathState) -> [(PathState, RuleExit)] {
        var out: [(PathState, RuleExit)] = []
        var stack = [Work(path: path, regs: RegisterFile(), index: 0)]
        while var w = stack.popLast() {
            guard w.index < rule.expressions.count else {
                // The rule ended without a verdict: matched or not, the whole path goes on.
                out.append((w.path, .next))
                continue
            }
            let expr = rule.expressions[w.index]
            w.index += 1
            let result: Step
            if Self.isPure(expr) {
                var view = w.pending.isEmpty ? w.path : narrowed(w)
                result = step(expr, &view, &w.regs)
            } else {
                materialize(&w, &out)
                result = step(expr, &w.path, &w.regs)
            }
            switch result {
            case .proceed:
                stack.append(w)
            case .noMatch:
                out.append((w.path, .next))
            case .exit(let e):
                materialize(&w, &out)
                out.append((w.path, e))
            case .split(let variable, let matching):
                w.pending[variable] = matching
                stack.append(w)
            case .branches(let variable, let branches):
                materialize(&w, &out)
                for b in branches where !b.values.isEmpty {
                    var m = w
                    m.path.set(variable, b.values)
                    if let write = b.write { m.regs.write(write.register, write.cells) }
                    if let v = b.verdict {
                        out.append((m.path, .verdict(v)))
                    } else if b.matched {
                        stack.append(m)
                    } else {
                        out.append((m.path, .next))
                    }
                }
            case .fork(let reason):
                // A stateful match whose rule has no effect either way (`limit … log`, `counter`)
                // cannot change the outcome: no need to follow both branches.
                if rule.expressions[w.index...].allSatisfy(Self.hasNoEffect) {
                    out.append((w.path, .next))
                    continue
                }
                materialize(&w, &out)
                if w.path.assumptions.count >= Self.maxAssumptions {
                    out.append((w.path, .undetermined("too many unknowable conditions on one path (last: \(reason))")))
                    continue
                }
                var yes = w
                yes.path.assumptions.append(Assumption(reason: reason, matched: true))
                stack.append(yes)
                var no = w.path
                no.assumptions.append(Assumption(reason: reason, matched: false))
                out.append((no, .next))
            }
        }
        return out
    }

    /// Expressions that neither decide nor change anything the evaluator tracks.
    static func hasNoEffect(_ e: Expression) -> Bool {
        switch e {
        case .counter, .log, .limit, .quota: return true
        case .immediate(let i): return i.dreg != .verdict || i.verdict == .continue
        case .match(let m): if case .comment? = m.decoded { return true }; if case .limit? = m.decoded { return true }; return false
        case .target(let t):
            switch t.decoded {
            case .log?: return true
            case .nonTerminal(let n)?: return !["MARK", "CONNMARK"].contains(n.uppercased())
            default: return false
            }
        default: return false
        }
    }

    enum Step {
        case proceed
        case noMatch
        case exit(RuleExit)
        /// The condition holds only for these values of the variable (applied when the rule acts).
        case split(Variable, matching: AddressSet)
        /// Map/vmap lookups: one branch per distinct result.
        case branches(Variable, [Branch])
        /// The match cannot be known (stateful, or an unknown packet field): follow both outcomes.
        case fork(String)
    }

    struct Branch {
        var values: AddressSet
        var matched: Bool
        var write: (register: Register, cells: [Cell])?
        var verdict: Verdict?
    }

    private func condition(_ r: ConditionResult, _ path: PathState, _ what: @autoclosure () -> String) -> Step {
        switch r {
        case .always(let b): return b ? .proceed : .noMatch
        case .constraint(let v, let s):
            let current = path.get(v)
            let m = current.intersection(s)
            if m.isEmpty { return .noMatch }
            if m.intervals.count == current.intervals.count && m == current { return .proceed }
            return .split(v, matching: m)
        case .unknown(let reason): return .fork("\(what()) [\(reason)]")
        }
    }

    func step(_ expr: Expression, _ path: inout PathState, _ regs: inout RegisterFile) -> Step {
        let view = PacketView(context: context, position: position, path: path)
        switch expr {
        case .payload(let p):
            if let d = p.dreg {
                let cells = view.payload(p, &regs)
                guard regs.write(d, cells) else { return .exit(.undetermined("payload load into invalid \(d)")) }
                return .proceed
            }
            return .exit(.undetermined("payload write (packet mangling) at \(p.base) offset \(p.offset)"))

        case .meta(let m):
            if let d = m.dreg {
                switch view.meta(m.key, &regs) {
                case .cells(let c): regs.write(d, c)
                case .breakRule: return .noMatch
                }
                return .proceed
            }
            guard let s = m.sreg else { return .exit(.undetermined("meta expression without register")) }
            switch m.key {
            case .mark:
                path.mark = (regs.read(s, 4).flatMap(RegisterFile.concrete)).map { b in
                    UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
                }
                return .proceed
            case .nftrace, .priority:
                return .proceed
            default:
                return .exit(.undetermined("meta key \(m.key.rawValue) set"))
            }

        case .cmp(let c):
            guard let cells = regs.read(c.sreg, c.data.count) else { return .exit(.undetermined("cmp on invalid \(c.sreg)")) }
            let shape = ValueConstraint.shape(cells, regs)
            return condition(ValueConstraint.inRanges(shape, ValueConstraint.ranges(op: c.op, data: c.data), version: context.version),
                             path, "cmp")

        case .range(let r):
            guard let cells = regs.read(r.sreg, r.from.count) else { return .exit(.undetermined("range on invalid \(r.sreg)")) }
            let shape = ValueConstraint.shape(cells, regs)
            var result = ValueConstraint.inRanges(shape, [(r.from, r.to)], version: context.version)
            if r.negated { result = negate(result) }
            return condition(result, path, "range")

        case .bitwise(let b):
            return bitwise(b, &regs)

        case .lookup(let l):
            return lookup(l, path, &regs)

        case .immediate(let i):
            if i.dreg == .verdict {
                let v = i.verdict ?? .unknown(0)
                if case .continue = v { return .proceed }
                return .exit(.verdict(v))
            }
            regs.write(i.dreg, RegisterFile.bytes(i.data))
            return .proceed

        case .ct(let c):
            if let d = c.dreg {
                switch view.ct(c, &regs) {
                case .cells(let cells): regs.write(d, cells)
                case .breakRule: return .noMatch
                }
                return .proceed
            }
            if c.key == .mark, let s = c.sreg {
                path.ctMark = (regs.read(s, 4).flatMap(RegisterFile.concrete)).map { b in
                    UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
                }
                return .proceed
            }
            if c.key == .helper || c.key == .eventmask || c.key == .labels { return .proceed }
            return .exit(.undetermined("ct key \(c.key.rawValue) set"))

        case .nat, .redir, .masq:
            return NatEffect.apply(expr, position: position, view: view, path: &path, regs: regs)

        case .reject(let r):
            let kind = r.type == 1 ? "tcp reset" : "icmp unreachable (code \(r.code))"
            return .exit(.reject(kind))

        case .counter, .log:
            return .proceed

        case .limit(let l):
            return .fork("limit rate \(l.inverted ? "over " : "")\(l.rate)/\(l.unit)s burst \(l.burst)")
        case .quota(let q):
            return .fork("quota \(q.inverted ? "over " : "")\(q.bytes) bytes")
        case .connlimit(let c):
            return .fork("ct count \(c.inverted ? "over " : "")\(c.count)")
        case .dynset(let d):
            return .fork("dynamic set update @\(d.setName)")
        case .objref(let o):
            switch o.type {
            case 1?, 3?: return .proceed  // counter, ct helper: no effect on the decision
            case 2?, 4?, 5?: return .fork("stateful object \(o.name ?? o.setName ?? "?") (type \(o.type!))")
            default: return .exit(.undetermined("object reference \(o.name ?? o.setName ?? "?") of type \(o.type.map(String.init) ?? "?")"))
            }

        case .fib(let f):
            switch view.fib(f, &regs) {
            case .cells(let c): regs.write(f.dreg, c)
            case .breakRule: return .noMatch
            }
            return .proceed

        case .exthdr(let x):
            if let d = x.dreg {
                regs.write(d, regs.unknownCells(Int(x.length), "exthdr (op \(x.op), type \(x.type)): header options"))
                return .proceed
            }
            return .exit(.undetermined("exthdr write (op \(x.op))"))

        case .notrack:
            return .exit(.undetermined("notrack (untracked packets change every ct match)"))
        case .queue(let q):
            return .exit(.undetermined("queue num \(q.number): a userspace program decides"))
        case .match(let m):
            return XtEvaluation.match(m, view: view, regs: &regs, path: path, step: { r, what in condition(r, path, what) })
        case .target(let t):
            return XtEvaluation.target(t, position: position, view: view, path: &path)
        case .opaque(let o):
            return .exit(.undetermined("expression '\(o.name)' is not modelled"))
        }
    }

    private func negate(_ r: ConditionResult) -> ConditionResult {
        switch r {
        case .always(let b): .always(!b)
        case .constraint(let v, let s): .constraint(v, s.complement())
        case .unknown: r
        }
    }

    private func bitwise(_ b: Bitwise, _ regs: inout RegisterFile) -> Step {
        let n = Int(b.length)
        guard let cells = regs.read(b.sreg, n) else { return .exit(.undetermined("bitwise on invalid \(b.sreg)")) }
        var out: [Cell] = []
        switch b.op {
        case .bool:
            for (i, c) in cells.enumerated() {
                let m = i < b.mask.count ? b.mask[i] : 0
                let x = i < b.xor.count ? b.xor[i] : 0
                switch c {
                case .byte(let v): out.append(.byte((v & m) ^ x))
                case .sym(let v, let idx, let cm):
                    if m & cm == 0 { out.append(.byte(x)) }
                    else if x != 0 { out.append(.unknown(regs.reason("bitwise xor over a symbolic value"))) }
                    else { out.append(.sym(v, index: idx, mask: cm & m)) }
                case .unknown: out.append(m == 0 ? .byte(x) : c)
                }
            }
        case .lshift, .rshift:
            guard let v = RegisterFile.concrete(cells) else {
                if let r = regs.unknownReason(cells) { out = regs.unknownCells(n, r) }
                else { out = regs.unknownCells(n, "bit shift over the client address") }
                regs.write(b.dreg, out)
                return .proceed
            }
            // Shifts act on 32-bit words in host byte order.
            let shift = b.shift ?? 0
            var bytes: [UInt8] = []
            for w in stride(from: 0, to: n, by: 4) {
                var word: UInt32 = 0
                for j in 0..<min(4, n - w) { word |= UInt32(v[w + j]) << (8 * j) }
                word = b.op == .lshift ? word << shift : word >> shift
                for j in 0..<min(4, n - w) { bytes.append(UInt8(truncatingIfNeeded: word >> (8 * j))) }
            }
            out = RegisterFile.bytes(bytes)
        }
        regs.write(b.dreg, out)
        return .proceed
    }

    private func lookup(_ l: Lookup, _ path: PathState, _ regs: inout RegisterFile) -> Step {
        guard let index = sets(table, l.setName) else {
            return .exit(.undetermined("lookup in set @\(l.setName), which the ruleset does not contain"))
        }
        let set = index.set
        guard let cells = regs.read(l.sreg, set.keyLength) else { return .exit(.undetermined("lookup on invalid \(l.sreg)")) }
        if index.isDynamic { return .fork("lookup in @\(l.setName), whose elements change at run time") }
        let isMap = l.dreg != nil
        func branch(for element: Int?, clients: AddressSet) -> Branch {
            guard let element else { return Branch(values: clients, matched: l.inverted, write: nil, verdict: nil) }
            if l.inverted { return Branch(values: clients, matched: false, write: nil, verdict: nil) }
            let e = set.elements[element]
            if let d = l.dreg, isMap {
                if d == .verdict { return Branch(values: clients, matched: true, write: nil, verdict: e.verdict ?? .unknown(0)) }
                return Branch(values: clients, matched: true, write: (d, RegisterFile.bytes(e.data ?? [])), verdict: nil)
            }
            return Branch(values: clients, matched: true, write: nil, verdict: nil)
        }
        let shape = ValueConstraint.shape(cells, regs)
        switch shape {
        case .unknown(let r):
            if isMap { return .exit(.undetermined("map lookup @\(l.setName) on an unknown key [\(r)]")) }
            return .fork("lookup @\(l.setName) [\(r)]")
        case .concrete(let key):
            let found = index.find(key)
            let b = branch(for: found, clients: path.clients)
            if let v = b.verdict {
                if case .continue = v { return .proceed }
                return .exit(.verdict(v))
            }
            if let w = b.write { regs.write(w.register, w.cells) }
            return b.matched ? .proceed : .noMatch
        case .withClient(let keyCells, let run):
            // One constraint on the symbolic variable per element, grouped by what the element yields.
            let variable = run.variable
            let current = path.get(variable)
            // Element constraints are collected as raw intervals and normalised once per group:
            // a 100,000-element set costs one sort, not 100,000 unions.
            var groups: [(key: String, element: Int, intervals: [AddressSet.Interval])] = []
            var groupIndex: [String: Int] = [:]
            for (i, e) in set.elements.enumerated() {
                guard let s = elementConstraint(keyCells, e, index, &regs) else { continue }
                if case .unknown(let r) = s {
                    return isMap ? .exit(.undetermined("map lookup @\(l.setName): \(r)")) : .fork("lookup @\(l.setName) [\(r)]")
                }
                var c: [AddressSet.Interval]
                switch s {
                case .constraint(let v, let values):
                    guard v == variable else {
                        return isMap ? .exit(.undetermined("map lookup @\(l.setName) over both address and interface"))
                            : .fork("lookup @\(l.setName) over both address and interface")
                    }
                    c = values.intervals
                case .always(true): c = AddressSet.all(current.version).intervals
                default: continue
                }
                let k = isMap ? "\(e.data ?? [])|\(e.verdict.map { $0.description } ?? "")" : ""
                if let g = groupIndex[k] {
                    groups[g].intervals += c
                } else {
                    groupIndex[k] = groups.count
                    groups.append((k, i, c))
                }
            }
            var matchedAll = AddressSet.empty(current.version)
            var resolved: [(element: Int, clients: AddressSet)] = []
            for g in groups {
                // Elements of an nft set never overlap; subtracting earlier groups keeps branches disjoint anyway.
                let m = current.intersection(AddressSet(version: current.version, intervals: g.intervals)).subtracting(matchedAll)
                if m.isEmpty { continue }
                matchedAll = matchedAll.union(m)
                resolved.append((g.element, m))
            }
            if !isMap {
                // A plain set: one condition on the variable (inverted: its complement).
                return condition(.constraint(variable, l.inverted ? current.subtracting(matchedAll) : matchedAll), path, "lookup")
            }
            var branches = resolved.map { branch(for: $0.element, clients: $0.clients) }
            branches.append(branch(for: nil, clients: current.subtracting(matchedAll)))
            return .branches(variable, branches)
        }
    }

    /// The values of the symbolic variable for which `key` matches element `e`; nil when never.
    private func elementConstraint(_ key: [Cell], _ e: SetElement, _ index: SetIndex, _ regs: inout RegisterFile) -> ConditionResult? {
        let end = e.keyEnd ?? e.key
        var result: ConditionResult = .always(true)
        for f in index.fields {
            let r = f.offset..<(f.offset + f.length)
            guard r.upperBound <= key.count, r.upperBound <= e.key.count, r.upperBound <= end.count else { return nil }
            let fieldCells = Array(key[r])
            let c = ValueConstraint.inRanges(ValueConstraint.shape(fieldCells, regs), [(Array(e.key[r]), Array(end[r]))],
                                             version: context.version)
            switch c {
            case .always(false): return nil
            case .always(true): continue
            case .unknown: return c
            case .constraint(let v, let s):
                switch result {
                case .constraint(let v0, let s0):
                    if v0 != v { return .unknown("an element constraining both address and interface") }
                    result = .constraint(v, s0.intersection(s))
                default: result = .constraint(v, s)
                }
            }
        }
        return result
    }
}
