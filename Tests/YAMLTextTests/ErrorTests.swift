import Testing
@testable import YAMLText

/// Every rejection: its message and its exact line:column (callers print `file:line:column`).
struct ErrorTests {
    @Test(arguments: [
        // Indentation and structure
        ("a:\n\tb: 1", "2:1: tabs are not allowed for indentation"),
        ("- a\n-\tb", "2:2: tabs are not allowed for indentation"),
        ("a: x\n  b: y", "2:4: mapping values are not allowed here"),
        ("key: value: more", "1:11: mapping values are not allowed here"),
        ("a:\n  b: 1\n c: 2", "3:2: bad indentation of a mapping entry (this mapping's keys are at column 1)"),
        ("items:\n  - a\n - b", "3:2: a '-' sequence item at the wrong indentation"),
        ("a: 1\nb\nc: 2", "2:1: could not find expected ':' after this mapping key"),
        ("a: - b", "1:4: a '-' sequence item is not allowed here (start it on its own line)"),
        ("- a\nb: 1", "2:1: bad indentation: a mapping key where a '-' sequence item was expected"),
        (": x", "1:1: a mapping key is missing before ':'"),
        ("? a\n: b", "1:1: complex mapping keys ('? ') are not supported"),
        ("[a]: b", "1:1: a collection cannot be a mapping key"),
        ("{a: 1}: b", "1:1: a collection cannot be a mapping key"),
        ("- &x [a]\n- {*x : b}", "2:4: a collection cannot be a mapping key"),
        ("[a: b]", "1:2: single-pair mappings inside a flow sequence are not supported (write {key: value})"),
        ("[- a]", "1:2: '-' sequence items are not allowed inside a flow collection"),
        // Flow collections
        ("k: [a, b", "1:4: unterminated flow sequence"),
        ("k: {a: 1", "1:4: unterminated flow mapping"),
        ("[a, , b]", "1:5: expected a value before ','"),
        ("{a: 1, , b: 2}", "1:8: expected a mapping entry before ','"),
        ("[a b] c", "1:7: unexpected text after a flow collection on the same line"),
        ("k: [a] x\n", "1:8: unexpected text after a flow collection on the same line"),
        ("k: {a: 1} # fine\nj: {b: 2} z", "2:11: unexpected text after a flow collection on the same line"),
        ("k: \"a\" b", "1:8: unexpected text after a quoted scalar on the same line"),
        ("{a: b: c}", "1:6: expected ',' or '}', found ':'"),
        ("a: 1\n]", "2:1: expected a mapping key, found ']'"),
        ("[a]\n]", "2:1: expected the end of the document, found ']'"),
        // Scalars
        ("k: 'abc\n", "1:4: unterminated single-quoted scalar"),
        ("k: \"abc", "1:4: unterminated double-quoted scalar"),
        ("k: \"a\n---\nb\"", "2:1: document marker inside a quoted scalar (unterminated quote?)"),
        (#"k: "a\qb""#, #"1:6: invalid escape sequence '\q' in a double-quoted scalar"#),
        (#"k: "\x4""#, "1:5: escape sequence needs 2 hexadecimal digits"),
        (#"k: "\uD800""#, "1:5: escape sequence is not a valid Unicode code point"),
        ("k: @x", "1:4: '@' is reserved and cannot start a plain scalar (quote the value)"),
        ("k: `x`", "1:4: '`' is reserved and cannot start a plain scalar (quote the value)"),
        ("k: %x", "1:4: '%' cannot start a plain scalar (quote the value)"),
        ("k: |0\n  x", "1:5: a block scalar's indentation indicator must be 1 to 9"),
        ("k: |x\n  x", "1:5: unexpected text after the block scalar indicator"),
        ("k: |#c\n  x", "1:5: unexpected text after the block scalar indicator (a comment needs a space before '#')"),
        ("k: |\n \tx", "2:2: tabs are not allowed for indentation"),
        // Characters
        ("a: b\u{0}", "1:5: character U+0000 is not allowed in YAML text"),
        ("a: 1\r\nb: \u{7}", "2:4: character U+0007 is not allowed in YAML text"),
        ("a: \u{7F}", "1:4: character U+007F is not allowed in YAML text"),
        ("a: x\u{85}y", "1:5: character U+0085 is not allowed in YAML text"),
        ("a: \u{FEFF}", "1:4: character U+FEFF is not allowed in YAML text"),
        ("é: \u{2028}", "1:4: character U+2028 is not allowed in YAML text"),
        // Documents and directives
        ("a: 1\n---\nb: 2", "2:1: a file holds one YAML document"),
        ("a: 1\n...\n---\nb: 2", "3:1: a file holds one YAML document"),
        ("--- a\n--- b", "2:1: a file holds one YAML document"),
        ("a\n...\n%YAML 1.2\n---\nb", "3:1: a file holds one YAML document"),
        ("%YAML 1.3\n---\na", "1:1: unsupported YAML version '1.3' (1.1 and 1.2 are accepted)"),
        ("%TAG ! tag:x,2000:\n---\na", "1:1: unsupported tag directive (%TAG)"),
        ("%FOO bar\n---\na", "1:1: unsupported directive '%FOO'"),
        ("%YAML 1.2\na: 1", "2:1: a %YAML directive must be followed by '---'"),
        ("%YAML 1.2\n%YAML 1.2\n---\na", "2:1: duplicate %YAML directive"),
        // Tags
        ("a: !foo x", "1:4: unsupported tag '!foo'"),
        ("a: !<tag:yaml.org,2002:str> x", "1:4: unsupported tag '!<tag:yaml.org,2002:str>'"),
        ("a: !!binary aGk=", "1:4: unsupported tag '!!binary'"),
        ("a: ! x", "1:4: unsupported tag '!'"),
        ("a: !!int abc", "1:4: 'abc' is not a valid !!int"),
        ("a: !!bool yes", "1:4: 'yes' is not a valid !!bool"),
        ("a: !!null 0", "1:4: '0' is not a valid !!null"),
        ("a: !!float x1", "1:4: 'x1' is not a valid !!float"),
        ("a: !!map x", "1:4: tag !!map does not apply to a scalar"),
        ("a: !!seq {b: 1}", "1:4: tag !!seq does not apply to a mapping"),
        ("a: !!map [1]", "1:4: tag !!map does not apply to a sequence"),
        // Anchors and aliases
        ("a: *nope", "1:4: undefined alias '*nope'"),
        ("a: &x [*x]", "1:8: undefined alias '*x'"),
        ("a: &x *y", "1:7: an alias cannot have an anchor or a tag"),
        ("a: &ü x", "1:4: anchor names may use only letters, digits, '-' and '_'"),
        ("a: *", "1:4: alias names may use only letters, digits, '-' and '_'"),
        // Duplicate keys
        ("a: 1\nb: 2\na: 3", "3:1: duplicate key 'a' (first defined at 1:1)"),
        ("x:\n  k: 1\n  'k': 2", "3:3: duplicate key 'k' (first defined at 2:3)"),
        ("{a: 1, b: 2, a: 3}", "1:14: duplicate key 'a' (first defined at 1:2)"),
    ])
    func rejected(_ text: String, _ expected: String) {
        let e = failure(text)
        #expect(e.map { "\($0)" } == expected, "\(text.debugDescription)")
    }

    @Test func keysOfDifferentTypesAreNotDuplicates() throws {
        #expect(try render(parse("1: a\n'1': b")) == #"{"1"@1:1:int: "a"@1:4, "1"@2:1: "b"@2:6}@1:1"#)
    }

    @Test func errorRendering() {
        let e = YAMLSyntaxError("mapping values are not allowed here", at: YAMLMark(line: 3, column: 7))
        #expect(e.description == "3:7: mapping values are not allowed here")
        #expect(e.mark.description == "3:7")
    }

    @Test func nestingIsCapped() {
        let deepFlow = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(failure(deepFlow)?.message == "nesting is deeper than 256 levels")
        #expect(failure(deepFlow)?.mark == YAMLMark(line: 1, column: 257))
        var deepBlock = ""
        for i in 0..<300 { deepBlock += String(repeating: " ", count: i) + "k:\n" }
        #expect(failure(deepBlock)?.message == "nesting is deeper than 256 levels")
        let deepDash = (0..<300).map { _ in "- " }.joined() + "x"
        #expect(failure(deepDash)?.message == "nesting is deeper than 256 levels")
        // 256 levels are fine.
        let ok = String(repeating: "[", count: 255) + String(repeating: "]", count: 255)
        #expect(failure(ok) == nil)
    }

    @Test func billionLaughsIsCapped() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let prev = "*a\(i - 1)"
            text += "a\(i): &a\(i) [\(Array(repeating: prev, count: 10).joined(separator: ", "))]\n"
        }
        let e = failure(text)
        #expect(e?.message == "aliases expand to more than 100000 nodes")
        #expect((e?.mark.line ?? 0) >= 5)
        // Moderate reuse is fine.
        #expect(failure("a: &a [1, 2]\nb: [*a, *a, *a]") == nil)
    }

    /// Large hostile inputs end with an answer (the reader's work is linear in the input; how
    /// fast is for benchmarks, not for this test).
    @Test func largeHostileInputsEndWithAnAnswer() {
        let quotes = failure(String(repeating: "'", count: 100_001))
        #expect(quotes?.message.contains("unterminated") == true, "\(String(describing: quotes))")
        let keys = failure(String(repeating: "k: v\n", count: 20_000))
        #expect(keys?.message.contains("duplicate") == true && keys?.mark.line == 2, "\(String(describing: keys))")
        for text in [
            // Work per token grows with flow depth (capped at 256), as in libyaml.
            String(repeating: "[a,", count: 20) + String(repeating: "x,", count: 30_000),
            String(repeating: "a ", count: 100_000) + ": x",
            "- " + String(repeating: "x\n  ", count: 50_000),
        ] {
            if let e = failure(text) { #expect(!e.message.isEmpty && !e.message.contains("\n"), "\(e)") }
        }
    }
}
