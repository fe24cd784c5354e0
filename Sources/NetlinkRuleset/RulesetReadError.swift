/// Why a ruleset could not be read. Each case renders as one line that names what failed and
/// where; the CLI maps them to documented exit codes (permission → 4, malformed file → 2).
public enum RulesetReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel refused (EPERM/EACCES): reading nf_tables needs CAP_NET_ADMIN.
    case permissionDenied(String)
    /// Any other netlink failure (socket, unexpected error code, truncated reply).
    case netlink(String)
    /// An offline ruleset (dump file or nft script) that cannot be parsed: the file, the line when
    /// known, and the parser's reason.
    case malformedFile(path: String, line: Int?, reason: String)
    /// An offline ruleset file that cannot be opened at all.
    case unreadableFile(path: String, reason: String)
    /// Entering, creating or deleting a network namespace failed.
    case namespace(String)

    public var description: String {
        switch self {
        case .permissionDenied(let m): m
        case .netlink(let m): "netlink: \(m)"
        case .malformedFile(let path, let line, let reason):
            line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)"
        case .unreadableFile(let path, let reason): "\(path): \(reason)"
        case .namespace(let m): m
        }
    }

    /// The message for a kernel errno returned to a netlink request (`what` names the request).
    static func fromKernel(errno code: Int32, while what: String) -> RulesetReadError {
        switch code {
        case 1, 13:  // EPERM, EACCES
            .permissionDenied("permission denied \(what): reading the nf_tables ruleset needs CAP_NET_ADMIN (run as root)")
        default:
            .netlink("\(what): \(errnoName(code))")
        }
    }

    static func errnoName(_ code: Int32) -> String {
        switch code {
        case 1: "operation not permitted (EPERM)"
        case 2: "no such file or directory (ENOENT)"
        case 13: "permission denied (EACCES)"
        case 16: "device or resource busy (EBUSY)"
        case 22: "invalid argument (EINVAL)"
        case 93: "protocol not supported (EPROTONOSUPPORT)"
        case 105: "no buffer space available (ENOBUFS)"
        default: "error \(code)"
        }
    }
}
