import NftModel

/// Decodes one nf_tables expression (`NFTA_LIST_ELEM` → `NFTA_EXPR_NAME` + `NFTA_EXPR_DATA`) into
/// an `NftModel.Expression`. One case per kernel expression, attribute numbers as in
/// linux/netfilter/nf_tables.h. An expression it does not know — or one whose attributes do not
/// have the expected shape — becomes `.opaque` with every raw attribute, never dropped.
enum ExpressionDecoder {
    static func decode(element: NetlinkAttributes, family: Family) -> Expression {
        var name = ""
        var data = NetlinkAttributes(UnsafeRawBufferPointer(start: nil, count: 0))
        for a in element {
            if a.type == NFT.Expr.name { name = a.string }
            else if a.type == NFT.Expr.data { data = a.nested }
        }
        return decode(name: name, data: data, family: family) ?? .opaque(opaque(name: name, data: data))
    }

    /// A list of expressions (`NFTA_RULE_EXPRESSIONS`, `NFTA_DYNSET_EXPRESSIONS`).
    static func decodeList(_ list: NetlinkAttributes, family: Family) -> [Expression] {
        var out: [Expression] = []
        // Exact capacity: 10,000 rules × ~9 expressions of 72 bytes is most of a ruleset's memory,
        // and doubling growth would waste up to half of it.
        var count = 0
        for e in list where e.type == NFT.listElement { count += 1 }
        out.reserveCapacity(count)
        for e in list where e.type == NFT.listElement { out.append(decode(element: e.nested, family: family)) }
        return out
    }

    static func opaque(name: String, data: NetlinkAttributes) -> Opaque {
        var attributes: [UInt16: [UInt8]] = [:]
        for a in data { attributes[a.type] = a.bytes }
        return Opaque(name: name, attributes: attributes)
    }

    private static func reg(_ a: NetlinkAttribute) -> Register { Register(a.u32BE) }

    /// `NFTA_DATA_VALUE` bytes inside a data nest.
    static func value(_ a: NetlinkAttribute) -> [UInt8]? { a.nested.first(NFT.Data.value)?.bytes }

    /// `NFTA_DATA_VERDICT` inside a data nest.
    static func verdict(_ a: NetlinkAttribute) -> Verdict? {
        guard let v = a.nested.first(NFT.Data.verdict) else { return nil }
        var code: Int32?
        var chain: String?
        for x in v.nested {
            if x.type == NFT.VerdictAttr.code { code = x.i32BE }
            else if x.type == NFT.VerdictAttr.chain { chain = x.string }
        }
        guard let code else { return nil }
        return Verdict(code: code, chain: chain)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private static func decode(name: String, data: NetlinkAttributes, family: Family) -> Expression? {
        switch name {
        case "payload":
            var base: PayloadBase?, offset: UInt32?, length: UInt32?
            var p = Payload(base: .network, offset: 0, length: 0)
            for a in data {
                switch a.type {
                case 1: p.dreg = reg(a)
                case 2: base = PayloadBase(rawValue: a.u32BE)
                case 3: offset = a.u32BE
                case 4: length = a.u32BE
                case 5: p.sreg = reg(a)
                case 6: p.checksumType = a.u32BE
                case 7: p.checksumOffset = a.u32BE
                case 8: p.checksumFlags = a.u32BE
                default: break
                }
            }
            guard let base, let offset, let length else { return nil }
            p.base = base; p.offset = offset; p.length = length
            return .payload(p)

        case "meta":
            var key: UInt32?
            var dreg: Register?, sreg: Register?
            for a in data {
                switch a.type {
                case 1: dreg = reg(a)
                case 2: key = a.u32BE
                case 3: sreg = reg(a)
                default: break
                }
            }
            guard let key else { return nil }
            return .meta(Meta(key: MetaKey(rawValue: key), dreg: dreg, sreg: sreg))

        case "cmp":
            var sreg: Register?, op: CmpOp?, bytes: [UInt8]?
            for a in data {
                switch a.type {
                case 1: sreg = reg(a)
                case 2: op = CmpOp(rawValue: a.u32BE)
                case 3: bytes = value(a)
                default: break
                }
            }
            guard let sreg, let op, let bytes else { return nil }
            return .cmp(Cmp(sreg: sreg, op: op, data: bytes))

        case "bitwise":
            var sreg: Register?, dreg: Register?, length: UInt32?
            var op: BitwiseOp = .bool
            var mask: [UInt8] = [], xor: [UInt8] = []
            var shift: UInt32?
            for a in data {
                switch a.type {
                case 1: sreg = reg(a)
                case 2: dreg = reg(a)
                case 3: length = a.u32BE
                case 4: mask = value(a) ?? []
                case 5: xor = value(a) ?? []
                case 6: guard let o = BitwiseOp(rawValue: a.u32BE) else { return nil }; op = o
                case 7: shift = value(a).map { NetlinkAttributeBytes.u32Host($0) }
                default: break
                }
            }
            guard let sreg, let dreg, let length else { return nil }
            return .bitwise(Bitwise(sreg: sreg, dreg: dreg, length: length, op: op, mask: mask, xor: xor, shift: shift))

        case "range":
            var sreg: Register?, op: UInt32?, from: [UInt8]?, to: [UInt8]?
            for a in data {
                switch a.type {
                case 1: sreg = reg(a)
                case 2: op = a.u32BE
                case 3: from = value(a)
                case 4: to = value(a)
                default: break
                }
            }
            guard let sreg, let op, op <= 1, let from, let to else { return nil }
            return .range(RangeExpr(sreg: sreg, negated: op == 1, from: from, to: to))

        case "lookup":
            var set: String?, sreg: Register?, dreg: Register?, setID: UInt32?, flags: UInt32 = 0
            for a in data {
                switch a.type {
                case 1: set = a.string
                case 2: sreg = reg(a)
                case 3: dreg = reg(a)
                case 4: setID = a.u32BE
                case 5: flags = a.u32BE
                default: break
                }
            }
            guard let set, let sreg else { return nil }
            return .lookup(Lookup(sreg: sreg, dreg: dreg, setName: set, setID: setID, inverted: flags & 1 != 0))

        case "immediate":
            var dreg: Register?, dataAttr: NetlinkAttribute?
            for a in data {
                if a.type == 1 { dreg = reg(a) } else if a.type == 2 { dataAttr = a }
            }
            guard let dreg, let dataAttr else { return nil }
            if let v = verdict(dataAttr) { return .immediate(Immediate(dreg: dreg, verdict: v)) }
            guard let bytes = value(dataAttr) else { return nil }
            return .immediate(Immediate(dreg: dreg, data: bytes))

        case "ct":
            var key: UInt32?, dreg: Register?, sreg: Register?, direction: UInt8?
            for a in data {
                switch a.type {
                case 1: dreg = reg(a)
                case 2: key = a.u32BE
                case 3: direction = a.u8
                case 4: sreg = reg(a)
                default: break
                }
            }
            guard let key else { return nil }
            return .ct(Ct(key: CtKey(rawValue: key), dreg: dreg, sreg: sreg, direction: direction))

        case "nat":
            var type: NatType?, natFamily: Family?
            var n = Nat(type: .dnat, family: family)
            for a in data {
                switch a.type {
                case 1: type = NatType(rawValue: a.u32BE)
                case 2: natFamily = Family(rawValue: UInt8(truncatingIfNeeded: a.u32BE))
                case 3: n.regAddrMin = reg(a)
                case 4: n.regAddrMax = reg(a)
                case 5: n.regProtoMin = reg(a)
                case 6: n.regProtoMax = reg(a)
                case 7: n.flags = a.u32BE
                default: break
                }
            }
            guard let type else { return nil }
            n.type = type
            n.family = natFamily ?? family
            return .nat(n)

        case "redir":
            var r = Redir()
            for a in data {
                switch a.type {
                case 1: r.regProtoMin = reg(a)
                case 2: r.regProtoMax = reg(a)
                case 3: r.flags = a.u32BE
                default: break
                }
            }
            return .redir(r)

        case "masq":
            var m = Masq()
            for a in data {
                switch a.type {
                case 1: m.flags = a.u32BE
                case 2: m.regProtoMin = reg(a)
                case 3: m.regProtoMax = reg(a)
                default: break
                }
            }
            return .masq(m)

        case "reject":
            var type: UInt32?, code: UInt8 = 0
            for a in data {
                if a.type == 1 { type = a.u32BE } else if a.type == 2 { code = a.u8 }
            }
            guard let type else { return nil }
            return .reject(Reject(type: type, code: code))

        case "counter":
            return .counter

        case "notrack":
            return .notrack

        case "log":
            var l = Log()
            for a in data {
                switch a.type {
                case 1: l.group = a.u16BE
                case 2: l.prefix = a.string
                case 5: l.level = a.u32BE
                default: break
                }
            }
            return .log(l)

        case "limit":
            var rate: UInt64?, unit: UInt64?, burst: UInt32 = 0, type: UInt32 = 0, flags: UInt32 = 0
            for a in data {
                switch a.type {
                case 1: rate = a.u64BE
                case 2: unit = a.u64BE
                case 3: burst = a.u32BE
                case 4: type = a.u32BE
                case 5: flags = a.u32BE
                default: break
                }
            }
            guard let rate, let unit else { return nil }
            return .limit(Limit(rate: rate, unit: unit, burst: burst, type: type, inverted: flags & 1 != 0))

        case "quota":
            var bytes: UInt64?, consumed: UInt64 = 0, flags: UInt32 = 0
            for a in data {
                switch a.type {
                case 1: bytes = a.u64BE
                case 2: flags = a.u32BE
                case 4: consumed = a.u64BE
                default: break
                }
            }
            guard let bytes else { return nil }
            return .quota(Quota(bytes: bytes, consumed: consumed, inverted: flags & 1 != 0))

        case "connlimit":
            var count: UInt32?, flags: UInt32 = 0
            for a in data {
                if a.type == 1 { count = a.u32BE } else if a.type == 2 { flags = a.u32BE }
            }
            guard let count else { return nil }
            return .connlimit(Connlimit(count: count, inverted: flags & 1 != 0))

        case "dynset":
            var set: String?, op: UInt32?, sregKey: Register?
            var d = Dynset(op: 0, setName: "", sregKey: Register(0))
            var flags: UInt32 = 0
            for a in data {
                switch a.type {
                case 1: set = a.string
                case 3: op = a.u32BE
                case 4: sregKey = reg(a)
                case 5: d.sregData = reg(a)
                case 6: d.timeoutMs = a.u64BE
                case 7: d.expressions.append(decode(element: a.nested, family: family))
                case 9: flags = a.u32BE
                case 10: d.expressions.append(contentsOf: decodeList(a.nested, family: family))
                default: break
                }
            }
            guard let set, let op, let sregKey else { return nil }
            d.setName = set; d.op = op; d.sregKey = sregKey; d.inverted = flags & 1 != 0
            return .dynset(d)

        case "objref":
            var o = Objref()
            for a in data {
                switch a.type {
                case 1: o.type = a.u32BE
                case 2: o.name = a.string
                case 3: o.setSreg = reg(a)
                case 4: o.setName = a.string
                default: break
                }
            }
            return .objref(o)

        case "fib":
            var dreg: Register?, result: UInt32?, flags: UInt32 = 0
            for a in data {
                switch a.type {
                case 1: dreg = reg(a)
                case 2: result = a.u32BE
                case 3: flags = a.u32BE
                default: break
                }
            }
            guard let dreg, let result else { return nil }
            return .fib(Fib(result: result, flags: flags, dreg: dreg))

        case "exthdr":
            var e = Exthdr(type: 0, offset: 0, length: 0, op: 0, flags: 0)
            for a in data {
                switch a.type {
                case 1: e.dreg = reg(a)
                case 2: e.type = a.u8
                case 3: e.offset = a.u32BE
                case 4: e.length = a.u32BE
                case 5: e.flags = a.u32BE
                case 6: e.op = a.u32BE
                case 7: e.sreg = reg(a)
                default: break
                }
            }
            return .exthdr(e)

        case "queue":
            var q = QueueExpr(number: 0, total: 1, flags: 0)
            for a in data {
                switch a.type {
                case 1: q.number = a.u16BE
                case 2: q.total = a.u16BE
                case 3: q.flags = a.u16BE
                case 4: return nil  // queue number from a register: keep raw
                default: break
                }
            }
            return .queue(q)

        case "match", "target":
            var xtName: String?, revision: UInt32 = 0, info: [UInt8] = []
            for a in data {
                switch a.type {
                case 1: xtName = a.string
                case 2: revision = a.u32BE
                case 3: info = a.bytes
                default: break
                }
            }
            guard let xtName else { return nil }
            if name == "match" {
                return .match(XtMatch(name: xtName, revision: revision, info: info,
                                      decoded: XtDecoder.decodeMatch(name: xtName, revision: revision, info: info, family: family)))
            }
            return .target(XtTarget(name: xtName, revision: revision, info: info,
                                    decoded: XtDecoder.decodeTarget(name: xtName, revision: revision, info: info, family: family)))

        default:
            return nil
        }
    }
}

enum NetlinkAttributeBytes {
    /// A u32 the kernel keeps in host order inside an `NFTA_DATA_VALUE` (the bitwise shift amount).
    static func u32Host(_ b: [UInt8]) -> UInt32 {
        var v: UInt32 = 0
        for (i, x) in b.prefix(4).enumerated() { v |= UInt32(x) << (8 * UInt32(i)) }
        return UInt32(littleEndian: v)
    }
}
