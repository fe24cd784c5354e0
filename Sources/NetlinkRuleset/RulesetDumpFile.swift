import Foundation
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
        return try encoder.encode(Envelope(schemaVersion: schemaVersion, ruleset: ruleset))
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
            let detail = c.underlyingError.map { "\($0)" } ?? c.debugDescription
            return .malformedFile(path: path, line: lineNumber(in: detail),
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

    /// JSONDecoder does not say where the syntax broke; JSONSerialization does ("… around
    /// character N."), so it is asked again on the error path only and N becomes line and column.
    static func syntaxErrorPosition(_ data: Data) -> (line: Int, column: Int, detail: String)? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let r = detail.range(of: "character ") else { return (1, 1, detail) }
            let offset = min(Int(detail[r.upperBound...].prefix(while: \.isNumber)) ?? 0, data.count)
            var line = 1, column = 1
            for byte in data.prefix(offset) {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            return (line, column, detail)
        }
    }

    /// Foundation's JSON errors say "… around line N, column M."
    static func lineNumber(in text: String) -> Int? {
        guard let r = text.range(of: "line ") else { return nil }
        let digits = text[r.upperBound...].prefix(while: \.isNumber)
        return Int(digits)
    }

    private static func firstSentence(_ s: String) -> String {
        let oneLine = s.replacingOccurrences(of: "\n", with: " ")
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}
