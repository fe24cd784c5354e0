/// A JSON document with ordered object keys, so machine reports read in a stable, meaningful
/// order (schemaVersion first) and byte-identical runs diff cleanly.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
    public func hash(into h: inout Hasher) { h.combine(serialized()) }

    /// Optional values become null.
    public static func opt(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func opt(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }
    public static func opt(_ b: Bool?) -> JSONValue { b.map { .bool($0) } ?? .null }
    public static func strings(_ l: [String]) -> JSONValue { .array(l.map { .string($0) }) }

    /// Serialized with two-space indentation (`pretty`) or compactly.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(&out, indent: pretty ? 0 : -1)
        if pretty { out += "\n" }
        return out
    }

    private func write(_ out: inout String, indent: Int) {
        let pretty = indent >= 0
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? String(repeating: "  ", count: indent) : ""
        let nl = pretty ? "\n" : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null"
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, v) in items.enumerated() {
                out += pad
                v.write(&out, indent: pretty ? indent + 1 : -1)
                if i < items.count - 1 { out += "," }
                out += nl
            }
            out += close + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in pairs.enumerated() {
                out += pad
                Self.quote(k, into: &out)
                out += pretty ? ": " : ":"
                v.write(&out, indent: pretty ? indent + 1 : -1)
                if i < pairs.count - 1 { out += "," }
                out += nl
            }
            out += close + "}"
        }
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escape: append them whole. 0xE2 leads U+2028/U+2029 in UTF-8
        // (and other characters, which then take the careful path below).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                let hex = Array("0123456789abcdef".utf8)
                out += "\\u"
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.unicodeScalars.append(Unicode.Scalar(hex[Int((u.value >> UInt32(shift)) & 0xF)]))
                }
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
