import Glibc
import CNetfilter

/// Why a TCP connection could not be used.
public enum ConnectionError: Error, Equatable, CustomStringConvertible, Sendable {
    case resolve(String, String)
    case refused(String)
    case timedOut(String)
    case unreachable(String, String)
    case reset(String)
    case closed
    case io(String)

    public var description: String {
        switch self {
        case .resolve(let h, let e): "cannot resolve \(h): \(e)"
        case .refused(let a): "connection refused by \(a)"
        case .timedOut(let what): "timed out: \(what)"
        case .unreachable(let a, let e): "\(a) unreachable: \(e)"
        case .reset(let a): "connection reset by \(a)"
        case .closed: "peer closed the connection"
        case .io(let e): e
        }
    }

    /// Worth another attempt (the peer may be busy or rate limiting).
    var isTransient: Bool {
        switch self {
        case .timedOut, .reset: true
        default: false
        }
    }
}

/// A TCP socket with per-operation deadlines (poll before every read/write), used by the
/// OpenSSL and cleartext checks. Non-blocking; waits are polls. Confined to the thread that opened it.
final class ProbeSocket {
    let fd: Int32
    let peer: String

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { close(fd) }

    /// Resolves `host` and connects to the first address that answers within `timeout` seconds.
    static func connect(host: String, port: UInt16, timeout: Double) throws(ConnectionError) -> ProbeSocket {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .resolve(host, String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var lastError = ConnectionError.unreachable(host, "no address")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let display = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { lastError = .io("socket: \(String(cString: strerror(errno)))"); continue }
            var ok = false
            defer { if !ok { close(fd) } }
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { lastError = classify(errno, display); continue }
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let n = poll(&pfd, 1, Int32(timeout * 1000))
                if n == 0 { lastError = .timedOut("connect to \(display)"); continue }
                var err: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                if err != 0 { lastError = classify(err, display); continue }
            }
            // Stays non-blocking: every wait is a poll bounded by the idle timeout and the deadline,
            // so a peer trickling one byte a second cannot stretch a handshake past the deadline.
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            ok = true
            return ProbeSocket(fd: fd, peer: display)
        }
        throw lastError
    }

    private static func classify(_ e: Int32, _ display: String) -> ConnectionError {
        switch e {
        case ECONNREFUSED: .refused(display)
        case ETIMEDOUT: .timedOut("connect to \(display)")
        case ECONNRESET: .reset(display)
        default: .unreachable(display, String(cString: strerror(e)))
        }
    }

    /// Waits until the socket is readable (or writable) for at most `idle` seconds and never past
    /// `deadline`; false on timeout.
    func wait(forWrite: Bool = false, idle: Double, deadline: Double) -> Bool {
        while true {
            let remaining = min(idle, deadline - MonotonicClock.now)
            if remaining <= 0 { return false }
            var pfd = pollfd(fd: fd, events: Int16(forWrite ? POLLOUT : POLLIN), revents: 0)
            let n = poll(&pfd, 1, Int32((remaining * 1000).rounded(.up)))
            if n > 0 { return true }
            if n == 0 { return false }
            if errno != EINTR { return true }
        }
    }

    func writeAll(_ bytes: [UInt8], idle: Double, deadline: Double) throws(ConnectionError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    guard wait(forWrite: true, idle: idle, deadline: deadline) else { throw .timedOut("write to \(peer)") }
                    continue
                }
                if errno == ECONNRESET || errno == EPIPE { throw .reset(peer) }
                throw .io("write to \(peer): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Reads until `isEnough` says so, the peer closes, `limit` bytes arrived, or nothing arrives
    /// for `idle` seconds, all before the absolute `deadline` (monotonic seconds). Returns what arrived.
    func read(limit: Int, idle: Double, deadline: Double, isEnough: ([UInt8]) -> Bool) -> (bytes: [UInt8], error: ConnectionError?) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while data.count < limit {
            let remaining = deadline - MonotonicClock.now
            if remaining <= 0 { return (data, .timedOut("read from \(peer)")) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let n = poll(&pfd, 1, Int32(min(idle, remaining) * 1000))
            if n == 0 { return (data, .timedOut("read from \(peer)")) }
            if n < 0 { if errno == EINTR { continue }; return (data, .io("poll: \(String(cString: strerror(errno)))")) }
            let want = min(buffer.count, limit - data.count)
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, want, 0) }
            if got == 0 { return (data, data.isEmpty ? .closed : nil) }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return (data, errno == ECONNRESET ? .reset(peer) : .io("read from \(peer): \(String(cString: strerror(errno)))"))
            }
            data += buffer[0..<got]
            if isEnough(data) { return (data, nil) }
        }
        return (data, nil)
    }
}

/// Seconds on CLOCK_MONOTONIC.
enum MonotonicClock {
    static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
