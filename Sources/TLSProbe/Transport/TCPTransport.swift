import FoundationEssentials
import Glibc
import CNetfilter

/// One TCP connection with bounded, deadline-driven I/O.
///
/// The socket is non-blocking from the start: `connect` waits with `poll(2)` for at most the
/// connect timeout, and every `send`/`receive` waits with `poll(2)` for at most the earlier of the
/// per-operation timeout and the caller's overall `Deadline`. Reads are bounded in bytes by the
/// caller, so a peer that trickles or floods can neither hang nor bloat the probe.
///
/// `fd` is public so OpenSSL can drive the same socket (`SSL_set_fd`); call `setBlocking(true,
/// ioTimeout:)` first if the OpenSSL code wants blocking reads with `SO_RCVTIMEO`, or keep it
/// non-blocking and use `waitReadable`/`waitWritable` on `SSL_ERROR_WANT_READ/WRITE`.
///
/// Not thread-safe: use one transport from one thread at a time (it is `Sendable` only so a
/// job can hand it to the thread that performs the blocking work). `close()` is idempotent and
/// `deinit` closes a forgotten socket.
public final class TCPTransport: @unchecked Sendable {
    /// The connected socket (-1 after `close()`).
    public private(set) var fd: Int32
    /// The peer address actually connected to, as text (`192.0.2.1` or `2001:db8::1`).
    public let remoteAddress: String
    public let port: UInt16
    /// Per-operation timeout in seconds for `send`/`receive` (still capped by the caller's deadline).
    public var operationTimeout: Double
    /// Bytes received over the life of the connection.
    public private(set) var bytesReceived = 0

    private init(fd: Int32, remoteAddress: String, port: UInt16, operationTimeout: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.port = port
        self.operationTimeout = operationTimeout
    }

    deinit { close() }

    /// Connects to `host` (an IPv4/IPv6 literal, optionally in brackets, or a name resolved with
    /// getaddrinfo) on `port`. Each resolved address is tried in turn until one connects, all
    /// within `connectTimeout` seconds and before `deadline`.
    public static func connect(host: String, port: UInt16, connectTimeout: Double,
                               operationTimeout: Double? = nil, deadline: Deadline = .distant) throws(TransportError) -> TCPTransport {
        let limit = deadline.capped(seconds: connectTimeout)
        let addresses = try resolve(host: host, port: port)
        var lastError = TransportError.timeout(operation: "connect to \(host):\(port)")
        for address in addresses {
            if limit.hasExpired { throw TransportError.timeout(operation: "connect to \(address.text):\(port)") }
            do {
                let fd = try connectOne(address, port: port, deadline: limit)
                return TCPTransport(fd: fd, remoteAddress: address.text, port: port, operationTimeout: operationTimeout ?? connectTimeout)
            } catch {
                lastError = error
                if case .timeout = error { break }
            }
        }
        throw lastError
    }

    /// Sends all of `bytes` before the deadline.
    public func send(_ bytes: [UInt8], deadline: Deadline = .distant) throws(TransportError) {
        guard fd >= 0 else { throw .closed }
        let limit = deadline.capped(seconds: operationTimeout)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n; continue }
            let e = errno
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK || e == EINTR) {
                try waitWritable(deadline: limit)
                continue
            }
            throw TransportError.ioFailure(n == 0 ? EPIPE : e, operation: "send")
        }
    }

    /// Receives at most `maximum` bytes: returns as soon as some bytes are available. Returns an
    /// empty array when the peer closed the connection (orderly EOF). Throws `.timeout` when
    /// nothing arrived before the deadline and `.reset` on a RST.
    public func receive(maximum: Int = 16_384, deadline: Deadline = .distant) throws(TransportError) -> [UInt8] {
        guard fd >= 0 else { throw .closed }
        let limit = deadline.capped(seconds: operationTimeout)
        let size = max(1, min(maximum, 1 << 20))
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress!, size, 0) }
            if n > 0 {
                bytesReceived += n
                return Array(buffer[0..<n])
            }
            if n == 0 { return [] }
            let e = errno
            if e == EAGAIN || e == EWOULDBLOCK || e == EINTR {
                try waitReadable(deadline: limit)
                continue
            }
            throw TransportError.ioFailure(e, operation: "receive")
        }
    }

    /// Receives exactly `count` bytes (≤ 1 MiB) or throws (`.closed` on EOF before that).
    public func receive(exactly count: Int, deadline: Deadline = .distant) throws(TransportError) -> [UInt8] {
        guard count <= 1 << 20 else { throw .tooMuchData(limit: 1 << 20) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let chunk = try receive(maximum: count - out.count, deadline: deadline)
            if chunk.isEmpty { throw .closed }
            out += chunk
        }
        return out
    }

    /// Waits until the socket is readable (data, EOF or error) or throws `.timeout`.
    public func waitReadable(deadline: Deadline) throws(TransportError) {
        try wait(events: Int16(POLLIN), deadline: deadline, operation: "receive")
    }

    /// Waits until the socket is writable or throws `.timeout`.
    public func waitWritable(deadline: Deadline) throws(TransportError) {
        try wait(events: Int16(POLLOUT), deadline: deadline, operation: "send")
    }

    /// Switches the socket between blocking and non-blocking mode. In blocking mode `ioTimeout`
    /// sets SO_RCVTIMEO/SO_SNDTIMEO so a blocked read still ends (OpenSSL then reports
    /// SSL_ERROR_WANT_READ, see PLATFORM.md).
    public func setBlocking(_ blocking: Bool, ioTimeout: Double? = nil) {
        guard fd >= 0 else { return }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK)
        if let t = ioTimeout {
            var tv = timeval(tv_sec: Int(t), tv_usec: Int((t - Double(Int(t))) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Half-closes the sending side (FIN) so a server sees end of input.
    public func shutdownWrite() {
        if fd >= 0 { Glibc.shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Closes the socket. With `reset`, sends a RST instead of a FIN (SO_LINGER 0), which frees
    /// the server's connection slot at once and leaves no TIME_WAIT behind on our side.
    public func close(reset: Bool = false) {
        guard fd >= 0 else { return }
        if reset {
            var l = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        }
        Glibc.close(fd)
        fd = -1
    }

    // MARK: - Internals

    private func wait(events: Int16, deadline: Deadline, operation: String) throws(TransportError) {
        while true {
            if deadline.hasExpired { throw .timeout(operation: operation) }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&pfd, 1, deadline.pollMilliseconds)
            if rc > 0 { return }
            if rc == 0 { throw .timeout(operation: operation) }
            if errno != EINTR { throw .system(operation: "poll", errno: errno) }
        }
    }

    /// A resolved socket address.
    struct Address {
        var family: Int32
        var storage: sockaddr_storage
        var length: socklen_t
        var text: String
    }

    static func resolve(host rawHost: String, port: UInt16) throws(TransportError) -> [Address] {
        var host = rawHost
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = AI_ADDRCONFIG
        if isIPLiteral(host) { hints.ai_flags = AI_NUMERICHOST }
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw .resolution(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var out: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor, out.count < 16 {
            if let sa = ai.pointee.ai_addr, ai.pointee.ai_addrlen <= socklen_t(MemoryLayout<sockaddr_storage>.size) {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: sa, count: Int(ai.pointee.ai_addrlen)))
                }
                out.append(Address(family: ai.pointee.ai_family, storage: storage, length: ai.pointee.ai_addrlen,
                                   text: numericText(sa, ai.pointee.ai_addrlen)))
            }
            cursor = ai.pointee.ai_next
        }
        if out.isEmpty { throw .resolution(host: host, reason: "no addresses") }
        return out
    }

    /// True for an IPv4 or IPv6 literal (no DNS needed).
    public static func isIPLiteral(_ host: String) -> Bool {
        var h = host
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, h, &v4) == 1 || inet_pton(AF_INET6, h, &v6) == 1
    }

    private static func numericText(_ sa: UnsafePointer<sockaddr>, _ len: socklen_t) -> String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let rc = getnameinfo(sa, len, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        return rc == 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    private static func connectOne(_ address: Address, port: UInt16, deadline: Deadline) throws(TransportError) -> Int32 {
        let label = address.family == AF_INET6 ? "[\(address.text)]:\(port)" : "\(address.text):\(port)"
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(operation: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if rc == 0 { return fd }
        let e = errno
        guard e == EINPROGRESS || e == EINTR else {
            Glibc.close(fd)
            throw TransportError.connectFailure(e, address: label)
        }
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let n = poll(&pfd, 1, deadline.pollMilliseconds)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                Glibc.close(fd)
                throw TransportError.timeout(operation: "connect to \(label)")
            }
            break
        }
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        if err != 0 {
            Glibc.close(fd)
            throw TransportError.connectFailure(err, address: label)
        }
        return fd
    }
}
