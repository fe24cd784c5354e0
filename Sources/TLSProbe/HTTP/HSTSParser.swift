/// Parses Strict-Transport-Security (RFC 6797 §6.1): `max-age` required, once; directive names
/// case-insensitive; values may be quoted; unknown directives ignored; a header sent twice counts
/// by its first value (§8.1), which is what browsers do.
public enum HSTSParser {
    public static func finding(in head: HTTPResponseHead) -> HSTSFinding {
        guard let first = head.values("Strict-Transport-Security").first else { return .absent }
        return parse(first)
    }

    public static func parse(_ value: String) -> HSTSFinding {
        var maxAge: Int?
        var includeSubDomains = false
        var preload = false
        var seen = Set<String>()
        for raw in value.split(separator: ";", omittingEmptySubsequences: false) {
            let directive = raw.trimmingCharacters(in: " \t")
            if directive.isEmpty { continue }
            let name: String
            var argument: String?
            if let eq = directive.firstIndex(of: "=") {
                name = directive[..<eq].trimmingCharacters(in: " \t").lowercased()
                var v = directive[directive.index(after: eq)...].trimmingCharacters(in: " \t")
                if v.hasPrefix("\"") {
                    guard v.count >= 2, v.hasSuffix("\"") else { return .malformed("unterminated quoted value in '\(directive)'") }
                    v = String(v.dropFirst().dropLast())
                }
                argument = v
            } else {
                name = directive.lowercased()
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                return .malformed("invalid directive '\(directive)'")
            }
            guard seen.insert(name).inserted else { return .malformed("directive '\(name)' repeated") }
            switch name {
            case "max-age":
                guard let a = argument, !a.isEmpty, a.allSatisfy(\.isASCIIDigit) else {
                    return .malformed("max-age needs a number of seconds, got '\(argument ?? "")'")
                }
                maxAge = Int(a) ?? Int.max
            case "includesubdomains":
                guard argument == nil else { return .malformed("includeSubDomains takes no value") }
                includeSubDomains = true
            case "preload":
                guard argument == nil else { return .malformed("preload takes no value") }
                preload = true
            default:
                continue
            }
        }
        guard let maxAge else { return .malformed("max-age missing") }
        return .policy(HSTSPolicy(maxAge: maxAge, includeSubDomains: includeSubDomains, preload: preload))
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
