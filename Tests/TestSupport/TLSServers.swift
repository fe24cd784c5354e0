import Foundation
import CNetfilter

/// Real TLS and HTTP servers on loopback for probe tests: `openssl s_server`, nginx (non-daemon,
/// generated config, everything under its own temp folder), and small raw peers (banners, hostile
/// behaviour). Each listens on a fresh port; call `stop()` in a `defer`.
public final class TLSTestServer: @unchecked Sendable {
    public let port: UInt16
    public let pid: pid_t
    public let directory: URL
    public let logPath: String
    private var stopped = false

    init(port: UInt16, pid: pid_t, directory: URL, logPath: String) {
        self.port = port
        self.pid = pid
        self.directory = directory
        self.logPath = logPath
    }

    /// SIGTERM now; a background thread reaps the process (SIGKILL after 2 s) and removes the
    /// folder, so a `defer { server.stop() }` never blocks the test's thread.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)
        let pid = self.pid, directory = self.directory
        Thread {
            Subprocess.terminate(pid: pid, grace: 2)
            try? FileManager.default.removeItem(at: directory)
        }.start()
    }

    deinit { stop() }

    /// The server's log (for failure messages).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    // MARK: openssl s_server

    /// `openssl s_server -www` with `leaf` (and its chain file), plus `extra` arguments
    /// (protocol switches, `-cipher`, `-dhparam` …). Listens on 127.0.0.1 (or [::1] when `v6`).
    public static func openssl(_ leaf: TLSCertificates.Leaf, extra: [String] = [], v6: Bool = false) throws -> TLSTestServer {
        try startWithRetry(v6: v6) { port, dir in
            var args = ["openssl", "s_server", "-accept", v6 ? "[::1]:\(port)" : "127.0.0.1:\(port)",
                        "-cert", leaf.cert, "-key", leaf.key, "-www", "-naccept", "1000000"]
            if leaf.fullChain != leaf.cert {
                // The chain file starts with the leaf; pass only what follows it.
                let chainOnly = dir.appendingPathComponent("chain-only.pem").path
                let text = try String(contentsOfFile: leaf.fullChain, encoding: .utf8)
                let blocks = text.components(separatedBy: "-----END CERTIFICATE-----")
                let rest = blocks.dropFirst().joined(separator: "-----END CERTIFICATE-----")
                if rest.contains("BEGIN CERTIFICATE") {
                    try rest.write(toFile: chainOnly, atomically: true, encoding: .utf8)
                    args += ["-cert_chain", chainOnly]
                }
            }
            return args + extra
        }
    }

    // MARK: nginx

    /// nginx (no daemon, one process) with `serverBody` (directives inside `server { }`, without
    /// `listen`) listening on 127.0.0.1 and [::1] on the same port. `tls` adds `ssl` to the listens.
    public static func nginx(serverBody: String, tls: Bool, http2: Bool = false) throws -> TLSTestServer {
        try startWithRetry(v6: false, alsoV6: true) { port, dir in
            let d = dir.path
            let flags = (tls ? " ssl" : "") + (http2 ? " http2" : "")
            let conf = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(d)/nginx.pid;
            error_log \(d)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(d)/body;
                proxy_temp_path \(d)/proxy;
                fastcgi_temp_path \(d)/fastcgi;
                uwsgi_temp_path \(d)/uwsgi;
                scgi_temp_path \(d)/scgi;
                default_type text/plain;
                server {
                    listen 127.0.0.1:\(port)\(flags);
                    listen [::1]:\(port)\(flags);
                    server_name localhost;
            \(serverBody)
                }
            }
            """
            let confPath = dir.appendingPathComponent("nginx.conf").path
            try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
            return ["nginx", "-e", "stderr", "-p", d, "-c", confPath]
        }
    }

    /// Directives for a TLS server block serving `leaf` (full chain).
    public static func nginxTLS(_ leaf: TLSCertificates.Leaf, _ more: String) -> String {
        """
                ssl_certificate \(leaf.fullChain);
                ssl_certificate_key \(leaf.key);
        \(more)
        """
    }

    // MARK: plumbing

    private static func startWithRetry(v6: Bool, alsoV6: Bool = false, _ makeArgs: (UInt16, URL) throws -> [String]) throws -> TLSTestServer {
        var lastLog = ""
        for _ in 0..<5 {
            let dir = try TestEnvironment.temporaryDirectory("pc-srv")
            let port = try FreePort.pick(v6: v6, alsoV6: alsoV6)
            let args = try makeArgs(port, dir)
            let log = dir.appendingPathComponent("server.log").path
            let pid = try Subprocess.spawn(args, stdoutPath: log, stderrPath: log)
            let server = TLSTestServer(port: port, pid: pid, directory: dir, logPath: log)
            if FreePort.waitAccepting(host: v6 ? "::1" : "127.0.0.1", port: port, pid: pid, timeout: 10) {
                return server
            }
            lastLog = server.log
            server.stop()
        }
        throw Subprocess.Failure.failed(["start server"], .init(status: -1, stdout: "", stderr: lastLog))
    }
}

/// Free loopback ports and readiness checks.
public enum FreePort {
    /// A port free on 127.0.0.1 (and on ::1 when `alsoV6`), found by binding port 0.
    public static func pick(v6: Bool = false, alsoV6: Bool = false) throws -> UInt16 {
        for _ in 0..<50 {
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard NetnsSockets.withSockaddr(v6: v6, address: v6 ? "::1" : "127.0.0.1", port: 0, { bind(fd, $0, $1) }) == 0 else { continue }
            var sa = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            let port = withUnsafeBytes(of: &sa) { raw -> UInt16 in
                UInt16(raw[2]) << 8 | UInt16(raw[3])
            }
            if alsoV6 {
                let fd6 = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(fd6) }
                guard NetnsSockets.withSockaddr(v6: true, address: "::1", port: port, { bind(fd6, $0, $1) }) == 0 else { continue }
            }
            return port
        }
        throw NetnsSockets.Failure.socket("pick free port", EADDRINUSE)
    }

    /// True once `host:port` accepts a TCP connection (false if `pid` died or `timeout` passed).
    public static func waitAccepting(host: String, port: UInt16, pid: pid_t?, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let pid, kill(pid, 0) != 0 { return false }
            if let pid {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { return false }
            }
            let v6 = host.contains(":")
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let rc = NetnsSockets.withSockaddr(v6: v6, address: host, port: port) { connect(fd, $0, $1) }
            close(fd)
            if rc == 0 { return true }
            usleep(20_000)
        }
        return false
    }
}

/// A raw TCP peer on 127.0.0.1 for what real servers don't do on purpose: a banner of another
/// protocol, garbage, silence, one byte a second, a reset mid-handshake, an oversized record.
public final class RawTestPeer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Sends these bytes on accept, then reads and closes after a while.
        case banner(String)
        /// Answers whatever arrives with these bytes, then closes.
        case reply([UInt8])
        /// Accepts and never sends anything (holds the connection up to 30 s).
        case silent
        /// Sends `bytes` one per `interval` seconds.
        case trickle([UInt8], interval: Double)
        /// Reads the first bytes then resets the connection (SO_LINGER 0).
        case resetAfterRead
    }

    public let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false

    public init(_ behaviour: Behaviour) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard NetnsSockets.withSockaddr(v6: false, address: "127.0.0.1", port: 0, { bind(fd, $0, $1) }) == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw NetnsSockets.Failure.socket("raw peer bind", errno)
        }
        var sa = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: sa.sin_port)
        let listener = fd
        let thread = Thread { [weak self] in
            while true {
                var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                let n = poll(&pfd, 1, 200)
                if self?.isStopped ?? true { return }
                guard n == 1 else { continue }
                let c = accept(listener, nil, nil)
                guard c >= 0 else { continue }
                Thread { RawTestPeer.serve(c, behaviour) }.start()
            }
        }
        thread.start()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    public func stop() {
        lock.lock()
        let was = stopped
        stopped = true
        lock.unlock()
        // The accept thread checks the flag before every accept, so closing at once is safe.
        if !was { close(fd) }
    }

    deinit { stop() }

    private static func serve(_ c: Int32, _ behaviour: Behaviour) {
        defer { close(c) }
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buf = [UInt8](repeating: 0, count: 4096)
        func sendAll(_ b: [UInt8]) { _ = b.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        switch behaviour {
        case .banner(let text):
            sendAll(Array(text.utf8))
            _ = recv(c, &buf, buf.count, 0)
            usleep(300_000)
        case .reply(let bytes):
            _ = recv(c, &buf, buf.count, 0)
            sendAll(bytes)
            usleep(200_000)
        case .silent:
            for _ in 0..<300 {
                var pfd = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 100) == 1, recv(c, &buf, buf.count, Int32(MSG_DONTWAIT)) == 0 { return }
            }
        case .trickle(let bytes, let interval):
            _ = recv(c, &buf, buf.count, 0)
            for b in bytes {
                if send(c, [b], 1, Int32(MSG_NOSIGNAL)) != 1 { return }
                usleep(useconds_t(interval * 1_000_000))
            }
        case .resetAfterRead:
            _ = recv(c, &buf, buf.count, 0)
            var lin = linger(l_onoff: 1, l_linger: 0)
            setsockopt(c, SOL_SOCKET, SO_LINGER, &lin, socklen_t(MemoryLayout<linger>.size))
        }
    }
}
