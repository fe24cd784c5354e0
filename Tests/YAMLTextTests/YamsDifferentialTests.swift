import Testing
import Yams
@testable import YAMLText

/// Our reader against Yams (libyaml) on the shipped policies and a corpus of snippets: same
/// structure, scalar text, marks and types, except where YAML 1.1 (Yams) and the 1.2 core schema
/// differ, and where our alias copies point at the alias.
struct YamsDifferentialTests {
    /// Plain scalars whose type differs between Yams' YAML 1.1 resolver and the 1.2 core schema:
    /// - booleans yes/no/on/off (any case spelling Yams knows): 1.1 bool, 1.2 string;
    /// - numbers with `_` separators and sexagesimal `1:30`: 1.1 int/float, 1.2 string;
    /// - `0b101`: 1.1 int, 1.2 string; a signed `+0o7`/`-0x1F`: 1.1 int, 1.2 string;
    /// - leading-zero decimals containing 8 or 9 (`08`): 1.1 float, 1.2 int;
    /// - `+.5`, `-.5`, `.5e3`: 1.1 string, 1.2 float;
    /// - timestamps `2026-12-31`: 1.1 timestamp, 1.2 string; `<<` (merge) and `=` (value): 1.1 only.
    static func knownTagDifference(_ s: String) -> Bool {
        let bools11: Set = ["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]
        if bools11.contains(s) || s == "<<" || s == "=" { return true }
        if s.contains("_") || s.contains(":") { return true }
        let unsigned = s.hasPrefix("+") || s.hasPrefix("-") ? String(s.dropFirst()) : s
        if unsigned.hasPrefix("0b") || (unsigned != s && (unsigned.hasPrefix("0o") || unsigned.hasPrefix("0x"))) { return true }
        if unsigned.hasPrefix("0") && unsigned.allSatisfy(\.isNumber) && unsigned.contains(where: { $0 == "8" || $0 == "9" }) { return true }
        if unsigned.hasPrefix(".") && unsigned.dropFirst().first?.isNumber == true { return true }
        let c = Array(s)
        if c.count >= 5 && c[0..<4].allSatisfy(\.isNumber) && c[4] == "-" { return true }
        return false
    }

    static func tag(_ node: Yams.Node) -> YAMLTag? {
        switch node.tag.description {
        case "tag:yaml.org,2002:null": .null
        case "tag:yaml.org,2002:bool": .bool
        case "tag:yaml.org,2002:int": .int
        case "tag:yaml.org,2002:float": .float
        case "tag:yaml.org,2002:str": .string
        default: nil
        }
    }

    /// Differences between the trees, as readable lines (empty when they agree).
    static func differences(_ ours: YAMLNode, _ theirs: Yams.Node, lines: [Substring], path: String = "$") -> [String] {
        var out: [String] = []
        let ourMark = ours.mark
        // An alias copy's root points at the `*`; Yams returns the anchored node itself.
        let isAliasCopy = lines.indices.contains(ourMark.line - 1)
            && Array(lines[ourMark.line - 1].unicodeScalars).dropFirst(ourMark.column - 1).first == "*"
        if let m = theirs.mark, !isAliasCopy, m.line != ourMark.line || m.column != ourMark.column {
            out.append("\(path): mark \(ourMark) vs Yams \(m.line):\(m.column)")
        }
        switch (ours, theirs) {
        case (.scalar(let s), .scalar(let t)):
            if s.string != t.string { out.append("\(path): \(s.string.debugDescription) vs Yams \(t.string.debugDescription)") }
            let theirTag = tag(theirs)
            if theirTag != s.tag && !(s.style == .plain && knownTagDifference(s.string)) {
                out.append("\(path): tag \(s.tag) vs Yams \(theirs.tag)")
            }
        case (.sequence(let items, _), .sequence(let t)):
            let theirItems = Array(t)
            if items.count != theirItems.count { out.append("\(path): \(items.count) items vs Yams \(theirItems.count)") }
            for (i, (a, b)) in zip(items, theirItems).enumerated() {
                out += differences(a, b, lines: lines, path: "\(path)[\(i)]")
            }
        case (.mapping(let pairs, _), .mapping(let t)):
            let theirPairs = Array(t)
            if pairs.count != theirPairs.count { out.append("\(path): \(pairs.count) pairs vs Yams \(theirPairs.count)") }
            for (i, (a, b)) in zip(pairs, theirPairs).enumerated() {
                out += differences(a.key, b.key, lines: lines, path: "\(path).key\(i)")
                out += differences(a.value, b.value, lines: lines, path: "\(path).\(a.key.scalarText)")
            }
        default:
            out.append("\(path): \(ours) vs Yams \(theirs)")
        }
        return out
    }

    static func check(_ text: String) throws {
        let ours = try YAMLDocument.parse(text)
        // libyaml counts a byte-order mark as column 1 of line 1; we do not (editors do not show it).
        let theirs = try Yams.compose(yaml: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        switch (ours, theirs) {
        case (nil, nil): return
        case (let o?, let t?):
            let d = differences(o, t, lines: lines)
            #expect(d.isEmpty, "\(text.debugDescription):\n\(d.joined(separator: "\n"))")
        default:
            Issue.record("\(text.debugDescription): ours \(String(describing: ours)) vs Yams \(String(describing: theirs))")
        }
    }

    @Test func policyFilesAgree() throws {
        #expect(Corpus.policies.count >= 4)
        for (name, text) in Corpus.policies {
            #expect(!text.isEmpty, "\(name)")
            try Self.check(text)
            #expect(try YAMLDocument.parse(text) != nil, "\(name)")
        }
    }

    @Test(arguments: Corpus.valid)
    func snippetsAgree(_ text: String) throws {
        try Self.check(text)
    }

    @Test(arguments: Corpus.invalid)
    func bothReject(_ text: String) {
        #expect(failure(text) != nil, "we accepted \(text.debugDescription)")
        #expect((try? Yams.compose(yaml: text)) == nil, "Yams accepted \(text.debugDescription)")
    }

    @Test(arguments: Corpus.strictOnly)
    func stricterThanYams(_ text: String) {
        #expect(failure(text) != nil, "we accepted \(text.debugDescription)")
        #expect((try? Yams.compose(yaml: text)) != nil, "Yams rejected \(text.debugDescription): move it to `invalid`")
    }

    @Test func theExclusionsAreRealDifferences() throws {
        // The 1.1/1.2 exclusions are not hiding bugs: for each, our tag is the 1.2 one and Yams' differs.
        let cases: [(String, YAMLTag)] = [("yes", .string), ("off", .string), ("1_000", .string), ("1:30", .string),
                                          ("0b101", .string), ("08", .int), ("+.5", .float), ("2026-12-31", .string)]
        for (text, tag) in cases {
            #expect(YAMLTag.resolve(plain: text) == tag, "\(text)")
            let theirs = try #require(try Yams.compose(yaml: text))
            #expect(Self.tag(theirs) != tag, "\(text): Yams agrees, so it need not be excluded")
            #expect(Self.knownTagDifference(text), "\(text)")
        }
        #expect(!Self.knownTagDifference("12") && !Self.knownTagDifference("true") && !Self.knownTagDifference("host"))
    }
}

extension YAMLNode {
    var scalarText: String {
        if case .scalar(let s) = self { return s.string }
        return "?"
    }
}
