import FoundationEssentials
import JSONText
import NftModel

/// Portcullis's own offline ruleset format: the `Ruleset` model as JSON inside a versioned
/// envelope, `{"schemaVersion":1,"ruleset":{…}}`. Written by `portcullis ruleset dump`, read back
/// by `--ruleset-file` (CI on server images that cannot run the reader live).
public enum RulesetDumpFile {
    public static let schemaVersion = 1

    private struct Envelope: Codable {
        var schemaVersion: Int
        var ruleset: Ruleset
    }

    private struct VersionOnly: Decodable {
        var schemaVersion: Int?
    }

    public static func encode(_ ruleset: Ruleset, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        if pretty { return try encoder.encode(Envelope(schemaVersion: schemaVersion, ruleset: ruleset)) }
        return try CompactWriter(encoder: encoder).envelope(ruleset)
    }

    /// Writes the same JSON as `JSONEncoder` with `.sortedKeys` would, without building the
    /// encoder's in-memory tree of 10,000 rules and a 100,000-element set (which costs several
    /// times the memory of the ruleset itself): each table is encoded with its chains' rules and
    /// its sets' elements left empty, then rules (one at a time) and elements are spliced in, the
    /// plain elements (key, optional range end) written directly.
    private struct CompactWriter {
        let encoder: JSONEncoder

        func envelope(_ ruleset: Ruleset) throws -> Data {
            var head = ruleset
            head.tables = []
            // `{"ruleset":{…,"tables":[]},"schemaVersion":1}` — open the empty tables array.
            let skeleton = try encoder.encode(Envelope(schemaVersion: schemaVersion, ruleset: head))
            let marker = Data("\"tables\":[]".utf8)
            guard let r = skeleton.firstRange(of: marker) else { return try encoder.encode(Envelope(schemaVersion: schemaVersion, ruleset: ruleset)) }
            var out = Data()
            out.append(skeleton[..<r.lowerBound])
            out.append(contentsOf: Array("\"tables\":[".utf8))
            for (i, table) in ruleset.tables.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try append(table, to: &out)
            }
            out.append(UInt8(ascii: "]"))
            out.append(skeleton[r.upperBound...])
            return out
        }

        private func append(_ table: Table, to out: inout Data) throws {
            var bare = table
            for i in bare.chains.indices { bare.chains[i].rules = [] }
            for i in bare.sets.indices { bare.sets[i].elements = [] }
            let encoded = try encoder.encode(bare)
            // Sorted keys put "chains" before "sets"; a string value can only contain a marker with
            // escaped quotes. So the n-th `"rules":[]` is the n-th chain's, and the n-th
            // `"elements":[]` (all after the chains) the n-th set's.
            var cursor = encoded.startIndex
            func splice(_ key: String, _ body: (inout Data) throws -> Void) throws {
                let marker = Data("\"\(key)\":[]".utf8)
                guard let r = encoded[cursor...].firstRange(of: marker) else { return }
                out.append(encoded[cursor..<r.lowerBound])
                out.append(contentsOf: Array("\"\(key)\":[".utf8))
                try body(&out)
                out.append(UInt8(ascii: "]"))
                cursor = r.upperBound
            }
            for chain in table.chains {
                try splice("rules") { out in
                    for (j, rule) in chain.rules.enumerated() {
                        if j > 0 { out.append(UInt8(ascii: ",")) }
                        out.append(try encoder.encode(rule))
                    }
                }
            }
            for set in table.sets {
                try splice("elements") { out in
                    for (j, e) in set.elements.enumerated() {
                        if j > 0 { out.append(UInt8(ascii: ",")) }
                        if e.comment == nil, e.verdict == nil, e.data == nil {
                            appendPlain(e, to: &out)
                        } else {
                            out.append(try encoder.encode(e))
                        }
                    }
                }
            }
            out.append(encoded[cursor...])
        }

        /// `{"hasTimeout":false,"isCatchall":false,"key":[…],"keyEnd":[…]}` in sorted-key order.
        private func appendPlain(_ e: SetElement, to out: inout Data) {
            var s = "{\"hasTimeout\":\(e.hasTimeout),\"isCatchall\":\(e.isCatchall),\"key\":["
            s += e.key.map(String.init).joined(separator: ",")
            s += "]"
            if let end = e.keyEnd { s += ",\"keyEnd\":[" + end.map(String.init).joined(separator: ",") + "]" }
            s += "}"
            out.append(contentsOf: Array(s.utf8))
        }
    }

    /// Decodes a dump; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws(RulesetReadError) -> Ruleset {
        let decoder = JSONDecoder()
        let version: Int?
        do {
            version = try decoder.decode(VersionOnly.self, from: data).schemaVersion
        } catch {
            throw malformed(error, path: path, data: data)
        }
        guard let version else {
            throw .malformedFile(path: path, line: nil, reason: "not a Portcullis ruleset dump (no \"schemaVersion\")")
        }
        guard version == schemaVersion else {
            throw .malformedFile(path: path, line: nil,
                                 reason: "unsupported schemaVersion \(version) (this portcullis reads \(schemaVersion))")
        }
        do {
            return try decoder.decode(Envelope.self, from: data).ruleset
        } catch {
            throw malformed(error, path: path, data: data)
        }
    }

    public static func read(path: String) throws(RulesetReadError) -> Ruleset {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw .unreadableFile(path: path, reason: reason)
        }
        return try decode(data, path: path)
    }

    /// One line naming where the decoder stopped: the JSON line when the syntax is wrong, the
    /// model path (`ruleset.tables[0].chains[1].name`) when a value has the wrong shape.
    static func malformed(_ error: Error, path: String, data: Data) -> RulesetReadError {
        guard let e = error as? DecodingError else {
            return .malformedFile(path: path, line: nil, reason: "\(error)")
        }
        func where_(_ p: [CodingKey]) -> String {
            var s = ""
            for k in p {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
            }
            return s.isEmpty ? "top level" : s
        }
        switch e {
        case .dataCorrupted(let c):
            if c.codingPath.isEmpty, let (line, column, detail) = syntaxErrorPosition(data) {
                return .malformedFile(path: path, line: line, reason: "invalid JSON at column \(column): \(firstSentence(detail))")
            }
            // A shape error's message names no line (swift-foundation's decoder keeps none); the
            // model path says where.
            return .malformedFile(path: path, line: nil,
                                  reason: "at \(where_(c.codingPath)): \(firstSentence(c.debugDescription))")
        case .keyNotFound(let key, let c):
            return .malformedFile(path: path, line: nil, reason: "at \(where_(c.codingPath)): missing \"\(key.stringValue)\"")
        case .typeMismatch(let type, let c):
            return .malformedFile(path: path, line: nil, reason: "at \(where_(c.codingPath)): expected \(type)")
        case .valueNotFound(let type, let c):
            return .malformedFile(path: path, line: nil, reason: "at \(where_(c.codingPath)): expected \(type), found null")
        @unknown default:
            return .malformedFile(path: path, line: nil, reason: "\(e)")
        }
    }

    /// JSONDecoder does not say where the syntax broke, so the text is checked again on the
    /// error path only (`JSONSyntaxCheck`) for the line and column.
    static func syntaxErrorPosition(_ data: Data) -> (line: Int, column: Int, detail: String)? {
        guard let p = JSONSyntaxCheck.firstProblem(in: data) else { return nil }
        return (p.line, p.column, p.message)
    }

    private static func firstSentence(_ s: String) -> String {
        let oneLine = s.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}
