/// Builds the node tree from tokens with an explicit stack (libyaml's parser states plus a
/// composer), so hostile nesting costs memory bounded by `Scanner.maxDepth`, never the call stack.
struct Composer {
    /// Nodes an alias may copy in total; past it the document is a "billion laughs" attack.
    static let maxAliasNodes = 100_000

    private enum State {
        case documentEnd
        case blockMappingKey, blockMappingValue
        case blockSequenceEntry, indentlessSequenceEntry
        case flowSequenceEntry(first: Bool)
        case flowMappingKey(first: Bool), flowMappingValue, flowMappingEmptyValue
    }

    /// A collection being read.
    private struct Frame {
        enum Kind { case blockMapping, blockSequence, indentlessSequence, flowSequence, flowMapping }
        var kind: Kind
        var mark: Pos
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// First occurrence of each key (by tag and text), for duplicate-key errors.
        var keys: [KeyID: YAMLMark] = [:]
        /// Nodes in this collection, itself included (what an alias to it would copy).
        var size = 1
        var isMapping: Bool { kind == .blockMapping || kind == .flowMapping }
    }

    private struct KeyID: Hashable {
        var tag: YAMLTag
        var string: String
    }

    private struct Props {
        var anchor: String?
        var tag: Token.Kind?
        var start: Pos?
    }

    private let scanner: Scanner
    private var state = State.documentEnd
    private var states: [State] = []
    private var frames: [Frame] = []
    private var root: YAMLNode?
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var aliasNodes = 0
    /// The previous token, to explain text that follows a finished value on its line.
    private var last: Token?

    init(scanner: Scanner) {
        self.scanner = scanner
    }

    private func error(_ message: String, _ at: Pos) -> YAMLSyntaxError { YAMLSyntaxError(message, at: at.mark) }

    private mutating func take() throws(YAMLSyntaxError) -> Token {
        let t = try scanner.next()
        last = t
        return t
    }

    private mutating func peek() throws(YAMLSyntaxError) -> Token { try scanner.peek() }

    // MARK: Document

    mutating func parseDocument() throws(YAMLSyntaxError) -> YAMLNode? {
        guard case .streamStart = try take().kind else { throw error("internal error: no stream start", scanner.p) }
        var explicit = false
        var sawDirective = false
        while true {
            let t = try peek()
            switch t.kind {
            case .documentEnd: _ = try take(); continue
            case .versionDirective:
                if sawDirective { throw error("duplicate %YAML directive", t.start) }
                sawDirective = true
                _ = try take()
                continue
            case .documentStart:
                explicit = true
                _ = try take()
            case .streamEnd:
                if sawDirective { throw error("a %YAML directive must be followed by '---'", t.start) }
                return nil
            default:
                if sawDirective { throw error("a %YAML directive must be followed by '---'", t.start) }
            }
            break
        }
        if explicit {
            let t = try peek()
            switch t.kind {
            case .versionDirective, .documentStart, .documentEnd, .streamEnd:
                // `---` with no content: an empty (null) node right after the marker.
                root = .scalar(YAMLScalar(string: "", tag: .null, style: .plain, mark: (last?.end ?? t.start).mark))
                return try finishDocument()
            default: break
            }
        }
        states.append(.documentEnd)
        try parseNode(block: true, indentlessSequence: false)
        while true {
            switch state {
            case .documentEnd: return try finishDocument()
            case .blockMappingKey: try blockMappingKey()
            case .blockMappingValue: try blockMappingValue()
            case .blockSequenceEntry: try blockSequenceEntry()
            case .indentlessSequenceEntry: try indentlessSequenceEntry()
            case .flowSequenceEntry(let first): try flowSequenceEntry(first: first)
            case .flowMappingKey(let first): try flowMappingKey(first: first)
            case .flowMappingValue: try flowMappingValue(empty: false)
            case .flowMappingEmptyValue: try flowMappingValue(empty: true)
            }
        }
    }

    private mutating func finishDocument() throws(YAMLSyntaxError) -> YAMLNode? {
        var t = try peek()
        if case .documentEnd = t.kind {
            _ = try take()
            t = try peek()
            while case .documentEnd = t.kind { _ = try take(); t = try peek() }
        }
        switch t.kind {
        case .streamEnd: return root
        case .documentStart, .versionDirective: throw error("a file holds one YAML document", t.start)
        default: throw unexpected(t, "the end of the document")
        }
    }

    /// An error for token `t` where `expected` was due, explaining the common causes.
    private func unexpected(_ t: Token, _ expected: String) -> YAMLSyntaxError {
        if let last, last.end.line == t.start.line {
            switch last.kind {
            case .flowSequenceEnd, .flowMappingEnd:
                return error("unexpected text after a flow collection on the same line", t.start)
            case .scalar(_, let style) where style == .singleQuoted || style == .doubleQuoted:
                return error("unexpected text after a quoted scalar on the same line", t.start)
            default: break
            }
        }
        return error("expected \(expected), found \(t.what)", t.start)
    }

    // MARK: Nodes

    /// Reads one node; a scalar or alias is finished at once, a collection opens a frame.
    private mutating func parseNode(block: Bool, indentlessSequence: Bool) throws(YAMLSyntaxError) {
        var t = try peek()
        if case .alias(let name) = t.kind {
            _ = try take()
            guard let (node, size) = anchors[name] else { throw error("undefined alias '*\(name)'", t.start) }
            aliasNodes += size
            if aliasNodes > Self.maxAliasNodes {
                throw error("aliases expand to more than \(Self.maxAliasNodes) nodes", t.start)
            }
            return try finish(node.moved(to: t.start.mark), size: size, anchor: nil)
        }
        var props = Props()
        while true {
            if case .anchor(let name) = t.kind, props.anchor == nil {
                props.anchor = name
            } else if case .tag = t.kind, props.tag == nil {
                props.tag = t.kind
            } else {
                break
            }
            if props.start == nil { props.start = t.start }
            _ = try take()
            t = try peek()
        }
        if case .alias = t.kind, props.start != nil {
            throw error("an alias cannot have an anchor or a tag", t.start)
        }
        let start = props.start ?? t.start
        switch t.kind {
        case .blockEntry where indentlessSequence:
            try open(.indentlessSequence, start, props, state: .indentlessSequenceEntry)
        case .scalar(let string, let style):
            _ = try take()
            try finishScalar(string, style, start, props)
        case .flowSequenceStart:
            _ = try take()
            try open(.flowSequence, start, props, state: .flowSequenceEntry(first: true))
        case .flowMappingStart:
            _ = try take()
            try open(.flowMapping, start, props, state: .flowMappingKey(first: true))
        case .blockSequenceStart where block:
            _ = try take()
            try open(.blockSequence, start, props, state: .blockSequenceEntry)
        case .blockMappingStart where block:
            _ = try take()
            try open(.blockMapping, start, props, state: .blockMappingKey)
        default:
            if props.start != nil {
                // Properties with no content: an empty scalar (`key: !!str`).
                try finishScalar("", .plain, start, props)
            } else {
                switch t.kind {
                case .blockEntry, .blockSequenceStart:
                    throw error("a '-' sequence item is not allowed here", t.start)
                case .blockMappingStart, .key:
                    throw error("a block mapping is not allowed here", t.start)
                default:
                    throw unexpected(t, "a value")
                }
            }
        }
    }

    private mutating func finishScalar(_ string: String, _ style: YAMLScalarStyle, _ start: Pos, _ props: Props) throws(YAMLSyntaxError) {
        var tag: YAMLTag = style == .plain ? YAMLTag.resolve(plain: string) : .string
        if case .tag(let scalarTag, let collection, let text) = props.tag {
            guard let scalarTag, collection == nil else {
                throw error("tag \(text) does not apply to a scalar", props.start ?? start)
            }
            guard scalarTag.accepts(string) else {
                throw error("'\(string)' is not a valid \(text)", props.start ?? start)
            }
            tag = scalarTag
        }
        let node = YAMLNode.scalar(YAMLScalar(string: string, tag: tag, style: style, mark: start.mark))
        try finish(node, size: 1, anchor: props.anchor)
    }

    private mutating func open(_ kind: Frame.Kind, _ start: Pos, _ props: Props, state next: State) throws(YAMLSyntaxError) {
        if let top = frames.last, top.isMapping, top.pendingKey == nil {
            throw error("a collection cannot be a mapping key", start)
        }
        if frames.count >= Scanner.maxDepth { throw error("nesting is deeper than \(Scanner.maxDepth) levels", start) }
        if case .tag(_, let collection, let text) = props.tag {
            let isMapping = kind == .blockMapping || kind == .flowMapping
            if collection != (isMapping ? "map" : "seq") {
                throw error("tag \(text) does not apply to a \(isMapping ? "mapping" : "sequence")", props.start ?? start)
            }
        }
        frames.append(Frame(kind: kind, mark: start, anchor: props.anchor))
        state = next
    }

    /// Hands a finished node to the collection being read (or makes it the document's root).
    private mutating func finish(_ node: YAMLNode, size: Int, anchor: String?) throws(YAMLSyntaxError) {
        if let anchor { anchors[anchor] = (node, size) }
        state = states.removeLast()
        guard !frames.isEmpty else {
            root = node
            return
        }
        let i = frames.count - 1
        frames[i].size += size
        if frames[i].isMapping {
            if let key = frames[i].pendingKey {
                frames[i].pairs.append(YAMLPair(key: key, value: node))
                frames[i].pendingKey = nil
            } else {
                guard case .scalar(let s) = node else { throw YAMLSyntaxError("a collection cannot be a mapping key", at: node.mark) }
                let id = KeyID(tag: s.tag, string: s.string)
                if let first = frames[i].keys[id] {
                    throw YAMLSyntaxError("duplicate key '\(s.string)' (first defined at \(first))", at: s.mark)
                }
                frames[i].keys[id] = s.mark
                frames[i].pendingKey = node
            }
        } else {
            frames[i].items.append(node)
        }
    }

    private mutating func close() throws(YAMLSyntaxError) {
        let f = frames.removeLast()
        let node: YAMLNode = f.isMapping ? .mapping(f.pairs, mark: f.mark.mark) : .sequence(f.items, mark: f.mark.mark)
        try finish(node, size: f.size, anchor: f.anchor)
    }

    private mutating func empty(at pos: Pos) throws(YAMLSyntaxError) {
        states.append(state)
        try finishScalar("", .plain, pos, Props())
    }

    // MARK: Block collections

    private mutating func blockMappingKey() throws(YAMLSyntaxError) {
        let t = try peek()
        switch t.kind {
        case .key:
            _ = try take()
            states.append(.blockMappingValue)
            let n = try peek()
            switch n.kind {
            case .key, .value, .blockEnd: throw error("a mapping key is missing before ':'", n.start)
            default: try parseNode(block: true, indentlessSequence: true)
            }
        case .blockEnd:
            _ = try take()
            try close()
        case .blockSequenceStart, .blockEntry:
            throw error("a '-' sequence item at the wrong indentation", t.start)
        case .blockMappingStart:
            throw error("bad indentation of a mapping entry (this mapping's keys are at column \(frames[frames.count - 1].mark.column + 1))", t.start)
        case .value:
            throw error("a mapping key is missing before ':'", t.start)
        default:
            throw unexpected(t, "a mapping key")
        }
    }

    private mutating func blockMappingValue() throws(YAMLSyntaxError) {
        let t = try peek()
        guard case .value = t.kind else { throw unexpected(t, "':'") }
        _ = try take()
        let n = try peek()
        switch n.kind {
        case .key, .value, .blockEnd:
            state = .blockMappingKey
            try empty(at: t.end)
        default:
            states.append(.blockMappingKey)
            try parseNode(block: true, indentlessSequence: true)
        }
    }

    private mutating func blockSequenceEntry() throws(YAMLSyntaxError) {
        let t = try peek()
        switch t.kind {
        case .blockEntry:
            _ = try take()
            let n = try peek()
            switch n.kind {
            case .blockEntry, .blockEnd:
                state = .blockSequenceEntry
                try empty(at: t.end)
            default:
                states.append(.blockSequenceEntry)
                try parseNode(block: true, indentlessSequence: false)
            }
        case .blockEnd:
            _ = try take()
            try close()
        case .blockMappingStart, .key:
            throw error("bad indentation: a mapping key where a '-' sequence item was expected", t.start)
        default:
            throw unexpected(t, "a '-' sequence item")
        }
    }

    private mutating func indentlessSequenceEntry() throws(YAMLSyntaxError) {
        let t = try peek()
        guard case .blockEntry = t.kind else { return try close() }
        _ = try take()
        let n = try peek()
        switch n.kind {
        case .blockEntry, .key, .value, .blockEnd:
            state = .indentlessSequenceEntry
            try empty(at: t.end)
        default:
            states.append(.indentlessSequenceEntry)
            try parseNode(block: true, indentlessSequence: false)
        }
    }

    // MARK: Flow collections

    private mutating func flowSequenceEntry(first: Bool) throws(YAMLSyntaxError) {
        var t = try peek()
        if case .flowSequenceEnd = t.kind {
            _ = try take()
            return try close()
        }
        switch t.kind {
        case .streamEnd, .documentStart, .documentEnd: throw error("unterminated flow sequence", frames[frames.count - 1].mark)
        default: break
        }
        if !first {
            guard case .flowEntry = t.kind else { throw unexpected(t, "',' or ']'") }
            _ = try take()
            t = try peek()
            if case .flowSequenceEnd = t.kind {
                _ = try take()
                return try close()
            }
        }
        switch t.kind {
        case .key: throw error("single-pair mappings inside a flow sequence are not supported (write {key: value})", t.start)
        case .streamEnd, .documentStart, .documentEnd: throw error("unterminated flow sequence", frames[frames.count - 1].mark)
        case .flowEntry: throw error("expected a value before ','", t.start)
        default: break
        }
        states.append(.flowSequenceEntry(first: false))
        try parseNode(block: false, indentlessSequence: false)
    }

    private mutating func flowMappingKey(first: Bool) throws(YAMLSyntaxError) {
        var t = try peek()
        if case .flowMappingEnd = t.kind {
            _ = try take()
            return try close()
        }
        switch t.kind {
        case .streamEnd, .documentStart, .documentEnd: throw error("unterminated flow mapping", frames[frames.count - 1].mark)
        default: break
        }
        if !first {
            guard case .flowEntry = t.kind else { throw unexpected(t, "',' or '}'") }
            _ = try take()
            t = try peek()
            if case .flowMappingEnd = t.kind {
                _ = try take()
                return try close()
            }
        }
        switch t.kind {
        case .key:
            _ = try take()
            let n = try peek()
            switch n.kind {
            case .value, .flowEntry, .flowMappingEnd: throw error("a mapping key is missing before ':'", n.start)
            default: break
            }
            states.append(.flowMappingValue)
        case .streamEnd, .documentStart, .documentEnd: throw error("unterminated flow mapping", frames[frames.count - 1].mark)
        case .value: throw error("a mapping key is missing before ':'", t.start)
        case .flowEntry: throw error("expected a mapping entry before ','", t.start)
        default:
            states.append(.flowMappingEmptyValue)
        }
        try parseNode(block: false, indentlessSequence: false)
    }

    private mutating func flowMappingValue(empty isEmpty: Bool) throws(YAMLSyntaxError) {
        let t = try peek()
        state = .flowMappingKey(first: false)
        if isEmpty { return try empty(at: t.start) }
        if case .value = t.kind {
            _ = try take()
            let n = try peek()
            switch n.kind {
            case .flowEntry, .flowMappingEnd:
                return try empty(at: n.start)
            default:
                states.append(.flowMappingKey(first: false))
                return try parseNode(block: false, indentlessSequence: false)
            }
        }
        try empty(at: t.start)
    }
}
