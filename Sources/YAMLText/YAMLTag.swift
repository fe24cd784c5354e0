/// The resolved type of a scalar.
///
/// Plain scalars are resolved with the YAML 1.2 core schema, so `yes`, `no`, `on`, `off`,
/// dates and `0b101` stay strings (YAML 1.1 readers such as Yams turn some into booleans,
/// timestamps or numbers). Quoted and block scalars are always `.string` unless an explicit
/// `!!tag` says otherwise.
public enum YAMLTag: Sendable, Hashable {
    case null, bool, int, float, string

    /// The core-schema type of a plain scalar's text.
    public static func resolve(plain s: String) -> YAMLTag {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        default: break
        }
        let b = Array(s.utf8)
        if isInt(b) { return .int }
        if isFloat(b) { return .float }
        return .string
    }

    /// Whether `text` is a valid value for an explicit tag of this type (`!!int abc` is an error).
    func accepts(_ text: String) -> Bool {
        switch self {
        case .string: return true
        case .null: return Self.resolve(plain: text) == .null
        case .bool: return Self.resolve(plain: text) == .bool
        case .int: return Self.isInt(Array(text.utf8))
        case .float: let b = Array(text.utf8); return Self.isFloat(b) || Self.isInt(b)
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }

    /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    static func isInt(_ b: [UInt8]) -> Bool {
        if b.count > 2 && b[0] == 0x30 && b[1] == 0x6F { return b.dropFirst(2).allSatisfy { $0 >= 0x30 && $0 <= 0x37 } }
        if b.count > 2 && b[0] == 0x30 && b[1] == 0x78 { return b.dropFirst(2).allSatisfy(isHex) }
        let digits = b.first == 0x2B || b.first == 0x2D ? b.dropFirst() : b[...]
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)` or `\.(nan|NaN|NAN)`.
    static func isFloat(_ b: [UInt8]) -> Bool {
        let s = String(decoding: b, as: UTF8.self)
        if s == ".nan" || s == ".NaN" || s == ".NAN" { return true }
        var i = 0
        if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
        let rest = String(decoding: b[i...], as: UTF8.self)
        if rest == ".inf" || rest == ".Inf" || rest == ".INF" { return true }
        var intDigits = 0, fracDigits = 0
        while i < b.count && isDigit(b[i]) { i += 1; intDigits += 1 }
        if i < b.count && b[i] == 0x2E {
            i += 1
            while i < b.count && isDigit(b[i]) { i += 1; fracDigits += 1 }
        }
        if intDigits == 0 && fracDigits == 0 { return false }
        if i < b.count && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
            var expDigits = 0
            while i < b.count && isDigit(b[i]) { i += 1; expDigits += 1 }
            if expDigits == 0 { return false }
        }
        return i == b.count
    }
}
