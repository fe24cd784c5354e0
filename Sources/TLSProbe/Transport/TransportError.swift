import FoundationEssentials
import Glibc
import CNetfilter

/// Why a TCP operation failed, classified by what the network or the peer actually did.
///
/// The scanner needs the difference: a reset right after a ClientHello is how some servers reject
/// a protocol version, whereas a timeout or an unreachable host is an error of the check.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name could not be resolved (getaddrinfo message).
    case resolution(host: String, reason: String)
    /// The peer answered the SYN with a RST (ECONNREFUSED).
    case refused(address: String)
    /// No route / ICMP unreachable / administratively prohibited.
    case unreachable(address: String, errno: Int32)
    /// The operation did not finish before its deadline.
    case timeout(operation: String)
    /// The connection was reset by the peer (ECONNRESET, EPIPE).
    case reset(operation: String)
    /// The peer closed the connection (orderly FIN) before we got what we needed.
    case closed
    /// The peer sent more bytes than the caller allows.
    case tooMuchData(limit: Int)
    /// Any other system call failure.
    case system(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .resolution(let h, let r): "cannot resolve \(h): \(r)"
        case .refused(let a): "connection refused by \(a)"
        case .unreachable(let a, let e): "\(a) unreachable: \(String(cString: strerror(e)))"
        case .timeout(let op): "timed out during \(op)"
        case .reset(let op): "connection reset by peer during \(op)"
        case .closed: "connection closed by peer"
        case .tooMuchData(let l): "peer sent more than \(l) bytes"
        case .system(let op, let e): "\(op): \(String(cString: strerror(e)))"
        }
    }

    /// Maps a connect(2) errno to a transport error.
    static func connectFailure(_ e: Int32, address: String) -> TransportError {
        switch e {
        case ECONNREFUSED: .refused(address: address)
        case EHOSTUNREACH, ENETUNREACH, EACCES, EPERM, EADDRNOTAVAIL, EAFNOSUPPORT: .unreachable(address: address, errno: e)
        case ETIMEDOUT: .timeout(operation: "connect to \(address)")
        case ECONNRESET: .reset(operation: "connect to \(address)")
        default: .system(operation: "connect to \(address)", errno: e)
        }
    }

    /// Maps a send/recv errno to a transport error.
    static func ioFailure(_ e: Int32, operation: String) -> TransportError {
        switch e {
        case ECONNRESET, EPIPE, ECONNABORTED: .reset(operation: operation)
        case ETIMEDOUT: .timeout(operation: operation)
        case EHOSTUNREACH, ENETUNREACH: .unreachable(address: operation, errno: e)
        default: .system(operation: operation, errno: e)
        }
    }
}
