import Testing
@testable import YAMLText

/// Block and flow collections, documents, comments and line endings: exact trees and marks.
struct StructureTests {
    @Test func emptyDocuments() throws {
        #expect(try parse("") == nil)
        #expect(try parse("# only a comment\n\n   \n# another") == nil)
        #expect(try parse("\u{FEFF}") == nil)
        #expect(try parse("\u{FEFF}# bom\n") == nil)
        #expect(try parse("...\n") == nil)
    }

    @Test func blockMapping() throws {
        let node = try #require(try parse("name: default\nport: 443\n"))
        guard case .mapping(let pairs, let mark) = node else { Issue.record("not a mapping"); return }
        #expect(mark == YAMLMark(line: 1, column: 1))
        #expect(pairs.count == 2)
        #expect(pairs[0].key == .scalar(YAMLScalar(string: "name", tag: .string, style: .plain, mark: YAMLMark(line: 1, column: 1))))
        #expect(pairs[1].value == .scalar(YAMLScalar(string: "443", tag: .int, style: .plain, mark: YAMLMark(line: 2, column: 7))))
    }

    @Test func nestedBlockCollections() throws {
        let text = """
        policy:
          name: x
          source:
            - a
            - b
        rules:
          - id: one
            params:
              port: 443
          - id: two
        """
        #expect(try render(parse(text)) ==
            #"{"policy"@1:1: {"name"@2:3: "x"@2:9, "source"@3:3: ["a"@4:7, "b"@5:7]@4:5}@2:3, "#
            + #""rules"@6:1: [{"id"@7:5: "one"@7:9, "params"@8:5: {"port"@9:7: "443"@9:13:int}@9:7}@7:5, {"id"@10:5: "two"@10:9}@10:5]@7:3}@1:1"#)
    }

    @Test func compactForms() throws {
        // A sequence not indented under its key, nested sequence items, a mapping in an item.
        #expect(try render(parse("key:\n- a\n- b\nnext: 1")) ==
            #"{"key"@1:1: ["a"@2:3, "b"@3:3]@2:1, "next"@4:1: "1"@4:7:int}@1:1"#)
        #expect(try render(parse("- - a\n  - b\n- - c")) == #"[["a"@1:5, "b"@2:5]@1:3, ["c"@3:5]@3:3]@1:1"#)
        #expect(try render(parse("- key: v\n  other: w\n-  x: 1")) ==
            #"[{"key"@1:3: "v"@1:8, "other"@2:3: "w"@2:10}@1:3, {"x"@3:4: "1"@3:7:int}@3:4]@1:1"#)
        // A value on the next line, more indented.
        #expect(try render(parse("key:\n    value\n")) == #"{"key"@1:1: "value"@2:5}@1:1"#)
    }

    @Test func emptyValuesAreNullAfterTheIndicator() throws {
        #expect(try render(parse("a:\nb: # comment\nc: 1")) ==
            #"{"a"@1:1: ""@1:3:null, "b"@2:1: ""@2:3:null, "c"@3:1: "1"@3:4:int}@1:1"#)
        #expect(try render(parse("- \n-\n- x")) == #"[""@1:2:null, ""@2:2:null, "x"@3:3]@1:1"#)
    }

    @Test func flowCollections() throws {
        #expect(try render(parse("{a: 1, b: [x, y]}")) ==
            #"{"a"@1:2: "1"@1:5:int, "b"@1:8: ["x"@1:12, "y"@1:15]@1:11}@1:1"#)
        #expect(try render(parse("[a, [b, {c: d}], {}, [],]")) ==
            #"["a"@1:2, ["b"@1:6, {"c"@1:10: "d"@1:13}@1:9]@1:5, {}@1:18, []@1:22]@1:1"#)
        #expect(try render(parse("k: [\n  one,\n  two,\n]\n")) == #"{"k"@1:1: ["one"@2:3, "two"@3:3]@1:4}@1:1"#)
        // An entry without a value is null at the ',' or '}' that ends it.
        #expect(try render(parse("{a, b: , c}")) == #"{"a"@1:2: ""@1:3:null, "b"@1:5: ""@1:8:null, "c"@1:10: ""@1:11:null}@1:1"#)
        #expect(try render(parse(#"{"a":1, 'b': x}"#)) == #"{"a"@1:2: "1"@1:6:int, "b"@1:9: "x"@1:14}@1:1"#)
    }

    @Test func plainScalarsInFlowEndAtIndicators() throws {
        #expect(try render(parse("[https://x:443/p, a:b, c#d]")) == #"["https://x:443/p"@1:2, "a:b"@1:19, "c#d"@1:24]@1:1"#)
        #expect(try render(parse("{url: http://h/a?b=c}")) == #"{"url"@1:2: "http://h/a?b=c"@1:7}@1:1"#)
    }

    @Test func commentsAndLineEndings() throws {
        let lf = "# head\na: 1 # trailing\n\n# mid\nb: x#y\n"
        let crlf = lf.replacingAll("\n", with: "\r\n")
        let expected = #"{"a"@2:1: "1"@2:4:int, "b"@5:1: "x#y"@5:4}@2:1"#
        #expect(try render(parse(lf)) == expected)
        #expect(try render(parse(crlf)) == expected)
        #expect(try render(parse("\u{FEFF}" + lf)) == expected)
        #expect(try render(parse("a: |\r\n  x\r\n  y\r\n")) == #"{"a"@1:1: "x\ny\n"@1:4}@1:1"#)
    }

    @Test func documentMarkers() throws {
        #expect(try render(parse("---\na: 1\n...\n")) == #"{"a"@2:1: "1"@2:4:int}@2:1"#)
        #expect(try render(parse("--- [a]\n")) == #"["a"@1:6]@1:5"#)
        #expect(try render(parse("--- text\n")) == #""text"@1:5"#)
        #expect(try render(parse("%YAML 1.2\n---\nx\n")) == #""x"@3:1"#)
        #expect(try render(parse("# c\n---\n")) == "\"\"@2:4:null")
    }

    @Test func anchorsAndAliases() throws {
        // The copy's root points at the alias; nodes inside keep the anchored text's marks.
        #expect(try render(parse("base: &b\n  x: 1\nother: *b\nlist: [&s v, *s]")) ==
            #"{"base"@1:1: {"x"@2:3: "1"@2:6:int}@1:7, "other"@3:1: {"x"@2:3: "1"@2:6:int}@3:8, "#
            + #""list"@4:1: ["v"@4:8, "v"@4:14]@4:7}@1:1"#)
        // An anchor may be redefined; an alias sees the latest definition.
        #expect(try render(parse("- &a 1\n- &a 2\n- *a")) == #"["1"@1:3:int, "2"@2:3:int, "2"@3:3:int]@1:1"#)
        #expect(try render(parse("&k key: *k")) == #"{"key"@1:1: "key"@1:9}@1:1"#)
    }

    @Test func explicitTags() throws {
        #expect(try render(parse("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool true\ne: !!null ~\nf: !!str\n")) ==
            #"{"a"@1:1: "12"@1:4, "b"@2:1: "7"@2:4:int, "c"@3:1: "1"@3:4:float, "d"@4:1: "true"@4:4:bool, "#
            + #""e"@5:1: "~"@5:4:null, "f"@6:1: ""@6:4}@1:1"#)
        #expect(try render(parse("m: !!map {a: 1}\ns: !!seq\n- x\n")) ==
            #"{"m"@1:1: {"a"@1:11: "1"@1:14:int}@1:4, "s"@2:1: ["x"@3:3]@2:4}@1:1"#)
        #expect(try render(parse("- &a !!str 1\n- !!int &b 2")) == #"["1"@1:3, "2"@2:3:int]@1:1"#)
    }

    @Test func unicodeColumnsCountScalars() throws {
        #expect(try render(parse("é: ü\nnaïve: [日本, x]")) == #"{"é"@1:1: "ü"@1:4, "naïve"@2:1: ["日本"@2:9, "x"@2:13]@2:8}@1:1"#)
    }

    @Test func tabsSeparateWithinALine() throws {
        #expect(try render(parse("a:\tb\t# c\n\t# tabbed comment line\nc: [x,\ty]")) ==
            #"{"a"@1:1: "b"@1:4, "c"@3:1: ["x"@3:5, "y"@3:8]@3:4}@1:1"#)
    }
}

extension String {
    func replacingAll(_ a: Character, with b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
