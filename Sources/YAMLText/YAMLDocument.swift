/// Reads the YAML subset that configuration files use, strictly, with the standard library only
/// (so the binary that reads policies needs no Foundation).
///
/// Supported: block and flow collections, all five scalar styles, comments, `---`/`...`, a
/// `%YAML` directive, anchors and aliases, and the `!!str/int/bool/null/float/map/seq` tags.
/// Rejected with a mark: complex (`?`) and collection keys, duplicate keys, other tags and
/// directives, tabs as indentation, control characters, more than one document, nesting past
/// 256 levels and aliases expanding to more than 100,000 nodes.
public enum YAMLDocument {
    /// The document's root node, or nil for an empty document (only comments and whitespace).
    public static func parse(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        let bytes = Array(text.utf8)
        try validate(bytes)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var composer = Composer(scanner: Scanner(bytes: bytes, start: start))
        return try composer.parseDocument()
    }

    /// Rejects characters YAML does not allow in a document (or that this reader does not
    /// treat as line breaks): C0 controls but tab, CR and LF; DEL; C1 controls; U+FEFF after the
    /// start; U+FFFE, U+FFFF; and NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, which YAML 1.1
    /// readers count as line breaks and 1.2 readers do not.
    private static func validate(_ bytes: [UInt8]) throws(YAMLSyntaxError) {
        var line = 1, column = 1
        var first = true
        let text = String(decoding: bytes, as: UTF8.self)
        var previousCR = false
        for s in text.unicodeScalars {
            let v = s.value
            defer { first = false }
            if v == 0x0A {
                if !previousCR { line += 1; column = 1 }
                previousCR = false
                continue
            }
            previousCR = false
            if v == 0x0D {
                line += 1
                column = 1
                previousCR = true
                continue
            }
            if v == 0xFEFF && first { continue }
            let bad = (v < 0x20 && v != 0x09) || v == 0x7F || (v >= 0x80 && v <= 0x9F) || v == 0xFEFF
                || v == 0xFFFE || v == 0xFFFF || v == 0x2028 || v == 0x2029
            if bad {
                let hex = String(v, radix: 16, uppercase: true)
                let name = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                throw YAMLSyntaxError("character \(name) is not allowed in YAML text", at: YAMLMark(line: line, column: column))
            }
            column += 1
        }
    }
}
