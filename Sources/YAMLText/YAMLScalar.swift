/// How a scalar was written; callers may insist on a style (e.g. quote-or-not diagnostics).
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text after unescaping and folding, with its resolved type and where it starts.
///
/// `mark` is the scalar's first character: the opening quote of a quoted scalar, the `|` or `>`
/// of a block scalar, or its first property (`&anchor`, `!!tag`) when it has one, as libyaml does.
/// An empty value (`key:` with nothing after it, or `-` alone) is a `.null` plain scalar whose
/// mark is right after the `:` or `-`; in a flow mapping (`{a}`, `{a: }`) it is the `,` or `}`
/// that ends the entry. These are the positions libyaml, and so Yams, report.
public struct YAMLScalar: Sendable, Hashable {
    public var string: String
    public var tag: YAMLTag
    public var style: YAMLScalarStyle
    public var mark: YAMLMark

    public init(string: String, tag: YAMLTag, style: YAMLScalarStyle, mark: YAMLMark) {
        self.string = string
        self.tag = tag
        self.style = style
        self.mark = mark
    }
}
