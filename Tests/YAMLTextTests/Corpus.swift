import Foundation

/// The shipped policy files (`policies/*.yaml`), found from this file's path.
enum Corpus {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let policies: [(name: String, text: String)] = {
        let dir = root.appendingPathComponent("policies")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { ($0, (try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) ?? "") }
    }()

    /// Valid snippets covering what policy authors write; both readers must build the same tree.
    static let valid: [String] = [
        "a: 1",
        "a: 1\nb: two\nc: 3.5\nd: true\ne: ~\nf: null\ng:",
        "- a\n- b\n-\n- 'c'",
        "policy:\n  name: x\n  list:\n    - 1\n    - 2\n  map: {a: b}",
        "key:\n- a\n- b\nnext: c",
        "- - a\n  - b\n- - c\n  -\n",
        "- key: v\n  other: w\n- key: v2",
        "-   key: v\n    deep:\n      - x\n      - y: z\n        w: q",
        "key:\n    value on next line",
        "key:\n\n  # comment between\n  value",
        "[a, b, c]",
        "{a: 1, b: [x, y], c: {d: e}}",
        "[a, [b, [c, [d]]], {}, []]",
        "k: [\n  one,\n  two,\n]",
        "k: {\n  a: 1,\n  b: 2\n}",
        "{a, b: , c: d}",
        "{\"a\": 1, 'b': 2, c: 3}",
        "[\"x\" , 'y',z ]",
        "k: [a, b,]",
        "plain: this is text with spaces",
        "url: https://example.com:443/path?q=1#frag",
        "hostport: host:443",
        "hash: a#b c#d",
        "k: [http://a:1/b, host:1]",
        "k: one\n  two\n\n  three\n\n\n  four",
        "- a\n  b\n- c",
        "[a\n b, c\n  d]",
        "k: 'it''s'",
        "k: 'one\n  two\n\n  three  '",
        "k: \"esc \\t \\n \\\\ \\\" \\x41 \\u00e9 \\U0001F600 \\/ \\e \\0 \\N \\_ \\L \\P\"",
        "k: \"line \\\n  continued\"",
        "k: \"a\n  b\n\n  c\"",
        "k: \"  lead  \"",
        "k: |\n  line 1\n    indented\n\n  line 3\n",
        "k: |-\n  x\n\n",
        "k: |+\n  x\n\n",
        "k: |2\n   two extra\n  base\n",
        "k: |-2\n   z\n",
        "k: |2-\n   z\n",
        "k: >\n  one\n  two\n\n  three\n    more\n    indented\n  back\n",
        "k: >-\n  folded\n  text\nn: 1",
        "k: >+\n  x\n\n\n",
        "k: > # comment\n  a\n  b\n",
        "- |\n  a\n- >\n  b\n  c",
        "k: |\nn: 1",
        "# head\na: 1 # trailing\n\n# mid\nb: 2\n",
        "a: 1\r\nb:\r\n  - x\r\n  - y\r\nc: |\r\n  l1\r\n  l2\r\n",
        "\u{FEFF}a: 1",
        "---\na: 1\n...\n",
        "--- [a, b]",
        "--- plain",
        "%YAML 1.2\n---\na: 1",
        "a: &x 1\nb: *x",
        "base: &b\n  x: 1\n  y: [1, 2]\nother: *b",
        "list: [&s v, *s]",
        "&k key: *k",
        "- &a 1\n- &a 2\n- *a",
        "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool true\ne: !!null ~",
        "m: !!map {a: 1}\ns: !!seq\n- x",
        "- &a !!str 1\n- !!int &b 2",
        "k: !!str",
        "é: ü\nnaïve: [日本, x]",
        "a:\tb",
        "k: 0o17\nh: 0x1F\ni: -12\nj: +7\nf: 1e3\ng: .inf\nn: .NaN\nz: -.Inf",
        // YAML 1.1 vs 1.2 differences (tags excluded from the comparison, see `knownTagDifference`).
        "b: [yes, no, on, off, Yes, NO]\nd: 2026-12-31\nbin: 0b101\nu: 1_000\ns: 1:30\nz: 08\nm: <<\nv: =\nf: [+.5, -.5, .5e3]",
        "quoted: ['yes', \"2026-12-31\"]",
        "long key with spaces: value",
        "\"quoted key\": 1\n'single': 2",
        "k: -1\nj: -x\nl: :x\nm: ?x",
    ]

    /// Malformed snippets: both readers must reject them.
    static let invalid: [String] = [
        "a: b: c",
        "a: x\n  b: y",
        "k: [a, b",
        "k: {a: 1",
        "k: 'abc",
        "k: \"abc",
        "a:\n\tb: 1",
        "a:\n  b: 1\n c: 2",
        "a: 1\nb\nc: 2",
        "a: - b",
        "[a, , b]",
        "[a] b",
        "k: \"a\" b",
        "{a: b: c}",
        #"k: "\q""#,
        "k: @x",
        "k: `x`",
        "a: *nope",
        "a: 1\na: 2",
        "k: |0\n  x",
        "- a\n b: 1",
        "a: b\u{0}",
        "[- a]",
        "%FOO\n---\na",
        "k: |x\n  x",
        "{a: 1}}",
        "a: 1\n- b",
        "- \tx",
        "a: 1\n---\nb: 2",
    ]

    /// Valid YAML that this reader rejects on purpose (Yams accepts it): not needed by policies,
    /// or ambiguous enough to be a mistake in a configuration file.
    static let strictOnly: [String] = [
        "? x\n: y",
        "[a: b]",
        "[a]: b",
        "a: !foo x",
    ]
}
