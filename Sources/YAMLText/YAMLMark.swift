/// Where a node or an error sits in the source, so a policy error can be reported as `file:line:column`.
///
/// Both numbers are 1-based. The column counts Unicode scalars from the start of the line (the
/// same unit libyaml and Yams use, so marks agree with them); a UTF-8 byte-order mark at the start
/// of the text is not counted, and CR LF is one line break. Policies are ASCII in practice, where
/// scalars, characters and bytes coincide.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`, the form editors and compilers use.
    public var description: String { "\(line):\(column)" }
}
