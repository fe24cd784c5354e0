import Testing
import FoundationEssentials
import JSONText

/// `JSONValue.quote` appends a string with no escape needed whole and walks the others
/// character by character: both paths must give RFC 8259 JSON that decodes to the same string.
struct JSONValueTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("", #""""#),
        ("é and 🔒", #""é and 🔒""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\path"#, #""C:\\path""#),
        ("line\nnext\ttab\rret", #""line\nnext\ttab\rret""#),
        ("bell\u{07}nul\u{00}", #""bell\u0007nul\u0000""#),
        ("sep\u{2028}para\u{2029}", #""sep\u2028para\u2029""#),
        // 0xE2 also leads characters that need no escape: they come through unchanged.
        ("arrow → dash –", #""arrow → dash –""#),
    ])
    func quoting(_ text: String, _ expected: String) throws {
        var out = ""
        JSONValue.quote(text, into: &out)
        #expect(out == expected)
        #expect(JSONSyntaxCheck.firstProblem(in: Array(out.utf8)) == nil)
        let decoded = try JSONDecoder().decode(String.self, from: Data(out.utf8))
        #expect(decoded == text)
    }

    @Test func compactAndPrettyDocuments() {
        let value = JSONValue.object([("a", .array([.int(1), .string("x\"y"), .null])), ("b", .object([])), ("c", .bool(true))])
        #expect(value.serialized(pretty: false) == #"{"a":[1,"x\"y",null],"b":{},"c":true}"#)
        #expect(value.serialized() == "{\n  \"a\": [\n    1,\n    \"x\\\"y\",\n    null\n  ],\n  \"b\": {},\n  \"c\": true\n}\n")
    }
}
