/// A position in the UTF-8 input: byte offset, 1-based line, 0-based column in Unicode scalars.
struct Pos {
    var offset = 0
    var line = 1
    var column = 0
    var mark: YAMLMark { YAMLMark(line: line, column: column + 1) }
}

/// A lexical token; the scanner is a port of libyaml's, so token boundaries and marks match it.
struct Token {
    enum Kind {
        case streamStart, streamEnd, versionDirective, documentStart, documentEnd
        case blockSequenceStart, blockMappingStart, blockEnd
        case flowSequenceStart, flowSequenceEnd, flowMappingStart, flowMappingEnd
        case blockEntry, flowEntry, key, value
        case alias(String), anchor(String), tag(YAMLTag?, collection: String?, text: String)
        case scalar(String, YAMLScalarStyle)
    }
    var kind: Kind
    var start: Pos
    var end: Pos

    /// How the token reads in an error message.
    var what: String {
        switch kind {
        case .streamStart: "the start of the text"
        case .streamEnd: "the end of the text"
        case .versionDirective: "a %YAML directive"
        case .documentStart: "'---'"
        case .documentEnd: "'...'"
        case .blockSequenceStart, .blockEntry: "a '-' sequence item"
        case .blockMappingStart, .key: "a mapping key"
        case .blockEnd: "the end of a block"
        case .flowSequenceStart: "'['"
        case .flowSequenceEnd: "']'"
        case .flowMappingStart: "'{'"
        case .flowMappingEnd: "'}'"
        case .flowEntry: "','"
        case .value: "':'"
        case .alias: "an alias"
        case .anchor: "an anchor"
        case .tag: "a tag"
        case .scalar: "a scalar"
        }
    }
}

/// A possible implicit key: a token that becomes a mapping key if a `:` follows on its line.
struct SimpleKey {
    var possible = false
    var required = false
    var tokenNumber = 0
    var mark = Pos()
}

/// Turns the text into tokens, tracking indentation (block structure) and implicit keys the way
/// libyaml does, with stricter rules where libyaml is lenient or follows YAML 1.1. A class, so the
/// hot character accessors never copy its state.
final class Scanner {
    static let maxDepth = 256
    static let maxKeyLength = 1024

    let b: [UInt8]
    var p = Pos()
    private var tokens: [Token] = []
    private var head = 0
    /// Tokens handed to the parser so far.
    private var tokensParsed = 0
    private var streamStartProduced = false
    private var streamEndProduced = false
    private var indent = -1
    private var indents: [Int] = []
    private var simpleKeyAllowed = false
    private var simpleKeys: [SimpleKey] = [SimpleKey()]
    private var flowLevel = 0
    /// How many entries of `simpleKeys` are possible, so the common case skips scanning them.
    private var possibleKeys = 0

    init(bytes: [UInt8], start: Int) {
        b = bytes
        p.offset = start
    }

    // MARK: Characters

    @inline(__always) func at(_ k: Int) -> UInt8 {
        let i = p.offset + k
        return i < b.count ? b[i] : 0
    }
    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    @inline(__always) static func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
    @inline(__always) static func isBreakZ(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D || c == 0 }
    @inline(__always) static func isBlankZ(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0 }
    @inline(__always) static func isFlowIndicator(_ c: UInt8) -> Bool {
        c == 0x2C || c == 0x5B || c == 0x5D || c == 0x7B || c == 0x7D
    }
    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }

    /// Moves past one non-break character (all bytes of its UTF-8 sequence).
    func skip() {
        let c = b[p.offset]
        p.offset += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
        p.column += 1
    }
    /// Moves past one line break (CR LF counts as one).
    func skipBreak() {
        if at(0) == 0x0D && at(1) == 0x0A { p.offset += 2 } else { p.offset += 1 }
        p.line += 1
        p.column = 0
    }
    /// Copies one non-break character into `out` and moves past it.
    func copy(into out: inout [UInt8]) {
        let c = b[p.offset]
        if c < 0x80 {
            out.append(c)
            p.offset += 1
            p.column += 1
            return
        }
        let start = p.offset
        skip()
        out.append(contentsOf: b[start..<p.offset])
    }

    func error(_ message: String, _ at: Pos) -> YAMLSyntaxError { YAMLSyntaxError(message, at: at.mark) }

    // MARK: Token queue

    func peek() throws(YAMLSyntaxError) -> Token {
        try fetchMoreTokens()
        return tokens[head]
    }

    func next() throws(YAMLSyntaxError) -> Token {
        try fetchMoreTokens()
        let t = tokens[head]
        head += 1
        tokensParsed += 1
        if head > 512 && head * 2 > tokens.count {
            tokens.removeFirst(head)
            head = 0
        }
        return t
    }

    private func fetchMoreTokens() throws(YAMLSyntaxError) {
        while true {
            var need = head == tokens.count
            if !need && possibleKeys > 0 {
                try staleSimpleKeys()
                for k in simpleKeys where k.possible && k.tokenNumber == tokensParsed { need = true; break }
            }
            if !need || streamEndProduced { return }
            try fetchNextToken()
        }
    }

    private func append(_ kind: Token.Kind, _ start: Pos, _ end: Pos) {
        tokens.append(Token(kind: kind, start: start, end: end))
    }

    private func fetchNextToken() throws(YAMLSyntaxError) {
        if !streamStartProduced {
            streamStartProduced = true
            indent = -1
            simpleKeyAllowed = true
            append(.streamStart, p, p)
            return
        }
        try scanToNextToken()
        try staleSimpleKeys()
        unrollIndent(p.column)
        let c = at(0)
        if c == 0 { return try fetchStreamEnd() }
        if p.column == 0 {
            if c == 0x25 { return try fetchDirective() }
            if Self.isBlankZ(at(3)) {
                if c == 0x2D && at(1) == 0x2D && at(2) == 0x2D { return try fetchDocumentIndicator(.documentStart) }
                if c == 0x2E && at(1) == 0x2E && at(2) == 0x2E { return try fetchDocumentIndicator(.documentEnd) }
            }
        }
        switch c {
        case 0x5B: return try fetchFlowCollectionStart(.flowSequenceStart)
        case 0x7B: return try fetchFlowCollectionStart(.flowMappingStart)
        case 0x5D: return try fetchFlowCollectionEnd(.flowSequenceEnd)
        case 0x7D: return try fetchFlowCollectionEnd(.flowMappingEnd)
        case 0x2C: return try fetchFlowEntry()
        case 0x2D where Self.isBlankZ(at(1)): return try fetchBlockEntry()
        case 0x3F where flowLevel > 0 || Self.isBlankZ(at(1)):
            throw error("complex mapping keys ('? ') are not supported", p)
        case 0x3A where flowLevel > 0 || Self.isBlankZ(at(1)): return try fetchValue()
        case 0x2A: return try fetchAnchor(alias: true)
        case 0x26: return try fetchAnchor(alias: false)
        case 0x21: return try fetchTag()
        case 0x7C where flowLevel == 0: return try fetchBlockScalar(literal: true)
        case 0x3E where flowLevel == 0: return try fetchBlockScalar(literal: false)
        case 0x27: return try fetchFlowScalar(single: true)
        case 0x22: return try fetchFlowScalar(single: false)
        case 0x40, 0x60: throw error("'\(Character(Unicode.Scalar(c)))' is reserved and cannot start a plain scalar (quote the value)", p)
        case 0x09: throw error("tabs are not allowed for indentation", p)
        case 0x25: throw error("'%' cannot start a plain scalar (quote the value)", p)
        case 0x23, 0x7C, 0x3E, 0x2D, 0x3F, 0x3A: break
        default: return try fetchPlainScalar()
        }
        // '-', '?', ':' not followed by a blank start a plain scalar (`-1`, `:x`) except where
        // they are flow indicators.
        if c == 0x2D || ((c == 0x3F || c == 0x3A) && flowLevel == 0) {
            return try fetchPlainScalar()
        }
        throw error("found character '\(Character(Unicode.Scalar(c)))' that cannot start any token", p)
    }

    // MARK: Whitespace, comments, indentation

    /// Whether only blanks and maybe a comment remain on this line.
    private func restOfLineIsEmpty() -> Bool {
        var i = p.offset
        while i < b.count && Self.isBlank(b[i]) { i += 1 }
        return i == b.count || Self.isBreak(b[i]) || b[i] == 0x23
    }

    private func scanToNextToken() throws(YAMLSyntaxError) {
        while true {
            // Tabs may separate tokens within a line but never indent a block node; a line
            // holding only blanks and a comment may contain tabs anywhere.
            while at(0) == 0x20 || (at(0) == 0x09 && (flowLevel > 0 || !simpleKeyAllowed || restOfLineIsEmpty())) {
                skip()
            }
            if at(0) == 0x23 {
                while !Self.isBreakZ(at(0)) { skip() }
            }
            guard Self.isBreak(at(0)) else { return }
            skipBreak()
            if flowLevel == 0 { simpleKeyAllowed = true }
        }
    }

    private func staleSimpleKeys() throws(YAMLSyntaxError) {
        guard possibleKeys > 0 else { return }
        for i in simpleKeys.indices where simpleKeys[i].possible {
            let k = simpleKeys[i]
            if k.mark.line < p.line || k.mark.offset + Self.maxKeyLength < p.offset {
                if k.required { throw error("could not find expected ':' after this mapping key", k.mark) }
                simpleKeys[i].possible = false
                possibleKeys -= 1
            }
        }
    }

    private func saveSimpleKey() throws(YAMLSyntaxError) {
        let required = flowLevel == 0 && indent == p.column
        if simpleKeyAllowed {
            try removeSimpleKey()
            possibleKeys += 1
            simpleKeys[flowLevel] = SimpleKey(possible: true, required: required,
                                              tokenNumber: tokensParsed + tokens.count - head, mark: p)
        }
    }

    private func removeSimpleKey() throws(YAMLSyntaxError) {
        let k = simpleKeys[flowLevel]
        if k.possible && k.required { throw error("could not find expected ':' after this mapping key", k.mark) }
        if k.possible { possibleKeys -= 1 }
        simpleKeys[flowLevel].possible = false
    }

    private func rollIndent(_ column: Int, number: Int?, _ kind: Token.Kind, _ mark: Pos) throws(YAMLSyntaxError) {
        guard flowLevel == 0, indent < column else { return }
        if indents.count >= Self.maxDepth { throw error("nesting is deeper than \(Self.maxDepth) levels", mark) }
        indents.append(indent)
        indent = column
        let t = Token(kind: kind, start: mark, end: mark)
        if let number { tokens.insert(t, at: head + number - tokensParsed) } else { tokens.append(t) }
    }

    private func unrollIndent(_ column: Int) {
        guard flowLevel == 0 else { return }
        while indent > column {
            append(.blockEnd, p, p)
            indent = indents.removeLast()
        }
    }

    // MARK: Structure tokens

    private func fetchStreamEnd() throws(YAMLSyntaxError) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        streamEndProduced = true
        append(.streamEnd, p, p)
    }

    private func fetchDirective() throws(YAMLSyntaxError) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        let start = p
        skip()
        var name: [UInt8] = []
        while Self.isAlnum(at(0)) { copy(into: &name) }
        let n = String(decoding: name, as: UTF8.self)
        if n == "TAG" { throw error("unsupported tag directive (%TAG)", start) }
        guard n == "YAML" else { throw error("unsupported directive '%\(n)'", start) }
        while Self.isBlank(at(0)) { skip() }
        var version: [UInt8] = []
        while !Self.isBlankZ(at(0)) { copy(into: &version) }
        let v = String(decoding: version, as: UTF8.self)
        guard v == "1.1" || v == "1.2" else { throw error("unsupported YAML version '\(v)' (1.1 and 1.2 are accepted)", start) }
        let end = p
        while Self.isBlank(at(0)) { skip() }
        if at(0) == 0x23 { while !Self.isBreakZ(at(0)) { skip() } }
        guard Self.isBreakZ(at(0)) else { throw error("unexpected text after the %YAML directive", p) }
        append(.versionDirective, start, end)
    }

    private func fetchDocumentIndicator(_ kind: Token.Kind) throws(YAMLSyntaxError) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        let start = p
        skip(); skip(); skip()
        append(kind, start, p)
    }

    private func fetchFlowCollectionStart(_ kind: Token.Kind) throws(YAMLSyntaxError) {
        try saveSimpleKey()
        if flowLevel >= Self.maxDepth { throw error("nesting is deeper than \(Self.maxDepth) levels", p) }
        flowLevel += 1
        simpleKeys.append(SimpleKey())
        simpleKeyAllowed = true
        let start = p
        skip()
        append(kind, start, p)
    }

    private func fetchFlowCollectionEnd(_ kind: Token.Kind) throws(YAMLSyntaxError) {
        try removeSimpleKey()
        if flowLevel > 0 {
            flowLevel -= 1
            if simpleKeys.removeLast().possible { possibleKeys -= 1 }
        }
        simpleKeyAllowed = false
        let start = p
        skip()
        append(kind, start, p)
    }

    private func fetchFlowEntry() throws(YAMLSyntaxError) {
        try removeSimpleKey()
        simpleKeyAllowed = true
        let start = p
        skip()
        append(.flowEntry, start, p)
    }

    private func fetchBlockEntry() throws(YAMLSyntaxError) {
        if flowLevel > 0 { throw error("'-' sequence items are not allowed inside a flow collection", p) }
        if !simpleKeyAllowed { throw error("a '-' sequence item is not allowed here (start it on its own line)", p) }
        try rollIndent(p.column, number: nil, .blockSequenceStart, p)
        try removeSimpleKey()
        simpleKeyAllowed = true
        let start = p
        skip()
        append(.blockEntry, start, p)
    }

    private func fetchValue() throws(YAMLSyntaxError) {
        let k = simpleKeys[flowLevel]
        if k.possible {
            tokens.insert(Token(kind: .key, start: k.mark, end: k.mark), at: head + k.tokenNumber - tokensParsed)
            try rollIndent(k.mark.column, number: k.tokenNumber, .blockMappingStart, k.mark)
            simpleKeys[flowLevel].possible = false
            possibleKeys -= 1
        } else if flowLevel == 0 {
            if simpleKeyAllowed { throw error("a mapping key is missing before ':'", p) }
            throw error("mapping values are not allowed here", p)
        }
        // YAML 1.2: a block mapping cannot start on the line of a value (`a: b: c`).
        simpleKeyAllowed = false
        let start = p
        skip()
        append(.value, start, p)
    }

    // MARK: Anchors, aliases, tags

    private func fetchAnchor(alias: Bool) throws(YAMLSyntaxError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        let start = p
        skip()
        var name: [UInt8] = []
        while Self.isAlnum(at(0)) { copy(into: &name) }
        let c = at(0)
        guard !name.isEmpty, Self.isBlankZ(c) || (flowLevel > 0 && Self.isFlowIndicator(c)) || (alias && c == 0x3A) else {
            throw error("\(alias ? "alias" : "anchor") names may use only letters, digits, '-' and '_'", start)
        }
        let s = String(decoding: name, as: UTF8.self)
        append(alias ? .alias(s) : .anchor(s), start, p)
    }

    private func fetchTag() throws(YAMLSyntaxError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        let start = p
        var text: [UInt8] = []
        while !Self.isBlankZ(at(0)) && !(flowLevel > 0 && Self.isFlowIndicator(at(0))) { copy(into: &text) }
        let t = String(decoding: text, as: UTF8.self)
        let tag: Token.Kind
        switch t {
        case "!!str": tag = .tag(.string, collection: nil, text: t)
        case "!!int": tag = .tag(.int, collection: nil, text: t)
        case "!!bool": tag = .tag(.bool, collection: nil, text: t)
        case "!!null": tag = .tag(.null, collection: nil, text: t)
        case "!!float": tag = .tag(.float, collection: nil, text: t)
        case "!!map": tag = .tag(nil, collection: "map", text: t)
        case "!!seq": tag = .tag(nil, collection: "seq", text: t)
        default: throw error("unsupported tag '\(t)'", start)
        }
        append(tag, start, p)
    }

    // MARK: Scalars

    private func fetchBlockScalar(literal: Bool) throws(YAMLSyntaxError) {
        try removeSimpleKey()
        simpleKeyAllowed = true
        let start = p
        skip()
        var chomping = 0
        var increment = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if at(0) == 0x2B || at(0) == 0x2D {
            chomping = at(0) == 0x2B ? 1 : -1
            skip()
            if isDigit(at(0)) {
                if at(0) == 0x30 { throw error("a block scalar's indentation indicator must be 1 to 9", p) }
                increment = Int(at(0) - 0x30)
                skip()
            }
        } else if isDigit(at(0)) {
            if at(0) == 0x30 { throw error("a block scalar's indentation indicator must be 1 to 9", p) }
            increment = Int(at(0) - 0x30)
            skip()
            if at(0) == 0x2B || at(0) == 0x2D {
                chomping = at(0) == 0x2B ? 1 : -1
                skip()
            }
        }
        if at(0) == 0x23 { throw error("unexpected text after the block scalar indicator (a comment needs a space before '#')", p) }
        if !Self.isBlankZ(at(0)) { throw error("unexpected text after the block scalar indicator", p) }
        while Self.isBlank(at(0)) { skip() }
        if at(0) == 0x23 { while !Self.isBreakZ(at(0)) { skip() } }
        if !Self.isBreakZ(at(0)) { throw error("unexpected text after the block scalar indicator (a comment needs a space before '#')", p) }
        if Self.isBreak(at(0)) { skipBreak() }
        var end = p
        var blockIndent = 0
        if increment > 0 { blockIndent = indent >= 0 ? indent + increment : increment }
        var out: [UInt8] = []
        var leadingBreak = false
        var trailingBreaks = 0
        try scanBlockScalarBreaks(&blockIndent, &trailingBreaks, &end)
        var leadingBlank = false
        while p.column == blockIndent && at(0) != 0 {
            let trailingBlank = Self.isBlank(at(0))
            if !literal && leadingBreak && !leadingBlank && !trailingBlank {
                if trailingBreaks == 0 { out.append(0x20) }
            } else if leadingBreak {
                out.append(0x0A)
            }
            leadingBreak = false
            out.append(contentsOf: repeatElement(0x0A, count: trailingBreaks))
            trailingBreaks = 0
            leadingBlank = Self.isBlank(at(0))
            while !Self.isBreakZ(at(0)) { copy(into: &out) }
            end = p
            if at(0) == 0 { break }
            skipBreak()
            leadingBreak = true
            try scanBlockScalarBreaks(&blockIndent, &trailingBreaks, &end)
        }
        if chomping != -1 && leadingBreak { out.append(0x0A) }
        if chomping == 1 { out.append(contentsOf: repeatElement(0x0A, count: trailingBreaks)) }
        let s = String(decoding: out, as: UTF8.self)
        append(.scalar(s, literal ? .literal : .folded), start, end)
    }

    private func scanBlockScalarBreaks(_ blockIndent: inout Int, _ breaks: inout Int, _ end: inout Pos) throws(YAMLSyntaxError) {
        var maxIndent = 0
        end = p
        while true {
            while (blockIndent == 0 || p.column < blockIndent) && at(0) == 0x20 { skip() }
            if p.column > maxIndent { maxIndent = p.column }
            if (blockIndent == 0 || p.column < blockIndent) && at(0) == 0x09 {
                throw error("tabs are not allowed for indentation", p)
            }
            guard Self.isBreak(at(0)) else { break }
            skipBreak()
            breaks += 1
            end = p
        }
        if blockIndent == 0 {
            blockIndent = max(maxIndent, indent + 1, 1)
        }
    }

    private func fetchFlowScalar(single: Bool) throws(YAMLSyntaxError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        let start = p
        let quote: UInt8 = single ? 0x27 : 0x22
        skip()
        var out: [UInt8] = []
        var folding = LineFolding()
        while true {
            if p.column == 0 && Self.isBlankZ(at(3))
                && ((at(0) == 0x2D && at(1) == 0x2D && at(2) == 0x2D) || (at(0) == 0x2E && at(1) == 0x2E && at(2) == 0x2E)) {
                throw error("document marker inside a quoted scalar (unterminated quote?)", p)
            }
            if at(0) == 0 {
                throw error("unterminated \(single ? "single" : "double")-quoted scalar", start)
            }
            while !Self.isBlankZ(at(0)) {
                let c = at(0)
                if single && c == 0x27 && at(1) == 0x27 {
                    out.append(0x27)
                    skip(); skip()
                } else if c == quote {
                    break
                } else if !single && c == 0x5C && Self.isBreak(at(1)) {
                    skip()
                    skipBreak()
                    folding.leadingBlanks = true
                    break
                } else if !single && c == 0x5C {
                    try scanEscape(into: &out)
                } else {
                    copy(into: &out)
                }
            }
            if at(0) == quote { break }
            try scanSeparation(&folding)
            folding.flush(into: &out)
        }
        skip()
        let s = String(decoding: out, as: UTF8.self)
        append(.scalar(s, single ? .singleQuoted : .doubleQuoted), start, p)
    }

    private func scanEscape(into out: inout [UInt8]) throws(YAMLSyntaxError) {
        let start = p
        skip()
        let c = at(0)
        var hexDigits = 0
        func put(_ v: UInt32) { out.append(contentsOf: String(Character(Unicode.Scalar(v)!)).utf8) }
        switch c {
        case 0x30: out.append(0)
        case 0x61: out.append(7)
        case 0x62: out.append(8)
        case 0x74, 0x09: out.append(9)
        case 0x6E: out.append(0x0A)
        case 0x76: out.append(0x0B)
        case 0x66: out.append(0x0C)
        case 0x72: out.append(0x0D)
        case 0x65: out.append(0x1B)
        case 0x20: out.append(0x20)
        case 0x22: out.append(0x22)
        case 0x2F: out.append(0x2F)
        case 0x5C: out.append(0x5C)
        case 0x4E: put(0x85)
        case 0x5F: put(0xA0)
        case 0x4C: put(0x2028)
        case 0x50: put(0x2029)
        case 0x78: hexDigits = 2
        case 0x75: hexDigits = 4
        case 0x55: hexDigits = 8
        default:
            let shown = c == 0 || Self.isBreak(c) ? "" : String(Character(Unicode.Scalar(c)))
            throw error("invalid escape sequence '\\\(shown)' in a double-quoted scalar", start)
        }
        skip()
        guard hexDigits > 0 else { return }
        var v: UInt32 = 0
        for _ in 0..<hexDigits {
            let h = at(0)
            let d: UInt32
            switch h {
            case 0x30...0x39: d = UInt32(h - 0x30)
            case 0x41...0x46: d = UInt32(h - 0x41 + 10)
            case 0x61...0x66: d = UInt32(h - 0x61 + 10)
            default: throw error("escape sequence needs \(hexDigits) hexadecimal digits", start)
            }
            v = v << 4 | d
            skip()
        }
        guard Unicode.Scalar(v) != nil else { throw error("escape sequence is not a valid Unicode code point", start) }
        put(v)
    }

    /// Consumes the blanks and line breaks between two pieces of a quoted or plain scalar into
    /// `folding`. `tabsBefore`: for plain scalars, a tab at the start of a continuation line left
    /// of this column would be indentation, which YAML forbids.
    private func scanSeparation(_ folding: inout LineFolding, tabsBefore minColumn: Int? = nil) throws(YAMLSyntaxError) {
        while Self.isBlank(at(0)) || Self.isBreak(at(0)) {
            if Self.isBlank(at(0)) {
                if let minColumn, folding.leadingBlanks && p.column < minColumn && at(0) == 0x09 {
                    throw error("tabs are not allowed for indentation", p)
                }
                if !folding.leadingBlanks { folding.whitespace.append(at(0)) }
                skip()
            } else {
                if !folding.leadingBlanks {
                    folding.whitespace.removeAll()
                    folding.leadingBreak = true
                    folding.leadingBlanks = true
                } else {
                    folding.trailingBreaks += 1
                }
                skipBreak()
            }
        }
    }

    private func fetchPlainScalar() throws(YAMLSyntaxError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        let start = p
        var end = p
        let minColumn = indent + 1
        var out: [UInt8] = []
        var folding = LineFolding()
        while true {
            if p.column == 0 && Self.isBlankZ(at(3))
                && ((at(0) == 0x2D && at(1) == 0x2D && at(2) == 0x2D) || (at(0) == 0x2E && at(1) == 0x2E && at(2) == 0x2E)) {
                break
            }
            if at(0) == 0x23 { break }
            while !Self.isBlankZ(at(0)) {
                let c = at(0)
                if c == 0x3A && (Self.isBlankZ(at(1)) || (flowLevel > 0 && Self.isFlowIndicator(at(1)))) { break }
                if flowLevel > 0 && Self.isFlowIndicator(c) { break }
                folding.flush(into: &out)
                copy(into: &out)
                end = p
            }
            guard Self.isBlank(at(0)) || Self.isBreak(at(0)) else { break }
            try scanSeparation(&folding, tabsBefore: minColumn)
            if flowLevel == 0 && p.column < minColumn { break }
        }
        if folding.leadingBlanks { simpleKeyAllowed = true }
        append(.scalar(String(decoding: out, as: UTF8.self), .plain), start, end)
    }
}

/// The whitespace between the lines of a quoted or plain scalar, folded as YAML says: blanks
/// inside a line are kept, one line break becomes a space, n + 1 breaks become n newlines.
struct LineFolding {
    var whitespace: [UInt8] = []
    /// A line break was crossed since the last content.
    var leadingBlanks = false
    var leadingBreak = false
    var trailingBreaks = 0

    /// Appends the folded separator to `out` and starts over.
    mutating func flush(into out: inout [UInt8]) {
        if leadingBlanks {
            if leadingBreak && trailingBreaks == 0 {
                out.append(0x20)
            } else {
                out.append(contentsOf: repeatElement(0x0A, count: trailingBreaks))
            }
        } else {
            out.append(contentsOf: whitespace)
        }
        whitespace.removeAll()
        leadingBlanks = false
        leadingBreak = false
        trailingBreaks = 0
    }
}
