import Testing
import FoundationEssentials
import JSONText

/// `JSONSyntaxCheck` names the line and column where a ruleset dump's JSON breaks; JSONDecoder
/// alone only says "not valid JSON".
struct JSONSyntaxCheckTests {
    func problem(_ text: String) -> JSONSyntaxCheck.Problem? { JSONSyntaxCheck.firstProblem(in: Array(text.utf8)) }

    @Test func acceptsValidDocuments() {
        for text in ["{}", "[]", " 1 ", "-0.5e+3", "\"a\\u00e9\\n\"", "true", "null",
                     "{\"a\": [1, {\"b\": null}, [], {}], \"c\": \"d\"}\n", "[[[[1]]]]"] {
            #expect(problem(text) == nil, "\(text)")
        }
    }

    @Test(arguments: [
        ("", 1, 1, "no JSON value (empty input)"),
        ("{\"a\": 1,\n  \"b\": x}", 2, 8, "unexpected 'x', expected a value"),
        ("{\"a\": 1", 1, 8, "unexpected end of input, expected ',' or '}'"),
        ("[1, 2,]", 1, 7, "unexpected ']', expected a value"),
        ("{\"a\" 1}", 1, 6, "unexpected '1', expected ':'"),
        ("{a: 1}", 1, 2, "unexpected 'a', expected a quoted key"),
        ("[01]", 1, 3, "invalid number (leading zero)"),
        ("[1.]", 1, 4, "invalid number (no digit after '.')"),
        ("\"abc", 1, 5, "unterminated string"),
        ("\"a\\qb\"", 1, 4, "invalid escape \\'q' in a string"),
        ("\"a\tb\"", 1, 3, "unescaped control character in a string"),
        ("[tru]", 1, 5, "invalid literal, expected 'true'"),
        ("{} {}", 1, 4, "unexpected '{' after the JSON value"),
        ("[1 2]", 1, 4, "unexpected '2', expected ',' or ']'"),
    ])
    func namesWhereTheTextBreaks(text: String, line: Int, column: Int, message: String) throws {
        let p = try #require(problem(text))
        #expect(p.line == line)
        #expect(p.column == column)
        #expect(p.message == message)
    }

    /// Agrees with JSONDecoder on what is valid, over a corpus of near-miss texts. (swift-foundation's
    /// decoder also takes a trailing comma in an object, `{"a":1,}`, which RFC 8259 does not; the
    /// check only runs after the decoder refused, so that leniency never reaches it.)
    @Test func agreesWithJSONDecoderOnValidity() {
        let corpus = ["{\"a\":1}", "[1,2", "[\"x\"]", "{\"a\":[true,false,null]}", "{\"a\":tru}",
                      "[-]", "[-1]", "[1e5]", "[1e]", "[\"\\u12\"]", "[\"\\u1234\"]", "{\"a\":{\"b\":{}}}", "{\"a\"}"]
        for text in corpus {
            let decoderAccepts = (try? JSONDecoder().decode(Probe.self, from: Data(text.utf8))) != nil
            #expect((problem(text) == nil) == decoderAccepts, "\(text)")
        }
    }

    /// A hostile nesting depth is walked without recursion.
    @Test func deepNestingDoesNotRecurse() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(problem(deep) == nil)
        #expect(problem(String(repeating: "[", count: 200_000))?.message == "unexpected end of input, expected a value")
    }
}

/// Accepts any JSON value (used only to ask JSONDecoder whether a text is valid).
private struct Probe: Decodable {
    init(from decoder: Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            while !a.isAtEnd { _ = try a.decode(Probe.self) }
            return
        }
        if let k = try? decoder.container(keyedBy: AnyKey.self) {
            for key in k.allKeys { _ = try k.decode(Probe.self, forKey: key) }
            return
        }
        let s = try decoder.singleValueContainer()
        if s.decodeNil() { return }
        if (try? s.decode(Bool.self)) != nil { return }
        if (try? s.decode(Double.self)) != nil { return }
        _ = try s.decode(String.self)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
