/// A whole nf_tables ruleset as read from the kernel (or from an offline dump), plus what the
/// reader noticed about things outside nf_tables' view.
public struct Ruleset: Sendable, Codable, Hashable {
    public var tables: [Table]
    /// Ruleset generation id (NFT_MSG_GETGEN), when known.
    public var generation: UInt32?
    /// Tables of iptables-legacy that exist but are invisible to nf_tables netlink
    /// (`/proc/net/ip_tables_names`, `/proc/net/ip6_tables_names`). Non-empty means any answer
    /// computed from `tables` alone may be wrong.
    public var legacyIptablesTables: [String]
    /// Human-readable notes from the reader (e.g. an object type it could not decode).
    public var readerWarnings: [String]

    public init(tables: [Table] = [], generation: UInt32? = nil,
                legacyIptablesTables: [String] = [], readerWarnings: [String] = []) {
        self.tables = tables
        self.generation = generation
        self.legacyIptablesTables = legacyIptablesTables
        self.readerWarnings = readerWarnings
    }

    public func table(family: Family, name: String) -> Table? {
        tables.first { $0.family == family && $0.name == name }
    }
}

public struct Table: Sendable, Codable, Hashable {
    public var family: Family
    public var name: String
    public var handle: UInt64
    /// NFT_TABLE_F_DORMANT: a dormant table's chains are not attached to hooks.
    public var dormant: Bool
    /// Raw NFTA_TABLE_FLAGS (owner, persist, …).
    public var flags: UInt32
    public var comment: String?
    public var chains: [Chain]
    public var sets: [NftSet]

    public init(family: Family, name: String, handle: UInt64 = 0, dormant: Bool = false, flags: UInt32 = 0,
                comment: String? = nil, chains: [Chain] = [], sets: [NftSet] = []) {
        self.family = family
        self.name = name
        self.handle = handle
        self.dormant = dormant
        self.flags = flags
        self.comment = comment
        self.chains = chains
        self.sets = sets
    }

    public func chain(named name: String) -> Chain? { chains.first { $0.name == name } }
    public func set(named name: String) -> NftSet? { sets.first { $0.name == name } }
}

/// A chain. A base chain has `hook`, `type` and `priority`; a regular chain has none of them.
public struct Chain: Sendable, Codable, Hashable {
    public var name: String
    public var handle: UInt64
    public var hook: Hook?
    public var type: ChainType?
    public var priority: Int32?
    /// Base chain policy; nil for regular chains (whose end means `return`).
    public var policy: Verdict?
    /// Devices for netdev (and inet ingress) base chains.
    public var devices: [String]
    public var comment: String?
    public var rules: [Rule]

    public init(name: String, handle: UInt64 = 0, hook: Hook? = nil, type: ChainType? = nil, priority: Int32? = nil,
                policy: Verdict? = nil, devices: [String] = [], comment: String? = nil, rules: [Rule] = []) {
        self.name = name
        self.handle = handle
        self.hook = hook
        self.type = type
        self.priority = priority
        self.policy = policy
        self.devices = devices
        self.comment = comment
        self.rules = rules
    }

    public var isBaseChain: Bool { hook != nil }
}

public struct Rule: Sendable, Codable, Hashable {
    public var handle: UInt64
    /// The rule's comment from its userdata (NFTNL_UDATA_RULE_COMMENT), if any.
    public var comment: String?
    public var expressions: [Expression]

    public init(handle: UInt64 = 0, comment: String? = nil, expressions: [Expression]) {
        self.handle = handle
        self.comment = comment
        self.expressions = expressions
    }
}
