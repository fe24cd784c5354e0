import FoundationEssentials
import Glibc
import CNetfilter
import NftModel

/// Reads the whole nf_tables ruleset of a network namespace over netlink: one NLM_F_DUMP per
/// object type (tables, chains, rules, sets, all families at once) and one GETSETELEM dump per set,
/// decoded straight from the receive buffer into `NftModel`.
///
/// Consistency: the generation id is read before and after; if it moved, or the kernel flagged a
/// dump as interrupted (NLM_F_DUMP_INTR), the whole read is repeated (a few times at most).
public struct NetlinkRulesetReader: Sendable {
    public init() {}

    public func read(netns: String? = nil) throws(RulesetReadError) -> Ruleset {
        let opened = try NftNetlinkSocket.open(netns: netns)
        var lastGeneration: UInt32?
        for _ in 0..<5 {
            let before = try generation(opened.socket)
            var session = ReadSession(socket: opened.socket)
            var ruleset = try session.readAll()
            let after = try generation(opened.socket)
            lastGeneration = after
            if before == after && !session.interrupted {
                ruleset.generation = after
                ruleset.legacyIptablesTables = opened.legacyTables
                return ruleset
            }
        }
        throw .netlink("the ruleset kept changing while it was read (generation \(lastGeneration.map(String.init) ?? "?")); try again")
    }

    private func generation(_ socket: NftNetlinkSocket) throws(RulesetReadError) -> UInt32? {
        var id: UInt32?
        try socket.request(.getGeneration, dump: false, what: "reading the ruleset generation") { m in
            guard m.type == NFT.Message.newGeneration.netlinkType else { return }
            id = m.nfAttributes.first(NFT.generationID)?.u32BE
        }
        return id
    }
}

/// One pass over the ruleset; builds tables in dump order and files chains, rules and sets under them.
private struct ReadSession {
    let socket: NftNetlinkSocket
    var tables: [Table] = []
    var tableIndex: [TableKey: Int] = [:]
    var chainIndex: [TableKey: [String: Int]] = [:]
    var setsToFill: [(table: Int, set: Int)] = []
    var interrupted = false
    var warnings: [String] = []

    struct TableKey: Hashable {
        var family: UInt8
        var name: String
    }

    init(socket: NftNetlinkSocket) { self.socket = socket }

    mutating func readAll() throws(RulesetReadError) -> Ruleset {
        try dump(.getTable, "dumping tables") { s, m in s.addTable(m) }
        try dump(.getChain, "dumping chains") { s, m in s.addChain(m) }
        try dump(.getRule, "dumping rules") { s, m in s.addRule(m) }
        try dump(.getSet, "dumping sets") { s, m in s.addSet(m) }
        for (t, s) in setsToFill { try readElements(table: t, set: s) }
        return Ruleset(tables: tables, readerWarnings: warnings)
    }

    private mutating func dump(_ message: NFT.Message, _ what: String,
                               _ add: (inout ReadSession, NetlinkMessage) -> Void) throws(RulesetReadError) {
        var copy = self
        let r = try socket.request(message, what: what) { m in
            if m.type == (message.rawValue - 1) | NFT.subsystem << 8 { add(&copy, m) }
        }
        self = copy
        if r.interrupted { interrupted = true }
    }

    private func family(_ m: NetlinkMessage) -> Family? { Family(rawValue: m.nfgenFamily) }

    mutating func addTable(_ m: NetlinkMessage) {
        guard let family = family(m) else {
            warnings.append("skipped a table of unknown family \(m.nfgenFamily)")
            return
        }
        var t = Table(family: family, name: "")
        for a in m.nfAttributes {
            switch a.type {
            case NFT.Table.name: t.name = a.string
            case NFT.Table.flags: t.flags = a.u32BE; t.dormant = t.flags & NFT.Table.dormantFlag != 0
            case NFT.Table.handle: t.handle = a.u64BE
            case NFT.Table.userdata: t.comment = Userdata.string(NFT.Udata.tableComment, in: a.payload)
            default: break
            }
        }
        tableIndex[TableKey(family: m.nfgenFamily, name: t.name)] = tables.count
        tables.append(t)
    }

    mutating func addChain(_ m: NetlinkMessage) {
        guard let family = family(m) else { return }
        var tableName = ""
        var c = Chain(name: "")
        var hookNumber: UInt32?
        var singleDevice: String?
        for a in m.nfAttributes {
            switch a.type {
            case NFT.Chain.table: tableName = a.string
            case NFT.Chain.name: c.name = a.string
            case NFT.Chain.handle: c.handle = a.u64BE
            case NFT.Chain.policy: c.policy = Verdict(code: a.i32BE, chain: nil)
            case NFT.Chain.type: c.type = ChainType(rawValue: a.string)
            case NFT.Chain.userdata: c.comment = Userdata.string(NFT.Udata.chainComment, in: a.payload)
            case NFT.Chain.hook:
                for h in a.nested {
                    switch h.type {
                    case NFT.Hook.number: hookNumber = h.u32BE
                    case NFT.Hook.priority: c.priority = h.i32BE
                    case NFT.Hook.device: singleDevice = h.string
                    case NFT.Hook.devices:
                        for d in h.nested where d.type == NFT.deviceName { c.devices.append(d.string) }
                    default: break
                    }
                }
            default: break
            }
        }
        // The kernel sends NFTA_HOOK_DEV and NFTA_HOOK_DEVS for a single device: list it once.
        if c.devices.isEmpty, let singleDevice { c.devices = [singleDevice] }
        if let hookNumber {
            c.hook = Self.hook(number: hookNumber, family: family)
            if c.hook == nil { warnings.append("chain \(family) \(tableName) \(c.name): unknown hook number \(hookNumber)") }
        } else {
            c.policy = nil
        }
        let key = TableKey(family: m.nfgenFamily, name: tableName)
        guard let t = tableIndex[key] else {
            warnings.append("chain \(c.name) of unknown table \(family) \(tableName)")
            return
        }
        chainIndex[key, default: [:]][c.name] = tables[t].chains.count
        tables[t].chains.append(c)
    }

    /// `Hook.from` covers the inet-style numbering; arp uses NF_ARP_IN 0, OUT 1, FORWARD 2.
    static func hook(number: UInt32, family: Family) -> Hook? {
        guard family == .arp else { return Hook.from(number: number, family: family) }
        switch number {
        case 0: return .input
        case 1: return .output
        case 2: return .forward
        default: return nil
        }
    }

    mutating func addRule(_ m: NetlinkMessage) {
        guard let family = family(m) else { return }
        var tableName = "", chainName = ""
        var rule = Rule(expressions: [])
        for a in m.nfAttributes {
            switch a.type {
            case NFT.Rule.table: tableName = a.string
            case NFT.Rule.chain: chainName = a.string
            case NFT.Rule.handle: rule.handle = a.u64BE
            case NFT.Rule.expressions: rule.expressions = ExpressionDecoder.decodeList(a.nested, family: family)
            case NFT.Rule.userdata: rule.comment = Userdata.string(NFT.Udata.ruleComment, in: a.payload)
            default: break
            }
        }
        let key = TableKey(family: m.nfgenFamily, name: tableName)
        guard let t = tableIndex[key], let c = chainIndex[key]?[chainName] else {
            warnings.append("rule \(rule.handle) of unknown chain \(family) \(tableName) \(chainName)")
            return
        }
        tables[t].chains[c].rules.append(rule)
    }

    mutating func addSet(_ m: NetlinkMessage) {
        guard let family = family(m) else { return }
        var tableName = ""
        var s = NftSet(name: "", keyLength: 0)
        for a in m.nfAttributes {
            switch a.type {
            case NFT.Set.table: tableName = a.string
            case NFT.Set.name: s.name = a.string
            case NFT.Set.flags: s.flags = NftSet.Flags(rawValue: a.u32BE)
            case NFT.Set.keyType: s.keyType = a.u32BE
            case NFT.Set.keyLength: s.keyLength = Int(a.u32BE)
            case NFT.Set.dataType: s.dataType = a.u32BE
            case NFT.Set.dataLength: s.dataLength = Int(a.u32BE)
            case NFT.Set.id: s.id = a.u32BE
            case NFT.Set.handle: s.handle = a.u64BE
            case NFT.Set.userdata: s.comment = Userdata.string(NFT.Udata.setComment, in: a.payload)
            case NFT.Set.desc:
                for d in a.nested where d.type == NFT.SetDesc.concat {
                    for f in d.nested where f.type == NFT.listElement {
                        if let len = f.nested.first(NFT.setFieldLength) { s.fieldLengths.append(Int(len.u32BE)) }
                    }
                }
            default: break
            }
        }
        if s.fieldLengths.isEmpty, s.flags.contains(.concat) || s.keyType > 0x3f,
           let inferred = ConcatFields.infer(keyType: s.keyType, keyLength: s.keyLength) {
            s.fieldLengths = inferred
        }
        guard let t = tableIndex[TableKey(family: m.nfgenFamily, name: tableName)] else {
            warnings.append("set \(s.name) of unknown table \(family) \(tableName)")
            return
        }
        setsToFill.append((t, tables[t].sets.count))
        tables[t].sets.append(s)
    }

    private mutating func readElements(table t: Int, set s: Int) throws(RulesetReadError) {
        let family = tables[t].family
        let tableName = tables[t].name
        let setName = tables[t].sets[s].name
        let interval = tables[t].sets[s].flags.contains(.interval)
        var collector = SetElementCollector(interval: interval)
        let r = try socket.request(.getSetElement, family: family.rawValue,
                                   what: "dumping elements of set \(setName) in table \(family) \(tableName)",
                                   attributes: { nlh in
                                       mnl_attr_put_strz(nlh, NFT.SetElementList.table, tableName)
                                       mnl_attr_put_strz(nlh, NFT.SetElementList.set, setName)
                                   }) { m in
            guard m.type == NFT.Message.newSetElement.netlinkType else { return }
            for a in m.nfAttributes where a.type == NFT.SetElementList.elements {
                for e in a.nested where e.type == NFT.listElement {
                    if !Self.addBoundary(e.nested, to: &collector) { collector.add(Self.element(e.nested)) }
                }
            }
        }
        if r.interrupted { interrupted = true }
        tables[t].sets[s].elements = collector.finish()
    }

    /// The common interval element — a key and at most the INTERVAL_END flag — goes straight into
    /// the collector's flat buffer; anything richer is parsed whole.
    private static func addBoundary(_ attrs: NetlinkAttributes, to collector: inout SetElementCollector) -> Bool {
        guard collector.interval else { return false }
        var key: UnsafeRawBufferPointer?
        var flags: UInt32 = 0
        for a in attrs {
            switch a.type {
            case NFT.SetElement.key:
                guard let v = a.nested.first(NFT.Data.value) else { return false }
                key = v.payload
            case NFT.SetElement.flags: flags = a.u32BE
            default: return false
            }
        }
        guard let key, flags & ~NFT.SetElement.intervalEndFlag == 0 else { return false }
        return collector.addBoundary(key: key, isEnd: flags != 0)
    }

    private static func element(_ attrs: NetlinkAttributes) -> RawSetElement {
        var e = RawSetElement(key: [])
        for a in attrs {
            switch a.type {
            case NFT.SetElement.key: e.key = ExpressionDecoder.value(a) ?? []
            case NFT.SetElement.keyEnd: e.keyEnd = ExpressionDecoder.value(a)
            case NFT.SetElement.flags: e.flags = a.u32BE
            case NFT.SetElement.data:
                if let v = ExpressionDecoder.verdict(a) { e.verdict = v } else { e.data = ExpressionDecoder.value(a) }
            case NFT.SetElement.objref: e.data = Array(a.string.utf8)
            case NFT.SetElement.timeout: e.hasTimeout = true
            case NFT.SetElement.userdata: e.comment = Userdata.string(NFT.Udata.setElementComment, in: a.payload)
            default: break
            }
        }
        return e
    }
}
