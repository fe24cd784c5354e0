import Foundation
import CNetfilter
import NetNamespace

/// Runs socket operations inside a named network namespace from this process: a dedicated
/// thread `setns()`s into `/run/netns/NAME` (network namespaces are per thread), does its work
/// and ends, so the rest of the process is never moved.
public enum NetnsSockets {
    public enum Failure: Error, CustomStringConvertible {
        case setns(String, Int32)
        case socket(String, Int32)
        public var description: String {
            switch self {
            case .setns(let n, let e): "setns(\(n)): \(String(cString: strerror(e)))"
            case .socket(let w, let e): "\(w): \(String(cString: strerror(e)))"
            }
        }
    }

    /// Runs `body` on a thread that has entered namespace `name` (see `NetworkNamespace`).
    public static func inNamespace<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        try NetworkNamespace.run(in: name, body)
    }

    /// What the kernel did with a connection attempt.
    public enum ConnectOutcome: String, Sendable, Equatable {
        /// Three-way handshake completed (connect() succeeded).
        case connected
        /// TCP RST (ECONNREFUSED).
        case reset
        /// ICMP unreachable / prohibited (EHOSTUNREACH, ENETUNREACH, EACCES).
        case unreachable
        /// No answer before the timeout (dropped).
        case timeout
    }

    /// Opens a listening TCP socket (IPv4 or IPv6, wildcard unless `address`) inside `namespace`.
    /// Returns the socket fd; close it with `close(fd)`. IPv6 sockets are v6only.
    public static func listen(namespace: String, v6: Bool, port: UInt16, address: String? = nil, udp: Bool = false) throws -> Int32 {
        try inNamespace(namespace) {
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Failure.socket("socket", errno) }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if v6 { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) }
            let rc = withSockaddr(v6: v6, address: address ?? (v6 ? "::" : "0.0.0.0"), port: port) { sa, len in
                bind(fd, sa, len)
            }
            guard rc == 0 else { let e = errno; close(fd); throw Failure.socket("bind", e) }
            if !udp { guard Glibc.listen(fd, 128) == 0 else { let e = errno; close(fd); throw Failure.socket("listen", e) } }
            return fd
        }
    }

    /// Accepts one pending connection on a listening socket within `timeout` seconds; true when the
    /// server side saw a completed connection (the client's ACK got through).
    public static func acceptOne(_ fd: Int32, timeout: Double) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout * 1000)) == 1 else { return false }
        let c = accept(fd, nil, nil)
        guard c >= 0 else { return false }
        close(c)
        return true
    }

    /// Connects from `namespace`, bound to `source`, to `destination:port`, waiting at most `timeout` seconds.
    public static func connect(namespace: String, source: String, destination: String, port: UInt16,
                               timeout: Double = 1.5) throws -> ConnectOutcome {
        try inNamespace(namespace) {
            let v6 = destination.contains(":")
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw Failure.socket("socket", errno) }
            defer { close(fd) }
            let brc = withSockaddr(v6: v6, address: source, port: 0) { sa, len in bind(fd, sa, len) }
            guard brc == 0 else { throw Failure.socket("bind \(source)", errno) }
            let rc = withSockaddr(v6: v6, address: destination, port: port) { sa, len in Glibc.connect(fd, sa, len) }
            if rc == 0 { return .connected }
            guard errno == EINPROGRESS else { return classify(errno) }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let n = poll(&pfd, 1, Int32(timeout * 1000))
            if n == 0 { return .timeout }
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            return err == 0 ? .connected : classify(err)
        }
    }

    private static func classify(_ e: Int32) -> ConnectOutcome {
        switch e {
        case ECONNREFUSED: return .reset
        case EHOSTUNREACH, ENETUNREACH, EACCES, EPERM: return .unreachable
        case ETIMEDOUT: return .timeout
        default: return .unreachable
        }
    }

    static func withSockaddr<R>(v6: Bool, address: String, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        if v6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            inet_pton(AF_INET6, address, &sa.sin6_addr)
            return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &sa.sin_addr)
            return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
    }
}
