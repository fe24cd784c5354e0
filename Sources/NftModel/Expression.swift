/// One nf_tables expression of a rule, mirroring the kernel's expression types
/// (https://wiki.nftables.org/wiki-nftables/index.php/Nftables_internals). Anything the reader
/// does not know is kept as `.opaque` — never dropped — so the evaluator can say "undetermined".
public enum Expression: Sendable, Codable, Hashable {
    case payload(Payload)
    case meta(Meta)
    case cmp(Cmp)
    case bitwise(Bitwise)
    case range(RangeExpr)
    case lookup(Lookup)
    case immediate(Immediate)
    case ct(Ct)
    case nat(Nat)
    case redir(Redir)
    case masq(Masq)
    case reject(Reject)
    case counter
    case log(Log)
    case limit(Limit)
    case quota(Quota)
    case connlimit(Connlimit)
    case dynset(Dynset)
    case objref(Objref)
    case fib(Fib)
    case exthdr(Exthdr)
    case notrack
    case queue(QueueExpr)
    case match(XtMatch)
    case target(XtTarget)
    /// An expression this model does not decode: its kernel name and raw attributes
    /// (attribute type → payload bytes).
    case opaque(Opaque)

    /// The kernel expression name ("payload", "cmp", "match", …).
    public var kernelName: String {
        switch self {
        case .payload: "payload"
        case .meta: "meta"
        case .cmp: "cmp"
        case .bitwise: "bitwise"
        case .range: "range"
        case .lookup: "lookup"
        case .immediate: "immediate"
        case .ct: "ct"
        case .nat: "nat"
        case .redir: "redir"
        case .masq: "masq"
        case .reject: "reject"
        case .counter: "counter"
        case .log: "log"
        case .limit: "limit"
        case .quota: "quota"
        case .connlimit: "connlimit"
        case .dynset: "dynset"
        case .objref: "objref"
        case .fib: "fib"
        case .exthdr: "exthdr"
        case .notrack: "notrack"
        case .queue: "queue"
        case .match: "match"
        case .target: "target"
        case .opaque(let o): o.name
        }
    }
}

public struct Opaque: Sendable, Codable, Hashable {
    public var name: String
    public var attributes: [UInt16: [UInt8]]
    public init(name: String, attributes: [UInt16: [UInt8]] = [:]) {
        self.name = name
        self.attributes = attributes
    }
}

/// NFT_PAYLOAD_*_HEADER bases.
public enum PayloadBase: UInt32, Sendable, Codable, Hashable {
    case link = 0, network = 1, transport = 2, inner = 3, tunnel = 4
}

/// `payload load` (dreg set) or `payload write` (sreg set, with checksum fields).
public struct Payload: Sendable, Codable, Hashable {
    public var base: PayloadBase
    public var offset: UInt32
    public var length: UInt32
    public var dreg: Register?
    public var sreg: Register?
    public var checksumType: UInt32?
    public var checksumOffset: UInt32?
    public var checksumFlags: UInt32?
    public init(base: PayloadBase, offset: UInt32, length: UInt32, dreg: Register? = nil, sreg: Register? = nil,
                checksumType: UInt32? = nil, checksumOffset: UInt32? = nil, checksumFlags: UInt32? = nil) {
        self.base = base
        self.offset = offset
        self.length = length
        self.dreg = dreg
        self.sreg = sreg
        self.checksumType = checksumType
        self.checksumOffset = checksumOffset
        self.checksumFlags = checksumFlags
    }
}

/// NFT_META_* keys that matter to the evaluator are named; others keep their number.
public struct MetaKey: RawRepresentable, Sendable, Codable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let len = MetaKey(rawValue: 0)
    public static let `protocol` = MetaKey(rawValue: 1)
    public static let priority = MetaKey(rawValue: 2)
    public static let mark = MetaKey(rawValue: 3)
    public static let iif = MetaKey(rawValue: 4)
    public static let oif = MetaKey(rawValue: 5)
    public static let iifname = MetaKey(rawValue: 6)
    public static let oifname = MetaKey(rawValue: 7)
    public static let iiftype = MetaKey(rawValue: 8)
    public static let oiftype = MetaKey(rawValue: 9)
    public static let skuid = MetaKey(rawValue: 10)
    public static let skgid = MetaKey(rawValue: 11)
    public static let nftrace = MetaKey(rawValue: 12)
    public static let rtclassid = MetaKey(rawValue: 13)
    public static let secmark = MetaKey(rawValue: 14)
    public static let nfproto = MetaKey(rawValue: 15)
    public static let l4proto = MetaKey(rawValue: 16)
    public static let bridgeIifname = MetaKey(rawValue: 17)
    public static let bridgeOifname = MetaKey(rawValue: 18)
    public static let pkttype = MetaKey(rawValue: 19)
    public static let cpu = MetaKey(rawValue: 20)
    public static let iifgroup = MetaKey(rawValue: 21)
    public static let oifgroup = MetaKey(rawValue: 22)
    public static let cgroup = MetaKey(rawValue: 23)
    public static let prandom = MetaKey(rawValue: 24)
    public static let secpath = MetaKey(rawValue: 25)
    public static let iifkind = MetaKey(rawValue: 26)
    public static let oifkind = MetaKey(rawValue: 27)
    public static let time = MetaKey(rawValue: 30)
    public static let timeDay = MetaKey(rawValue: 31)
    public static let timeHour = MetaKey(rawValue: 32)
    public static let sdif = MetaKey(rawValue: 33)
    public static let sdifname = MetaKey(rawValue: 34)
}

/// `meta KEY` load (dreg) or `meta KEY set` (sreg).
public struct Meta: Sendable, Codable, Hashable {
    public var key: MetaKey
    public var dreg: Register?
    public var sreg: Register?
    public init(key: MetaKey, dreg: Register? = nil, sreg: Register? = nil) {
        self.key = key
        self.dreg = dreg
        self.sreg = sreg
    }
}

/// NFT_CMP_* operators.
public enum CmpOp: UInt32, Sendable, Codable, Hashable {
    case eq = 0, neq = 1, lt = 2, lte = 3, gt = 4, gte = 5
}

public struct Cmp: Sendable, Codable, Hashable {
    public var sreg: Register
    public var op: CmpOp
    public var data: [UInt8]
    public init(sreg: Register, op: CmpOp, data: [UInt8]) {
        self.sreg = sreg
        self.op = op
        self.data = data
    }
}

/// NFT_BITWISE_BOOL (`(reg & mask) ^ xor`), LSHIFT and RSHIFT.
public enum BitwiseOp: UInt32, Sendable, Codable, Hashable {
    case bool = 0, lshift = 1, rshift = 2
}

public struct Bitwise: Sendable, Codable, Hashable {
    public var sreg: Register
    public var dreg: Register
    public var length: UInt32
    public var op: BitwiseOp
    public var mask: [UInt8]
    public var xor: [UInt8]
    /// Shift amount for LSHIFT/RSHIFT.
    public var shift: UInt32?
    public init(sreg: Register, dreg: Register, length: UInt32, op: BitwiseOp = .bool,
                mask: [UInt8] = [], xor: [UInt8] = [], shift: UInt32? = nil) {
        self.sreg = sreg
        self.dreg = dreg
        self.length = length
        self.op = op
        self.mask = mask
        self.xor = xor
        self.shift = shift
    }
}

/// NFT_RANGE_EQ / NFT_RANGE_NEQ: inclusive byte-wise (big-endian) range compare.
public struct RangeExpr: Sendable, Codable, Hashable {
    public var sreg: Register
    public var negated: Bool
    public var from: [UInt8]
    public var to: [UInt8]
    public init(sreg: Register, negated: Bool, from: [UInt8], to: [UInt8]) {
        self.sreg = sreg
        self.negated = negated
        self.from = from
        self.to = to
    }
}

/// Set lookup; with `dreg` it is a map lookup (dreg = verdict register for a vmap).
public struct Lookup: Sendable, Codable, Hashable {
    public var sreg: Register
    public var dreg: Register?
    public var setName: String
    public var setID: UInt32?
    /// NFT_LOOKUP_F_INV: `!= @set`.
    public var inverted: Bool
    public init(sreg: Register, dreg: Register? = nil, setName: String, setID: UInt32? = nil, inverted: Bool = false) {
        self.sreg = sreg
        self.dreg = dreg
        self.setName = setName
        self.setID = setID
        self.inverted = inverted
    }
}

public struct Immediate: Sendable, Codable, Hashable {
    public var dreg: Register
    /// Set when dreg is the verdict register.
    public var verdict: Verdict?
    /// Data for a data register.
    public var data: [UInt8]
    public init(dreg: Register, verdict: Verdict? = nil, data: [UInt8] = []) {
        self.dreg = dreg
        self.verdict = verdict
        self.data = data
    }
}

/// NFT_CT_* keys.
public struct CtKey: RawRepresentable, Sendable, Codable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let state = CtKey(rawValue: 0)
    public static let direction = CtKey(rawValue: 1)
    public static let status = CtKey(rawValue: 2)
    public static let mark = CtKey(rawValue: 3)
    public static let secmark = CtKey(rawValue: 4)
    public static let expiration = CtKey(rawValue: 5)
    public static let helper = CtKey(rawValue: 6)
    public static let l3protocol = CtKey(rawValue: 7)
    public static let src = CtKey(rawValue: 8)
    public static let dst = CtKey(rawValue: 9)
    public static let `protocol` = CtKey(rawValue: 10)
    public static let protoSrc = CtKey(rawValue: 11)
    public static let protoDst = CtKey(rawValue: 12)
    public static let labels = CtKey(rawValue: 13)
    public static let pkts = CtKey(rawValue: 14)
    public static let bytes = CtKey(rawValue: 15)
    public static let avgpkt = CtKey(rawValue: 16)
    public static let zone = CtKey(rawValue: 17)
    public static let eventmask = CtKey(rawValue: 18)
    public static let srcIP = CtKey(rawValue: 19)
    public static let dstIP = CtKey(rawValue: 20)
    public static let srcIP6 = CtKey(rawValue: 21)
    public static let dstIP6 = CtKey(rawValue: 22)
    public static let id = CtKey(rawValue: 23)
}

/// Conntrack state bits as `ct state` compares them (NF_CT_STATE_BIT: invalid=1, established=2,
/// related=4, new=8, untracked=64).
public enum CtStateBit {
    public static let invalid: UInt32 = 1
    public static let established: UInt32 = 2
    public static let related: UInt32 = 4
    public static let new: UInt32 = 8
    public static let untracked: UInt32 = 64
}

public struct Ct: Sendable, Codable, Hashable {
    public var key: CtKey
    public var dreg: Register?
    public var sreg: Register?
    /// IP_CT_DIR_ORIGINAL (0) or IP_CT_DIR_REPLY (1), for tuple keys.
    public var direction: UInt8?
    public init(key: CtKey, dreg: Register? = nil, sreg: Register? = nil, direction: UInt8? = nil) {
        self.key = key
        self.dreg = dreg
        self.sreg = sreg
        self.direction = direction
    }
}

public enum NatType: UInt32, Sendable, Codable, Hashable {
    case snat = 0, dnat = 1
}

public struct Nat: Sendable, Codable, Hashable {
    public var type: NatType
    public var family: Family
    public var regAddrMin: Register?
    public var regAddrMax: Register?
    public var regProtoMin: Register?
    public var regProtoMax: Register?
    /// NF_NAT_RANGE_* flags.
    public var flags: UInt32
    public init(type: NatType, family: Family, regAddrMin: Register? = nil, regAddrMax: Register? = nil,
                regProtoMin: Register? = nil, regProtoMax: Register? = nil, flags: UInt32 = 0) {
        self.type = type
        self.family = family
        self.regAddrMin = regAddrMin
        self.regAddrMax = regAddrMax
        self.regProtoMin = regProtoMin
        self.regProtoMax = regProtoMax
        self.flags = flags
    }
}

public struct Redir: Sendable, Codable, Hashable {
    public var regProtoMin: Register?
    public var regProtoMax: Register?
    public var flags: UInt32
    public init(regProtoMin: Register? = nil, regProtoMax: Register? = nil, flags: UInt32 = 0) {
        self.regProtoMin = regProtoMin
        self.regProtoMax = regProtoMax
        self.flags = flags
    }
}

public struct Masq: Sendable, Codable, Hashable {
    public var regProtoMin: Register?
    public var regProtoMax: Register?
    public var flags: UInt32
    public init(regProtoMin: Register? = nil, regProtoMax: Register? = nil, flags: UInt32 = 0) {
        self.regProtoMin = regProtoMin
        self.regProtoMax = regProtoMax
        self.flags = flags
    }
}

/// NFT_REJECT_ICMP_UNREACH (0), NFT_REJECT_TCP_RST (1), NFT_REJECT_ICMPX_UNREACH (2).
public struct Reject: Sendable, Codable, Hashable {
    public var type: UInt32
    public var code: UInt8
    public init(type: UInt32, code: UInt8) {
        self.type = type
        self.code = code
    }
}

public struct Log: Sendable, Codable, Hashable {
    public var prefix: String?
    public var group: UInt16?
    public var level: UInt32?
    public init(prefix: String? = nil, group: UInt16? = nil, level: UInt32? = nil) {
        self.prefix = prefix
        self.group = group
        self.level = level
    }
}

/// `limit rate [over] N/unit burst B` — stateful: matches depend on traffic history.
public struct Limit: Sendable, Codable, Hashable {
    public var rate: UInt64
    public var unit: UInt64
    public var burst: UInt32
    /// NFT_LIMIT_PKTS (0) or NFT_LIMIT_PKT_BYTES (1).
    public var type: UInt32
    /// NFT_LIMIT_F_INV: `limit rate over`.
    public var inverted: Bool
    public init(rate: UInt64, unit: UInt64, burst: UInt32, type: UInt32, inverted: Bool) {
        self.rate = rate
        self.unit = unit
        self.burst = burst
        self.type = type
        self.inverted = inverted
    }
}

public struct Quota: Sendable, Codable, Hashable {
    public var bytes: UInt64
    public var consumed: UInt64
    /// NFT_QUOTA_F_INV: `quota over`.
    public var inverted: Bool
    public init(bytes: UInt64, consumed: UInt64, inverted: Bool) {
        self.bytes = bytes
        self.consumed = consumed
        self.inverted = inverted
    }
}

public struct Connlimit: Sendable, Codable, Hashable {
    public var count: UInt32
    /// NFT_CONNLIMIT_F_INV: `ct count over`.
    public var inverted: Bool
    public init(count: UInt32, inverted: Bool) {
        self.count = count
        self.inverted = inverted
    }
}

/// Dynamic set update from the packet path (`add @s { ip saddr }`, meters).
public struct Dynset: Sendable, Codable, Hashable {
    /// NFT_DYNSET_OP_ADD (0), UPDATE (1), DELETE (2).
    public var op: UInt32
    public var setName: String
    public var sregKey: Register
    public var sregData: Register?
    public var timeoutMs: UInt64?
    /// NFT_DYNSET_F_INV.
    public var inverted: Bool
    /// Stateful expressions attached to the element (e.g. a limit in a meter).
    public var expressions: [Expression]
    public init(op: UInt32, setName: String, sregKey: Register, sregData: Register? = nil, timeoutMs: UInt64? = nil,
                inverted: Bool = false, expressions: [Expression] = []) {
        self.op = op
        self.setName = setName
        self.sregKey = sregKey
        self.sregData = sregData
        self.timeoutMs = timeoutMs
        self.inverted = inverted
        self.expressions = expressions
    }
}

/// Reference to a stateful object (counter, quota, limit, ct helper, …) by name or via a map.
public struct Objref: Sendable, Codable, Hashable {
    /// NFT_OBJECT_* type (1 counter, 2 quota, 3 ct helper, 4 limit, 5 connlimit, …).
    public var type: UInt32?
    public var name: String?
    public var setSreg: Register?
    public var setName: String?
    public init(type: UInt32? = nil, name: String? = nil, setSreg: Register? = nil, setName: String? = nil) {
        self.type = type
        self.name = name
        self.setSreg = setSreg
        self.setName = setName
    }
}

/// `fib saddr/daddr [. iif/oif] oif|oifname|type`.
public struct Fib: Sendable, Codable, Hashable {
    /// NFT_FIB_RESULT_OIF (1), OIFNAME (2), ADDRTYPE (3).
    public var result: UInt32
    /// NFTA_FIB_F_SADDR 1, DADDR 2, MARK 4, IIF 8, OIF 16, PRESENT 32.
    public var flags: UInt32
    public var dreg: Register
    public init(result: UInt32, flags: UInt32, dreg: Register) {
        self.result = result
        self.flags = flags
        self.dreg = dreg
    }
}

public struct Exthdr: Sendable, Codable, Hashable {
    public var type: UInt8
    public var offset: UInt32
    public var length: UInt32
    /// NFT_EXTHDR_OP_IPV6 (0), TCPOPT (1), IPV4 (2), SCTP (3), DCCP (4).
    public var op: UInt32
    public var flags: UInt32
    public var dreg: Register?
    public var sreg: Register?
    public init(type: UInt8, offset: UInt32, length: UInt32, op: UInt32, flags: UInt32,
                dreg: Register? = nil, sreg: Register? = nil) {
        self.type = type
        self.offset = offset
        self.length = length
        self.op = op
        self.flags = flags
        self.dreg = dreg
        self.sreg = sreg
    }
}

public struct QueueExpr: Sendable, Codable, Hashable {
    public var number: UInt16
    public var total: UInt16
    /// NFT_QUEUE_FLAG_BYPASS (1), CPU_FANOUT (2).
    public var flags: UInt16
    public init(number: UInt16, total: UInt16, flags: UInt16) {
        self.number = number
        self.total = total
        self.flags = flags
    }
}
