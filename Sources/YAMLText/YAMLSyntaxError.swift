/// Why a document was rejected and where; rendered by callers as `file:line:column: message`.
public struct YAMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line, no trailing period.
    public var message: String
    public var mark: YAMLMark

    public init(_ message: String, at mark: YAMLMark) {
        self.message = message
        self.mark = mark
    }

    /// `line:column: message`.
    public var description: String { "\(mark): \(message)" }
}
