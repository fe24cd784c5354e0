import Foundation
import CNetfilter

/// A loopback TCP listener that runs `handler` for every accepted connection on its own
/// thread — the base of the hand-written test peers (legacy SSL, hostile). `stop()` closes the
/// listener and every open connection and waits (bounded) for the accept thread.
public final class WireLoopbackListener: @unchecked Sendable {
    public let host: String
    public let port: UInt16
    private let listenFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private var connections: Set<Int32> = []
    private let acceptDone = DispatchSemaphore(value: 0)
    /// Connections accepted so far.
    public private(set) var accepted = 0
    /// Most connections open at the same time so far.
    public private(set) var maxConcurrent = 0

    /// - Parameter handler: gets the connected fd (blocking, with a 30 s receive timeout as a
    ///   safety net), the 1-based number of the connection and whether the listener was
    ///   stopped; it must not close the fd.
    public init(host: String = "127.0.0.1",
                handler: @escaping @Sendable (_ fd: Int32, _ index: Int, _ isStopped: @escaping @Sendable () -> Bool) -> Void) throws {
        self.host = host
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetnsSockets.Failure.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = NetnsSockets.withSockaddr(v6: v6, address: host, port: 0) { bind(fd, $0, $1) }
        guard rc == 0, listen(fd, 128) == 0 else { let e = errno; close(fd); throw NetnsSockets.Failure.socket("bind/listen", e) }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = withUnsafeBytes(of: &storage) { UInt16($0[2]) << 8 | UInt16($0[3]) }
        listenFD = fd
        let thread = Thread { [self] in
            defer { acceptDone.signal() }
            while !isStopped {
                var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 50) == 1 else { continue }
                let c = accept(listenFD, nil, nil)
                guard c >= 0 else { continue }
                var tv = timeval(tv_sec: 30, tv_usec: 0)
                setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                lock.lock()
                connections.insert(c)
                accepted += 1
                maxConcurrent = max(maxConcurrent, connections.count)
                let index = accepted
                lock.unlock()
                let worker = Thread { [self] in
                    handler(c, index, { [weak self] in self?.isStopped ?? true })
                    lock.lock()
                    if connections.remove(c) != nil { close(c) }
                    lock.unlock()
                }
                worker.start()
            }
        }
        thread.start()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        let open = connections
        connections.removeAll()
        lock.unlock()
        guard !already else { return }
        _ = acceptDone.wait(timeout: .now() + 5)
        close(listenFD)
        for c in open {
            Glibc.shutdown(c, Int32(SHUT_RDWR))
            close(c)
        }
    }

    deinit { stop() }

    // MARK: Helpers for handlers

    /// Reads up to `max` bytes (blocking; empty on EOF or error).
    public static func read(_ fd: Int32, max: Int = 65_536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    /// Reads until `needed(bytes)` says enough (or EOF, or more than `limit` bytes).
    public static func readUntil(_ fd: Int32, limit: Int = 1 << 16, _ enough: ([UInt8]) -> Bool) -> [UInt8] {
        var all: [UInt8] = []
        while !enough(all) && all.count < limit {
            let chunk = read(fd)
            if chunk.isEmpty { break }
            all += chunk
        }
        return all
    }

    /// Writes all bytes; false if the peer went away.
    @discardableResult
    public static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Makes the listener's close of this connection a RST instead of a FIN: call it, then
    /// return from the handler.
    public static func reset(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }
}
