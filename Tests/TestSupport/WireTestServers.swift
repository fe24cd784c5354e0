import Foundation
import CNetfilter

/// Real TLS servers for the wire-scanner tests: `openssl s_server` on a free loopback port with a
/// certificate generated into a temporary folder. Always `stop()` them (use `defer`).
public final class WireOpenSSLServer: @unchecked Sendable {
    public let port: UInt16
    public let host: String
    public let pid: pid_t
    public let folder: URL
    public let logPath: String

    /// Starts `openssl s_server` with `arguments` (added after the listening, certificate and key
    /// options) and waits until it accepts connections.
    /// - Parameter keyType: "rsa" (2048-bit) or "ec" (P-256).
    public init(arguments: [String], keyType: String = "rsa", host: String = "127.0.0.1", extraFiles: [String: String] = [:]) throws {
        folder = try TestEnvironment.temporaryDirectory("pc-wire")
        let cert = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        try WireOpenSSLServer.makeCertificate(cert: cert, key: key, keyType: keyType)
        for (name, content) in extraFiles {
            try content.write(toFile: folder.appendingPathComponent(name).path, atomically: true, encoding: .utf8)
        }
        self.host = host
        port = try WirePorts.free(host: host)
        logPath = folder.appendingPathComponent("s_server.log").path
        let dir = folder.path
        let accept = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let args = ["openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key, "-quiet", "-naccept", "100000"]
            + arguments.map { $0.replacingOccurrences(of: "{dir}", with: dir) }
        pid = try Subprocess.spawn(Subprocess.boundedLifetime + args, stdoutPath: logPath, stderrPath: logPath)
        guard WirePorts.waitListening(host: host, port: port, timeout: 10) else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            stop()
            throw Subprocess.Failure.failed(args, Subprocess.Result(status: -1, stdout: "", stderr: "s_server did not listen: \(log)"))
        }
    }

    public func stop() {
        Subprocess.terminate(pid: pid, grace: 2)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Self-signed certificate for CN=localhost (RSA-2048 or EC P-256).
    public static func makeCertificate(cert: String, key: String, keyType: String) throws {
        let keyArgs = keyType == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] : ["-newkey", "rsa:2048"]
        try Subprocess.check(["openssl", "req", "-x509", "-nodes", "-days", "30", "-subj", "/CN=localhost",
                              "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"] + keyArgs + ["-keyout", key, "-out", cert],
                             timeout: 60)
    }
}

/// Free loopback ports and readiness checks.
public enum WirePorts {
    /// A port the kernel considers free right now on `host` (bind to 0, read it back, close).
    public static func free(host: String = "127.0.0.1") throws -> UInt16 {
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NetnsSockets.Failure.socket("socket", errno) }
        defer { close(fd) }
        let rc = NetnsSockets.withSockaddr(v6: v6, address: host, port: 0) { bind(fd, $0, $1) }
        guard rc == 0 else { throw NetnsSockets.Failure.socket("bind", errno) }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port sit at the same offset (2) in network order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
    }

    /// Polls until a TCP connect to host:port succeeds.
    public static func waitListening(host: String, port: UInt16, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        let v6 = host.contains(":")
        while Date() < deadline {
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let rc = NetnsSockets.withSockaddr(v6: v6, address: host, port: port) { connect(fd, $0, $1) }
            close(fd)
            if rc == 0 { return true }
            usleep(20_000)
        }
        return false
    }
}

/// Runs blocking set-up work (key generation, waiting for a server to listen) on a thread of its
/// own. Async tests that block Swift's cooperative pool (2 threads on a 2-core machine) stall
/// every other async test of the run, which then misses its own deadlines.
public enum WireOffPool {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            Thread { c.resume(with: Result { try work() }) }.start()
        }
    }
}

extension WireOpenSSLServer {
    /// `init` on a thread of its own (see `WireOffPool`).
    public static func start(arguments: [String], keyType: String = "rsa", host: String = "127.0.0.1",
                             extraFiles: [String: String] = [:]) async throws -> WireOpenSSLServer {
        try await WireOffPool.run { try WireOpenSSLServer(arguments: arguments, keyType: keyType, host: host, extraFiles: extraFiles) }
    }
}
