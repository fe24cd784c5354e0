import Foundation
import CNetfilter

/// Servers started inside a test's network namespace for audit tests: one nginx process with
/// several server blocks (TLS, cleartext content, redirect, loopback-only), `openssl s_server`
/// instances, and raw banner peers. Everything lives under its own temp folder; `stop()` in a defer.
public final class AuditNamespaceServers: @unchecked Sendable {
    public let namespace: String
    public let directory: URL
    private var pids: [pid_t] = []
    private let lock = NSLock()

    public init(namespace: String) throws {
        self.namespace = namespace
        directory = try TestEnvironment.temporaryDirectory("pc-audit-srv")
    }

    /// nginx with `servers` (complete `server { … }` blocks, `listen` included), non-daemon.
    public func nginx(_ servers: String, waitFor ports: [(String, UInt16)]) throws {
        let d = directory.appendingPathComponent("nginx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let conf = """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(d.path)/nginx.pid;
        error_log \(d.path)/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path \(d.path)/body;
            proxy_temp_path \(d.path)/proxy;
            fastcgi_temp_path \(d.path)/fastcgi;
            uwsgi_temp_path \(d.path)/uwsgi;
            scgi_temp_path \(d.path)/scgi;
            default_type text/plain;
        \(servers)
        }
        """
        let confPath = d.appendingPathComponent("nginx.conf").path
        try conf.write(toFile: confPath, atomically: true, encoding: .utf8)
        try start(["nginx", "-e", "stderr", "-p", d.path, "-c", confPath], log: d.appendingPathComponent("server.log").path, waitFor: ports)
    }

    /// `openssl s_server -www` on `address:port` with extra arguments.
    public func openssl(cert: String, key: String, address: String = "0.0.0.0", port: UInt16, extra: [String] = []) throws {
        let log = directory.appendingPathComponent("openssl-\(port).log").path
        let accept = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        try start(["openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key, "-www", "-naccept", "1000000", "-quiet"] + extra,
                  log: log, waitFor: [(address == "0.0.0.0" ? "127.0.0.1" : address, port)])
    }

    /// A peer that greets every connection with `banner` (like SSH) and closes, via a small
    /// python3 loop inside the namespace.
    public func banner(_ banner: String, port: UInt16) throws {
        let script = """
        import socket, threading
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", \(port))); s.listen(128)
        def serve(c):
            try:
                c.sendall(\(pythonBytes(banner + "\r\n"))); c.settimeout(2); c.recv(4096)
            except Exception: pass
            finally: c.close()
        while True:
            c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
        """
        let path = directory.appendingPathComponent("banner-\(port).py").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try start(["python3", path], log: directory.appendingPathComponent("banner-\(port).log").path, waitFor: [("127.0.0.1", port)])
    }

    private func pythonBytes(_ s: String) -> String {
        "b\"" + s.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" || $0 == "\\" ? String(format: "\\x%02x", $0.value) : String($0) }.joined() + "\""
    }

    private func start(_ args: [String], log: String, waitFor: [(String, UInt16)]) throws {
        let pid = try Subprocess.spawn(Subprocess.boundedLifetime + ["ip", "netns", "exec", namespace] + args, stdoutPath: log, stderrPath: log)
        lock.lock(); pids.append(pid); lock.unlock()
        let deadline = Date().addingTimeInterval(10)
        for (host, port) in waitFor {
            while true {
                if (try? NetnsSockets.connect(namespace: namespace, source: host.contains(":") ? "::1" : "127.0.0.1",
                                              destination: host, port: port, timeout: 0.5)) == .connected { break }
                if Date() > deadline || Subprocess.wait(pid: pid, timeout: 0) != nil {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw Subprocess.Failure.failed(args, .init(status: -1, stdout: "", stderr: "not accepting on \(host):\(port): \(text)"))
                }
                usleep(50_000)
            }
        }
    }

    public func stop() {
        lock.lock(); let all = pids; pids = []; lock.unlock()
        for pid in all { Subprocess.terminate(pid: pid, grace: 2) }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

/// Runs blocking test work (spawning servers, waiting for a child process) on a thread of its own,
/// so a long end-to-end test does not hold one of Swift Testing's few cooperative threads (on a
/// 2-core machine two blocked tests starve every async test running beside them).
public func auditOffPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
