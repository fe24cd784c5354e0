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
    // Stored compactly: a blocklist set can hold hundreds of thousands of ranges, and one array
    // object per key and per range end, plus room for map data and a comment most elements lack,
    // made the elements the largest part of a big ruleset's memory. Keys of up to 16 bytes (every
    // address and port) are kept inline; the rarely used fields live in one optional box.
    private var keyBytes: InlineBytes
    private var keyEndBytes: InlineBytes?
    private var extras: Extras?
    /// NFT_SET_ELEM_CATCHALL (`*` in a map): matches any key no other element matches; its
    /// `key` is empty. Added by the reader (additive to the shared model).
    public var isCatchall: Bool = false

    public var key: [UInt8] {
        get { keyBytes.bytes }
        set { keyBytes = InlineBytes(newValue) }
    }
    /// Inclusive end of a range element; nil for a single key.
    public var keyEnd: [UInt8]? {
        get { keyEndBytes?.bytes }
        set { keyEndBytes = newValue.map(InlineBytes.init) }
    }
    public var data: [UInt8]? {
        get { extras?.data }
        set { updateExtras { $0.data = newValue } }
    }
    public var verdict: Verdict? {
        get { extras?.verdict }
        set { updateExtras { $0.verdict = newValue } }
    }
    /// Elements with a timeout may vanish at any time: the evaluator treats them as conditional.
    public var hasTimeout: Bool {
        get { extras?.hasTimeout ?? false }
        set { updateExtras { $0.hasTimeout = newValue } }
    }
    public var comment: String? {
        get { extras?.comment }
        set { updateExtras { $0.comment = newValue } }
    }

    public init(key: [UInt8], keyEnd: [UInt8]? = nil, data: [UInt8]? = nil, verdict: Verdict? = nil,
                hasTimeout: Bool = false, comment: String? = nil) {
        keyBytes = InlineBytes(key)
        keyEndBytes = keyEnd.map(InlineBytes.init)
        let x = Extras(data: data, verdict: verdict, hasTimeout: hasTimeout, comment: comment)
        extras = x.isEmpty ? nil : x
    }

    private mutating func updateExtras(_ change: (inout Extras) -> Void) {
        var x = extras ?? Extras()
        change(&x)
        extras = x.isEmpty ? nil : x
    }

    /// Map data, verdict, timeout and comment: absent from most elements of big sets.
    private struct Extras: Sendable, Hashable {
        private final class Box: Sendable {
            let data: [UInt8]?
            let verdict: Verdict?
            let hasTimeout: Bool
            let comment: String?
            init(data: [UInt8]?, verdict: Verdict?, hasTimeout: Bool, comment: String?) {
                self.data = data
                self.verdict = verdict
                self.hasTimeout = hasTimeout
                self.comment = comment
            }
        }
        private var box: Box

        init(data: [UInt8]? = nil, verdict: Verdict? = nil, hasTimeout: Bool = false, comment: String? = nil) {
            box = Box(data: data, verdict: verdict, hasTimeout: hasTimeout, comment: comment)
        }

        var data: [UInt8]? {
            get { box.data }
            set { box = Box(data: newValue, verdict: verdict, hasTimeout: hasTimeout, comment: comment) }
        }
        var verdict: Verdict? {
            get { box.verdict }
            set { box = Box(data: data, verdict: newValue, hasTimeout: hasTimeout, comment: comment) }
        }
        var hasTimeout: Bool {
            get { box.hasTimeout }
            set { box = Box(data: data, verdict: verdict, hasTimeout: newValue, comment: comment) }
        }
        var comment: String? {
            get { box.comment }
            set { box = Box(data: data, verdict: verdict, hasTimeout: hasTimeout, comment: newValue) }
        }
        var isEmpty: Bool { data == nil && verdict == nil && !hasTimeout && comment == nil }

        static func == (a: Extras, b: Extras) -> Bool {
            a.box === b.box || (a.data == b.data && a.verdict == b.verdict && a.hasTimeout == b.hasTimeout && a.comment == b.comment)
        }
        func hash(into h: inout Hasher) {
            h.combine(data)
            h.combine(verdict)
            h.combine(hasTimeout)
            h.combine(comment)
        }
    }

    // The JSON form names the public fields, as before the compact storage.
    private enum CodingKeys: String, CodingKey { case key, keyEnd, data, verdict, hasTimeout, isCatchall, comment }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(key: try c.decode([UInt8].self, forKey: .key),
                  keyEnd: try c.decodeIfPresent([UInt8].self, forKey: .keyEnd),
                  data: try c.decodeIfPresent([UInt8].self, forKey: .data),
                  verdict: try c.decodeIfPresent(Verdict.self, forKey: .verdict),
                  hasTimeout: try c.decodeIfPresent(Bool.self, forKey: .hasTimeout) ?? false,
                  comment: try c.decodeIfPresent(String.self, forKey: .comment))
        isCatchall = try c.decodeIfPresent(Bool.self, forKey: .isCatchall) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encodeIfPresent(keyEnd, forKey: .keyEnd)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encodeIfPresent(verdict, forKey: .verdict)
        try c.encode(hasTimeout, forKey: .hasTimeout)
        try c.encode(isCatchall, forKey: .isCatchall)
        try c.encodeIfPresent(comment, forKey: .comment)
    }
}

/// A short byte string without a heap object: up to 16 bytes inline (zero-padded, so equal
/// bytes are equal values), longer ones (concatenated keys) in an array.
struct InlineBytes: Sendable, Hashable {
    private enum Storage: Sendable, Hashable {
        case inline(UInt64, UInt64, count: UInt8)
        case array([UInt8])
    }
    private let storage: Storage

    init(_ bytes: [UInt8]) {
        guard bytes.count <= 16 else { storage = .array(bytes); return }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        storage = .inline(words.0, words.1, count: UInt8(bytes.count))
    }

    var bytes: [UInt8] {
        switch storage {
        case .array(let a):
            return a
        case .inline(let w0, let w1, let count):
            let words = (w0, w1)
            return withUnsafeBytes(of: words) { Array($0.prefix(Int(count))) }
        }
    }
}
