/// Why bytes from a peer could not be understood. Every parser in TLSWire throws only these.
public enum WireParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data ended inside a field.
    case truncated(String)
    /// A length or count is larger than the protocol or our limits allow.
    case tooLarge(what: String, size: Int, limit: Int)
    /// The first bytes are not a TLS/SSL record at all (e.g. an HTTP or SSH banner).
    case notTLS(preview: String)
    /// A field has a value the protocol forbids.
    case invalid(String)
    /// An unexpected message or record type arrived.
    case unexpected(String)

    public var description: String {
        switch self {
        case .truncated(let c): "truncated \(c)"
        case .tooLarge(let w, let s, let l): "\(w) of \(s) bytes exceeds the limit of \(l)"
        case .notTLS(let p): "peer did not answer with TLS (first bytes: \(p))"
        case .invalid(let m): "invalid \(m)"
        case .unexpected(let m): "unexpected \(m)"
        }
    }
}
