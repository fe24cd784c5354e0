import Testing
@testable import YAMLText

/// Scalar styles, folding, escapes and core-schema tag resolution.
struct ScalarTests {
    @Test(arguments: [
        ("~", YAMLTag.null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        ("true", .bool), ("True", .bool), ("TRUE", .bool), ("false", .bool), ("False", .bool), ("FALSE", .bool),
        ("0", .int), ("-12", .int), ("+7", .int), ("007", .int), ("0o17", .int), ("0x1F", .int), ("0xfa", .int),
        ("1.5", .float), ("-.5", .float), ("+.5", .float), ("1.", .float), ("1e3", .float), ("2.5E-3", .float),
        (".inf", .float), ("-.Inf", .float), ("+.INF", .float), (".nan", .float), (".NaN", .float), (".NAN", .float),
        ("yes", .string), ("no", .string), ("on", .string), ("off", .string), ("y", .string), ("nULL", .string),
        ("2026-12-31", .string), ("0b101", .string), ("1_000", .string), ("1:30", .string), ("0o8", .string),
        ("0x", .string), ("-", .string), (".", .string), ("1e", .string), ("e3", .string), ("-.nan", .string),
        ("tls1.2", .string), ("1.2.3", .string), ("+", .string), ("0X1F", .string),
    ])
    func coreSchema(_ text: String, _ tag: YAMLTag) {
        #expect(YAMLTag.resolve(plain: text) == tag, "\(text)")
    }

    @Test func quotedAndBlockScalarsAreStrings() throws {
        #expect(try scalar("'true'")?.tag == .string)
        #expect(try scalar("\"12\"")?.tag == .string)
        #expect(try scalar("|\n  12\n")?.tag == .string)
        #expect(try scalar("'null'") == YAMLScalar(string: "null", tag: .string, style: .singleQuoted, mark: YAMLMark(line: 1, column: 1)))
    }

    @Test func multiLinePlain() throws {
        #expect(try render(parse("k: one\n  two\n\n  three\n\n\n  four #c\nn: x")) ==
            #"{"k"@1:1: "one two\nthree\n\nfour"@1:4, "n"@8:1: "x"@8:4}@1:1"#)
        #expect(try render(parse("- a\n  b\n- c")) == #"["a b"@1:3, "c"@3:3]@1:1"#)
        #expect(try render(parse("[a\n b, c]")) == #"["a b"@1:2, "c"@2:5]@1:1"#)
    }

    @Test func singleQuoted() throws {
        #expect(try scalar("'it''s'")?.string == "it's")
        #expect(try scalar("'a # not a comment: x'")?.string == "a # not a comment: x")
        #expect(try scalar("'one\n  two\n\n  three  '")?.string == "one two\nthree  ")
        #expect(try scalar("''")?.string == "")
    }

    @Test func doubleQuotedEscapes() throws {
        let s = try scalar(#""\0\a\b\t\#u{9}\n\v\f\r\e\ \"\/\\\N\_\L\P\x41\u00e9\U0001F600""#)
        #expect(s?.string == "\u{0}\u{7}\u{8}\t\t\n\u{B}\u{C}\r\u{1B} \"/\\\u{85}\u{A0}\u{2028}\u{2029}Aé😀")
        #expect(s?.style == .doubleQuoted)
        #expect(try scalar("\"line \\\n   continued\\\n\n  next\"")?.string == "line continued\nnext")
        #expect(try scalar("\"a\n  b\n\n  c \"")?.string == "a b\nc ")
        #expect(try scalar("\"  lead and trail  \"")?.string == "  lead and trail  ")
    }

    @Test func literalBlock() throws {
        let text = "a: |\n  line 1\n    indented\n\n  line 3\n\n\nb: |-\n  x\n\nc: |+\n  y\n\nd: |2-  # comment\n    four\ne: |-2\n   z\n"
        #expect(try render(parse(text)) ==
            #"{"a"@1:1: "line 1\n  indented\n\nline 3\n"@1:4, "b"@8:1: "x"@8:4, "c"@11:1: "y\n\n"@11:4, "#
            + #""d"@14:1: "  four"@14:4, "e"@16:1: " z"@16:4}@1:1"#)
    }

    @Test func foldedBlock() throws {
        let text = "f: >\n  one\n  two\n\n  three\n    more\n    indented\n  back\n\n\ng: >-\n  x\n  y\nh: >+\n  z\n\n"
        #expect(try render(parse(text)) ==
            #"{"f"@1:1: "one two\nthree\n  more\n  indented\nback\n"@1:4, "g"@11:1: "x y"@11:4, "h"@14:1: "z\n\n"@14:4}@1:1"#)
        #expect(try scalar(">\n folded\n text\n")?.style == .folded)
        #expect(try scalar("|\n literal\n")?.style == .literal)
    }

    @Test func blockScalarInSequenceAndAtEnd() throws {
        #expect(try render(parse("- |\n  a\n  b\n- >\n  c\n  d")) == #"["a\nb\n"@1:3, "c d"@4:3]@1:1"#)
        #expect(try render(parse("k: |\nn: 1")) == #"{"k"@1:1: ""@1:4, "n"@2:1: "1"@2:4:int}@1:1"#)
    }
}
