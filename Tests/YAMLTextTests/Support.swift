@testable import YAMLText

/// A one-line rendering of a tree with every scalar's text, tag and mark and every collection's
/// mark, so one string comparison checks structure, values, types and positions at once.
/// Scalars: `"text"@line:col:tag` (`:tag` omitted for strings); collections end with `@line:col`.
func render(_ node: YAMLNode?) -> String {
    guard let node else { return "nil" }
    let m = "@\(node.mark.line):\(node.mark.column)"
    switch node {
    case .scalar(let s):
        let tag = s.tag == .string ? "" : ":\(s.tag)"
        return "\(s.string.debugDescription)\(m)\(tag)"
    case .sequence(let items, _):
        return "[" + items.map(render).joined(separator: ", ") + "]" + m
    case .mapping(let pairs, _):
        return "{" + pairs.map { render($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}" + m
    }
}

func parse(_ text: String) throws -> YAMLNode? { try YAMLDocument.parse(text) }

/// The error for `text`, or nil if it parses.
func failure(_ text: String) -> YAMLSyntaxError? {
    do {
        _ = try YAMLDocument.parse(text)
        return nil
    } catch {
        return error
    }
}

/// The plain scalar at the root of `text`.
func scalar(_ text: String) throws -> YAMLScalar? {
    guard case .scalar(let s)? = try YAMLDocument.parse(text) else { return nil }
    return s
}
