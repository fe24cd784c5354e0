/// A named or anonymous set or map (`__set%d`, `__map%d` are anonymous).
public struct NftSet: Sendable, Codable, Hashable {
    public struct Flags: OptionSet, Sendable, Codable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let anonymous = Flags(rawValue: 0x1)  // NFT_SET_ANONYMOUS
        public static let constant = Flags(rawValue: 0x2)   // NFT_SET_CONSTANT
        public static let interval = Flags(rawValue: 0x4)   // NFT_SET_INTERVAL
        public static let map = Flags(rawValue: 0x8)        // NFT_SET_MAP
        public static let timeout = Flags(rawValue: 0x10)   // NFT_SET_TIMEOUT
        public static let eval = Flags(rawValue: 0x20)      // NFT_SET_EVAL (dynamic, updated from the packet path)
        public static let object = Flags(rawValue: 0x40)    // NFT_SET_OBJECT
        public static let concat = Flags(rawValue: 0x80)    // NFT_SET_CONCAT
        public static let expr = Flags(rawValue: 0x100)     // NFT_SET_EXPR
    }

    public var name: String
    public var id: UInt32?
    public var handle: UInt64
    public var flags: Flags
    /// nft's datatype id for the key (e.g. 7 = ipv4_addr, 8 = ipv6_addr, 13 = inet_service);
    /// for concatenations the ids packed 6 bits each.
    public var keyType: UInt32
    public var keyLength: Int
    /// For maps: the data type (0xffffff00 = verdict) and length.
    public var dataType: UInt32?
    public var dataLength: Int?
    /// For concatenated keys (NFTA_SET_DESC_CONCAT): the length of each field in bytes.
    public var fieldLengths: [Int]
    public var comment: String?
    /// Elements, already normalised: an interval set's start/end markers are rebuilt into
    /// inclusive ranges (`key`…`keyEnd`), in ascending key order.
    public var elements: [SetElement]

    public init(name: String, id: UInt32? = nil, handle: UInt64 = 0, flags: Flags = [], keyType: UInt32 = 0,
                keyLength: Int, dataType: UInt32? = nil, dataLength: Int? = nil, fieldLengths: [Int] = [],
                comment: String? = nil, elements: [SetElement] = []) {
        self.name = name
        self.id = id
        self.handle = handle
        self.flags = flags
        self.keyType = keyType
        self.keyLength = keyLength
        self.dataType = dataType
        self.dataLength = dataLength
        self.fieldLengths = fieldLengths
        self.comment = comment
        self.elements = elements
    }

    public static let verdictDataType: UInt32 = 0xffff_ff00
    public var isMap: Bool { flags.contains(.map) }
    public var isVerdictMap: Bool { isMap && dataType == Self.verdictDataType }
    public var isAnonymous: Bool { flags.contains(.anonymous) }
}

/// One element: a key (in network byte order, padded per field to 4 bytes for concatenations,
/// as the kernel stores it), an optional inclusive range end, and for maps the data or verdict.
public struct SetElement: Sendable, Codable, Hashable {
    public var key: [UInt8]
    /// Inclusive end of a range element; nil for a single key.
    public var keyEnd: [UInt8]?
    public var data: [UInt8]?
    public var verdict: Verdict?
    /// Elements with a timeout may vanish at any time: the evaluator treats them as conditional.
    public var hasTimeout: Bool
    /// NFT_SET_ELEM_CATCHALL (`*` in a map): matches any key no other element matches; its
    /// `key` is empty. Added by the reader (additive to the shared model).
    public var isCatchall: Bool = false
    public var comment: String?

    public init(key: [UInt8], keyEnd: [UInt8]? = nil, data: [UInt8]? = nil, verdict: Verdict? = nil,
                hasTimeout: Bool = false, comment: String? = nil) {
        self.key = key
        self.keyEnd = keyEnd
        self.data = data
        self.verdict = verdict
        self.hasTimeout = hasTimeout
        self.isCatchall = false
        self.comment = comment
    }
}
