/// A node of the document tree. Mappings keep their keys in document order (policies render
/// and report in the order they were written) and never hold the same key twice.
///
/// An alias (`*name`) is replaced by a copy of the anchored node whose own mark is the alias's
/// position (where the value is used, which is what an error about it should point at); the
/// nodes inside the copy keep the marks of the text they were read from.
public indirect enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    /// A block sequence's mark is its first `-`; a flow sequence's is its `[`.
    case sequence([YAMLNode], mark: YAMLMark)
    /// A block mapping's mark is its first key; a flow mapping's is its `{`.
    case mapping([YAMLPair], mark: YAMLMark)

    /// Where the node starts (its first property, `&anchor` or `!!tag`, if it has one).
    public var mark: YAMLMark {
        switch self {
        case .scalar(let s): s.mark
        case .sequence(_, let m): m
        case .mapping(_, let m): m
        }
    }

    /// The same node starting at `mark` (an alias's copy points at the alias).
    func moved(to mark: YAMLMark) -> YAMLNode {
        switch self {
        case .scalar(var s): s.mark = mark; return .scalar(s)
        case .sequence(let items, _): return .sequence(items, mark: mark)
        case .mapping(let pairs, _): return .mapping(pairs, mark: mark)
        }
    }
}

/// One `key: value` entry of a mapping. Keys are always scalars: complex keys and
/// collections as keys are rejected, since no policy needs them.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
