/// The symbolic register machine behind `NftRenderer` (see there for the why).
struct RuleRenderer {
    let table: Table
    let family: Family

    /// What a register holds, as far as rendering is concerned.
    struct Operand {
        var text: String
        var kind: ValueKind
        /// Header the value came from (for hiding nft's implicit protocol dependencies).
        var header: HeaderUse = .none
        /// Full field length in bytes when a payload load covers only its first bytes (a prefix).
        var fieldLength: Int?
        /// A bitwise mask applied to the field.
        var mask: [UInt8]?
        var xor: [UInt8]?
        /// Immediate data loaded into the register.
        var constant: [UInt8]?
    }

    enum HeaderUse: Equatable {
        case none
        case network(IPVersion?)
        case transport
        case link
    }

    /// A rendered statement; dependencies are dropped when a later statement makes them implicit.
    struct Statement {
        var text: String
        var l3Dependency: IPVersion?
        var l4Dependency = false
        /// Headers whose fields the statement reads (several for a concatenation).
        var headers: [HeaderUse] = []
    }

    var registers: [Int: Operand] = [:]
    var statements: [Statement] = []
    /// Transport protocol and IP version learnt from `meta l4proto` / `meta nfproto` compares.
    var l4proto: UInt8?
    var ipVersion: IPVersion?
    /// A pending `>=` compare, merged with a following `<=` on the same field into `a-b`.
    var pendingLowerBound: (operand: String, value: String, statementIndex: Int)?

    init(table: Table, family: Family) {
        self.table = table
        self.family = family
        switch family {
        case .ip: ipVersion = .ipv4
        case .ip6: ipVersion = .ipv6
        default: ipVersion = nil
        }
    }

    // MARK: registers

    /// Registers alias one byte array: key by byte offset so NFT_REG_1 and NFT_REG32_00 agree.
    private func slot(_ r: Register) -> Int { r.byteOffset ?? Int(r.rawValue) * 1000 }

    private func operand(_ r: Register) -> Operand? { registers[slot(r)] }

    private mutating func set(_ r: Register?, _ o: Operand) {
        guard let r else { return }
        registers[slot(r)] = o
    }

    private mutating func emit(_ text: String, header: HeaderUse = .none, l3: IPVersion? = nil, l4: Bool = false) {
        emit(text, headers: [header], l3: l3, l4: l4)
    }

    private mutating func emit(_ text: String, headers: [HeaderUse], l3: IPVersion? = nil, l4: Bool = false) {
        statements.append(Statement(text: text, l3Dependency: l3, l4Dependency: l4, headers: headers))
    }

    // MARK: expressions

    mutating func consume(_ e: Expression) {
        switch e {
        case .payload(let p):
            if let d = p.dreg { set(d, payloadOperand(p)) } else { emit(NftRenderer.raw(e)) }
        case .meta(let m):
            if let d = m.dreg {
                set(d, metaOperand(m.key))
            } else if let s = m.sreg {
                emit("meta \(NftRenderer.metaName(m.key)) set \(valueText(of: s, kind: metaOperand(m.key).kind))")
            }
        case .ct(let c):
            if let d = c.dreg {
                set(d, ctOperand(c))
            } else if let s = c.sreg {
                emit("ct \(NftRenderer.ctName(c.key)) set \(valueText(of: s, kind: ctOperand(c).kind))")
            }
        case .fib(let f):
            set(f.dreg, fibOperand(f))
        case .bitwise(let b):
            guard var o = operand(b.sreg), b.op == .bool, o.mask == nil else {
                registers[slot(b.dreg)] = nil
                emit(NftRenderer.raw(e))
                return
            }
            o.mask = b.mask
            o.xor = b.xor
            set(b.dreg, o)
        case .immediate(let i):
            if let v = i.verdict { emit(verdictText(v)) } else {
                set(i.dreg, Operand(text: "0x" + NftRenderer.hex(i.data), kind: .integer, constant: i.data))
            }
        case .cmp(let c):
            compare(c, raw: e)
        case .range(let r):
            guard let o = operand(r.sreg) else { emit(NftRenderer.raw(e)); return }
            let text = "\(o.text) \(r.negated ? "!= " : "")\(format(r.from, o.kind))-\(format(r.to, o.kind))"
            emit(text, header: o.header)
        case .lookup(let l):
            lookup(l, raw: e)
        case .nat(let n):
            emit(natText(n))
        case .redir(let r):
            emit("redirect" + portsText(r.regProtoMin, r.regProtoMax, prefix: " to :") + natFlags(r.flags))
        case .masq(let m):
            emit("masquerade" + portsText(m.regProtoMin, m.regProtoMax, prefix: " to :") + natFlags(m.flags))
        case .reject(let r):
            emit(rejectText(r))
        case .counter:
            emit("counter")
        case .log(let l):
            var s = "log"
            if let p = l.prefix { s += " prefix \"\(p)\"" }
            if let g = l.group { s += " group \(g)" }
            if let lv = l.level, lv != 4 { s += " level \(logLevel(lv))" }
            emit(s)
        case .limit(let l):
            emit(limitText(l))
        case .quota(let q):
            emit("quota \(q.inverted ? "over " : "")\(Self.bytesText(q.bytes))" + (q.consumed > 0 ? " used \(Self.bytesText(q.consumed))" : ""))
        case .connlimit(let c):
            emit("ct count \(c.inverted ? "over " : "")\(c.count)")
        case .dynset(let d):
            let op = ["add", "update", "delete"].indices.contains(Int(d.op)) ? ["add", "update", "delete"][Int(d.op)] : "dynset(\(d.op))"
            var key = keyText(sreg: d.sregKey, set: table.set(named: d.setName))
            let headers = keyHeaders(sreg: d.sregKey, set: table.set(named: d.setName))
            if let t = d.timeoutMs, t > 0 { key += " timeout \(durationText(ms: t))" }
            for x in d.expressions {
                var sub = RuleRenderer(table: table, family: family)
                sub.consume(x)
                key += " " + sub.finish()
            }
            if let s = d.sregData { key += " : \(valueText(of: s, kind: .integer))" }
            emit("\(op) @\(d.setName) { \(key) }", headers: headers)
        case .objref(let o):
            let kinds: [UInt32: String] = [1: "counter", 2: "quota", 3: "ct helper set", 4: "limit", 5: "ct count",
                                           6: "ct timeout set", 7: "secmark", 8: "ct expectation set", 9: "synproxy"]
            let kind = o.type.flatMap { kinds[$0] } ?? "object"
            if let n = o.name { emit("\(kind) name \"\(n)\"") }
            else if let s = o.setName, let r = o.setSreg { emit("\(kind) name \(operand(r)?.text ?? "reg \(r.rawValue)") map @\(s)") }
            else { emit(NftRenderer.raw(e)) }
        case .notrack:
            emit("notrack")
        case .queue(let q):
            var s = "queue"
            if q.flags & 1 != 0 { s += " flags bypass" }
            s += q.total > 1 ? " num \(q.number)-\(q.number + q.total - 1)" : " num \(q.number)"
            emit(s)
        case .match(let m):
            emit("xt match \"\(m.name)\"" + (m.decoded.map { " (\(XtRenderer.describe($0)))" } ?? ""))
        case .target(let t):
            emit("xt target \"\(t.name)\"" + (t.decoded.map { " (\(XtRenderer.describe($0)))" } ?? ""))
        case .exthdr, .opaque:
            // Unknown expressions may have written any register: forget them all rather than
            // attribute a stale value to a later statement.
            registers.removeAll()
            emit(NftRenderer.raw(e))
        }
    }

    /// Drops implicit dependencies and pending state; returns the rule text.
    mutating func finish() -> String {
        var kept: [String] = []
        for (i, s) in statements.enumerated() {
            let later = statements[(i + 1)...]
            if s.l4Dependency, later.contains(where: { $0.headers.contains(.transport) }) { continue }
            if let v = s.l3Dependency, later.contains(where: { $0.headers.contains(.network(v)) || $0.l4Dependency }) { continue }
            kept.append(s.text)
        }
        return kept.joined(separator: " ")
    }

    // MARK: compare

    private mutating func compare(_ c: Cmp, raw: Expression) {
        guard let o = operand(c.sreg) else { emit(NftRenderer.raw(raw)); return }
        // ct state / status and other flag fields: `(reg & mask) != 0` → `ct state established,related`.
        if let mask = o.mask, o.kind.isFlags, c.op == .neq, c.data.allSatisfy({ $0 == 0 }) {
            emit("\(o.text) \(format(mask, o.kind))", header: o.header)
            return
        }
        if let mask = o.mask, o.kind.isFlags, c.op == .eq, c.data.allSatisfy({ $0 == 0 }) {
            emit("\(o.text) ! \(format(mask, o.kind))", header: o.header)
            return
        }
        var value: String
        if let mask = o.mask {
            if let prefix = prefixLength(mask), o.xor.map({ $0.allSatisfy { $0 == 0 } }) ?? true, o.kind.isAddress {
                value = "\(format(pad(c.data, to: mask.count), o.kind))/\(prefix)"
            } else if o.kind.isFlags, c.op == .eq || c.op == .neq {
                // `tcp flags & (fin|syn|rst|ack) == syn` is nft's `tcp flags syn / fin,syn,rst,ack`.
                emit("\(o.text) \(opText(c.op))\(format(c.data, o.kind)) / \(format(mask, o.kind))", header: o.header)
                return
            } else {
                emit("\(o.text) & 0x\(NftRenderer.hex(mask)) \(opText(c.op))0x\(NftRenderer.hex(c.data))", header: o.header)
                return
            }
        } else if let full = o.fieldLength, c.data.count < full, o.kind.isAddress {
            value = "\(format(pad(c.data, to: full), o.kind))/\(c.data.count * 8)"
        } else {
            value = format(c.data, o.kind)
        }
        // Learn protocol context, and mark the compare as a dependency nft would hide.
        var l3: IPVersion?
        var l4 = false
        if c.op == .eq {
            switch o.kind {
            case .nfproto where c.data.count == 1:
                l3 = c.data[0] == 2 ? .ipv4 : c.data[0] == 10 ? .ipv6 : nil
                if l3 != nil { ipVersion = l3 }
            case .l4proto where c.data.count == 1:
                l4proto = c.data[0]
                l4 = true
            case .etherType where c.data == [0x08, 0x00] || c.data == [0x86, 0xdd]:
                l3 = c.data == [0x08, 0x00] ? .ipv4 : .ipv6
                ipVersion = l3
            default: break
            }
        }
        // `a >= x` then `a <= y` on the same field is how a range was written.
        if c.op == .lte, let p = pendingLowerBound, p.operand == o.text, p.statementIndex == statements.count - 1 {
            statements[p.statementIndex].text = "\(o.text) \(p.value)-\(value)"
            pendingLowerBound = nil
            return
        }
        pendingLowerBound = c.op == .gte ? (o.text, value, statements.count) : nil
        emit("\(o.text) \(opText(c.op))\(value)", header: o.header, l3: l3, l4: l4)
    }

    private func opText(_ op: CmpOp) -> String {
        switch op {
        case .eq: ""
        case .neq: "!= "
        case .lt: "< "
        case .lte: "<= "
        case .gt: "> "
        case .gte: ">= "
        }
    }

    private func pad(_ b: [UInt8], to n: Int) -> [UInt8] { b.count >= n ? b : b + [UInt8](repeating: 0, count: n - b.count) }

    /// Number of leading one bits when the mask is a contiguous prefix, else nil.
    private func prefixLength(_ mask: [UInt8]) -> Int? {
        var bits = 0
        var ended = false
        for byte in mask {
            for i in (0..<8).reversed() {
                let one = byte >> UInt8(i) & 1 == 1
                if one { if ended { return nil }; bits += 1 } else { ended = true }
            }
        }
        return bits
    }

    // MARK: lookups, sets, maps

    private mutating func lookup(_ l: Lookup, raw: Expression) {
        let set = table.set(named: l.setName)
        let key = keyText(sreg: l.sreg, set: set)
        let headers = keyHeaders(sreg: l.sreg, set: set)
        let kind = keyKinds(sreg: l.sreg, set: set)
        let target: String
        if let set, set.isAnonymous {
            target = "{ " + Self.sorted(set.elements).map { elementText($0, keyKinds: kind, set: set) }.joined(separator: ", ") + " }"
        } else {
            target = "@\(l.setName)"
        }
        if l.sreg.rawValue != 0, let d = l.dreg {
            if d == .verdict {
                emit("\(key) vmap \(target)", headers: headers)
            } else {
                self.set(d, Operand(text: "\(key) map \(target)", kind: dataKind(set)))
            }
            return
        }
        var l4 = false
        if kind.count == 1, kind[0] == .l4proto { l4 = true }
        emit("\(key) \(l.inverted ? "!= " : "")\(target)", headers: headers, l4: l4 && !l.inverted)
    }

    /// The key of a lookup: one operand, or a concatenation over consecutive 4-byte registers.
    private func keyText(sreg: Register, set: NftSet?) -> String {
        let fields = set?.fieldLengths ?? []
        guard fields.count > 1, let base = sreg.byteOffset else { return operand(sreg)?.text ?? "reg \(sreg.rawValue)" }
        var offset = base
        var parts: [String] = []
        for len in fields {
            parts.append(registers[offset]?.text ?? "reg@\(offset)")
            offset += (len + 3) / 4 * 4
        }
        return parts.joined(separator: " . ")
    }

    /// Elements in key order, as nft lists them (hash sets come back in bucket order).
    static func sorted(_ e: [SetElement]) -> [SetElement] {
        e.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    private func keyHeaders(sreg: Register, set: NftSet?) -> [HeaderUse] {
        let fields = set?.fieldLengths ?? []
        guard fields.count > 1, let base = sreg.byteOffset else { return [operand(sreg)?.header ?? .none] }
        var offset = base
        var headers: [HeaderUse] = []
        for len in fields {
            headers.append(registers[offset]?.header ?? .none)
            offset += (len + 3) / 4 * 4
        }
        return headers
    }

    private func keyKinds(sreg: Register, set: NftSet?) -> [ValueKind] {
        let fields = set?.fieldLengths ?? []
        guard fields.count > 1, let base = sreg.byteOffset else { return [operand(sreg)?.kind ?? .integer] }
        var offset = base
        var kinds: [ValueKind] = []
        for len in fields {
            kinds.append(registers[offset]?.kind ?? .integer)
            offset += (len + 3) / 4 * 4
        }
        return kinds
    }

    private func dataKind(_ set: NftSet?) -> ValueKind {
        switch set?.dataType {
        case 7: .ipv4
        case 8: .ipv6
        case 13: .port
        default: .integer
        }
    }

    func elementText(_ e: SetElement, keyKinds: [ValueKind], set: NftSet) -> String {
        var text: String
        if e.isCatchall {
            text = "*"
        } else if keyKinds.count > 1, set.fieldLengths.count == keyKinds.count {
            var parts: [String] = []
            var offset = 0
            for (i, len) in set.fieldLengths.enumerated() {
                let lo = Array(e.key[min(offset, e.key.count)..<min(offset + len, e.key.count)])
                if let end = e.keyEnd {
                    let hi = Array(end[min(offset, end.count)..<min(offset + len, end.count)])
                    parts.append(rangeText(lo, hi, keyKinds[i]))
                } else {
                    parts.append(format(lo, keyKinds[i]))
                }
                offset += (len + 3) / 4 * 4
            }
            text = parts.joined(separator: " . ")
        } else {
            let kind = keyKinds.first ?? .integer
            text = e.keyEnd.map { rangeText(e.key, $0, kind) } ?? format(e.key, kind)
        }
        if let v = e.verdict { text += " : \(verdictText(v))" } else if let d = e.data { text += " : \(format(d, dataKind(set)))" }
        return text
    }

    /// `lo-hi`, or `addr/len` when an address range is exactly a prefix.
    private func rangeText(_ lo: [UInt8], _ hi: [UInt8], _ kind: ValueKind) -> String {
        if lo == hi { return format(lo, kind) }
        if kind.isAddress, lo.count == hi.count {
            var bits = 0
            var isPrefix = true
            var hostPart = false
            for i in 0..<lo.count {
                for b in (0..<8).reversed() {
                    let l = lo[i] >> UInt8(b) & 1, h = hi[i] >> UInt8(b) & 1
                    if !hostPart && l == h { bits += 1; continue }
                    hostPart = true
                    if !(l == 0 && h == 1) { isPrefix = false }
                }
            }
            if isPrefix { return "\(format(lo, kind))/\(bits)" }
        }
        return "\(format(lo, kind))-\(format(hi, kind))"
    }

    // MARK: nat, reject, limit

    private func natText(_ n: Nat) -> String {
        var s = n.type == .dnat ? "dnat" : "snat"
        let v6 = n.family == .ip6
        if family == .inet { s += v6 ? " ip6" : " ip" }
        var target = ""
        if let a = n.regAddrMin {
            let kind: ValueKind = v6 ? .ipv6 : .ipv4
            var addr = valueText(of: a, kind: kind)
            if let b = n.regAddrMax, b != a { addr += "-\(valueText(of: b, kind: kind))" }
            target = v6 && n.regProtoMin != nil ? "[\(addr)]" : addr
        }
        if let p = n.regProtoMin {
            target += ":\(valueText(of: p, kind: .port))"
            if let q = n.regProtoMax, q != p { target += "-\(valueText(of: q, kind: .port))" }
        }
        if !target.isEmpty { s += " to \(target)" }
        return s + natFlags(n.flags)
    }

    private func portsText(_ min: Register?, _ max: Register?, prefix: String) -> String {
        guard let min else { return "" }
        var s = prefix + valueText(of: min, kind: .port)
        if let max, max != min { s += "-\(valueText(of: max, kind: .port))" }
        return s
    }

    private func natFlags(_ f: UInt32) -> String {
        var flags: [String] = []
        if f & 0x04 != 0 { flags.append("random") }
        if f & 0x08 != 0 { flags.append("persistent") }
        if f & 0x10 != 0 { flags.append("fully-random") }
        return flags.isEmpty ? "" : " " + flags.joined(separator: ",")
    }

    private func rejectText(_ r: Reject) -> String {
        switch r.type {
        case 1: return "reject with tcp reset"
        case 2:
            let codes = ["no-route", "port-unreachable", "host-unreachable", "admin-prohibited"]
            if r.code == 1 { return "reject" }
            return "reject with icmpx " + (codes.indices.contains(Int(r.code)) ? codes[Int(r.code)] : "\(r.code)")
        default:
            if ipVersion == .ipv6 {
                let codes = ["no-route", "admin-prohibited", "", "addr-unreachable", "port-unreachable", "policy-fail", "reject-route"]
                if r.code == 4 { return "reject" }
                let name = codes.indices.contains(Int(r.code)) && !codes[Int(r.code)].isEmpty ? codes[Int(r.code)] : "\(r.code)"
                return "reject with icmpv6 \(name)"
            }
            let codes: [UInt8: String] = [0: "net-unreachable", 1: "host-unreachable", 2: "prot-unreachable",
                                          3: "port-unreachable", 9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited"]
            if r.code == 3 { return "reject" }
            return "reject with icmp \(codes[r.code] ?? "\(r.code)")"
        }
    }

    private func limitText(_ l: Limit) -> String {
        let units: [UInt64: String] = [1: "second", 60: "minute", 3600: "hour", 86400: "day", 604800: "week"]
        let unit = units[l.unit] ?? "\(l.unit) seconds"
        if l.type == 1 {
            var rate = l.rate, name = "bytes"
            for n in ["kbytes", "mbytes"] where rate % 1024 == 0 && rate > 0 { rate /= 1024; name = n }
            return "limit rate \(l.inverted ? "over " : "")\(rate) \(name)/\(unit)" + (l.burst > 0 ? " burst \(l.burst) bytes" : "")
        }
        return "limit rate \(l.inverted ? "over " : "")\(l.rate)/\(unit)" + (l.burst != 5 && l.burst != 0 ? " burst \(l.burst) packets" : "")
    }

    /// `100 mbytes` as nft prints quotas.
    static func bytesText(_ n: UInt64) -> String {
        var v = n
        for unit in ["bytes", "kbytes", "mbytes", "gbytes"] {
            if v < 1024 || v % 1024 != 0 || unit == "gbytes" { return "\(v) \(unit)" }
            v /= 1024
        }
        return "\(n) bytes"
    }

    private func logLevel(_ l: UInt32) -> String {
        let names = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"]
        return names.indices.contains(Int(l)) ? names[Int(l)] : "\(l)"
    }

    private func durationText(ms: UInt64) -> String {
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    func verdictText(_ v: Verdict) -> String { v.description }

    /// A register used as a value (nat addresses and ports, `meta mark set`): its constant or its expression.
    private func valueText(of r: Register, kind: ValueKind) -> String {
        guard let o = operand(r) else { return "reg \(r.rawValue)" }
        if let c = o.constant { return format(c, kind) }
        return o.text
    }

    func format(_ bytes: [UInt8], _ kind: ValueKind) -> String { ValueFormatter.format(bytes, kind) }

    // MARK: loads

    private func payloadOperand(_ p: Payload) -> Operand {
        let off = Int(p.offset), len = Int(p.length)
        switch p.base {
        case .network:
            let v = ipVersion
            if v == .ipv4 || (v == nil && family == .ip) {
                let fields: [(Int, Int, String, ValueKind)] = [(12, 4, "saddr", .ipv4), (16, 4, "daddr", .ipv4), (9, 1, "protocol", .l4proto),
                                                                (8, 1, "ttl", .integer), (2, 2, "length", .integer), (4, 2, "id", .integer),
                                                                (1, 1, "dscp", .integer), (0, 1, "version", .integer)]
                if let f = fields.first(where: { $0.0 == off && len <= $0.1 }) {
                    return Operand(text: "ip \(f.2)", kind: f.3, header: .network(.ipv4), fieldLength: f.1)
                }
            } else if v == .ipv6 {
                let fields: [(Int, Int, String, ValueKind)] = [(8, 16, "saddr", .ipv6), (24, 16, "daddr", .ipv6), (6, 1, "nexthdr", .l4proto),
                                                                (7, 1, "hoplimit", .integer), (4, 2, "length", .integer)]
                if let f = fields.first(where: { $0.0 == off && len <= $0.1 }) {
                    return Operand(text: "ip6 \(f.2)", kind: f.3, header: .network(.ipv6), fieldLength: f.1)
                }
            }
        case .transport:
            let proto: String? = l4proto.flatMap { [6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6", 132: "sctp", 33: "dccp", 136: "udplite"][$0] }
            switch (proto, off, len) {
            case (_, 0, 2) where proto != "icmp" && proto != "icmpv6": return Operand(text: "\(proto ?? "th") sport", kind: .port, header: .transport)
            case (_, 2, 2) where proto != "icmp" && proto != "icmpv6": return Operand(text: "\(proto ?? "th") dport", kind: .port, header: .transport)
            case ("tcp", 13, 1): return Operand(text: "tcp flags", kind: .tcpFlags, header: .transport)
            case ("tcp", 14, 2): return Operand(text: "tcp window", kind: .integer, header: .transport)
            case ("icmp", 0, 1): return Operand(text: "icmp type", kind: .icmpType, header: .transport)
            case ("icmpv6", 0, 1): return Operand(text: "icmpv6 type", kind: .icmpv6Type, header: .transport)
            case ("icmp", 1, 1), ("icmpv6", 1, 1): return Operand(text: "\(proto!) code", kind: .integer, header: .transport)
            default: break
            }
        case .link:
            switch (off, len) {
            case (0, 6): return Operand(text: "ether daddr", kind: .etherAddress, header: .link)
            case (6, 6): return Operand(text: "ether saddr", kind: .etherAddress, header: .link)
            case (12, 2): return Operand(text: "ether type", kind: .etherType, header: .link)
            default: break
            }
        default: break
        }
        return Operand(text: "@\(NftRenderer.baseName(p.base)),\(off * 8),\(len * 8)", kind: .integer,
                       header: p.base == .transport ? .transport : .none)
    }

    private func metaOperand(_ k: MetaKey) -> Operand {
        let name = NftRenderer.metaName(k)
        let kind: ValueKind
        switch k {
        case .iifname, .oifname, .bridgeIifname, .bridgeOifname, .iifkind, .oifkind, .sdifname: kind = .ifname
        case .l4proto: kind = .l4proto
        case .nfproto: kind = .nfproto
        case .protocol: kind = .etherType
        case .mark, .priority: kind = .hostHex
        case .iif, .oif, .skuid, .skgid, .cpu, .iifgroup, .oifgroup, .len: kind = .hostInteger
        case .pkttype: kind = .pktType
        default: kind = .integer
        }
        // nft prints the common keys without the `meta` keyword.
        let bare: Set<UInt32> = [3, 4, 5, 6, 7, 10, 11, 19, 21, 22, 23, 26, 27]
        return Operand(text: bare.contains(k.rawValue) ? name : "meta \(name)", kind: kind)
    }

    private func ctOperand(_ c: Ct) -> Operand {
        let dir = c.direction.map { $0 == 0 ? " original" : " reply" } ?? ""
        let kind: ValueKind
        switch c.key {
        case .state: kind = .ctState
        case .status: kind = .ctStatus
        case .direction: kind = .ctDirection
        case .mark: kind = .hostHex
        case .src, .dst, .srcIP, .dstIP: kind = c.key == .srcIP || c.key == .dstIP || ipVersion == .ipv4 ? .ipv4 : (ipVersion == .ipv6 ? .ipv6 : .integer)
        case .srcIP6, .dstIP6: kind = .ipv6
        case .protoSrc, .protoDst: kind = .port
        case .protocol, .l3protocol: kind = c.key == .protocol ? .l4proto : .nfproto
        default: kind = .integer
        }
        var name = NftRenderer.ctName(c.key)
        if dir != "", name.contains(" ") {
            let parts = name.split(separator: " ")
            name = "\(dir.dropFirst()) \(parts[0]) \(parts[1])"
            return Operand(text: "ct \(name)", kind: kind)
        }
        return Operand(text: "ct\(dir) \(name)", kind: kind)
    }

    private func fibOperand(_ f: Fib) -> Operand {
        var keys: [String] = []
        if f.flags & 1 != 0 { keys.append("saddr") }
        if f.flags & 2 != 0 { keys.append("daddr") }
        if f.flags & 4 != 0 { keys.append("mark") }
        if f.flags & 8 != 0 { keys.append("iif") }
        if f.flags & 16 != 0 { keys.append("oif") }
        let result: String
        let kind: ValueKind
        switch f.result {
        case 1: result = "oif"; kind = .hostInteger
        case 2: result = "oifname"; kind = .ifname
        case 3: result = "type"; kind = .fibAddrType
        default: result = "result(\(f.result))"; kind = .integer
        }
        return Operand(text: "fib \(keys.joined(separator: " . ")) \(result)", kind: kind)
    }
}
