import Foundation

/// nginx on a free loopback port with a generated RSA-2048 certificate and the given `server`
/// block directives (listen, certificate and key lines are added). Always `stop()` it.
public final class WireNginxServer: @unchecked Sendable {
    public let port: UInt16
    public let host = "127.0.0.1"
    public let pid: pid_t
    public let folder: URL

    /// `{dir}` in `serverDirectives` is replaced by the server's folder, where `extraFiles`
    /// (name → content) are written.
    public init(serverDirectives: String, extraFiles: [String: String] = [:]) throws {
        folder = try TestEnvironment.temporaryDirectory("pc-wire-nginx")
        let dir = folder.path
        for (name, content) in extraFiles { try content.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        let serverDirectives = serverDirectives.replacingOccurrences(of: "{dir}", with: dir)
        try WireOpenSSLServer.makeCertificate(cert: "\(dir)/cert.pem", key: "\(dir)/key.pem", keyType: "rsa")
        port = try WirePorts.free()
        let conf = """
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(dir)/nginx.pid;
        error_log \(dir)/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path \(dir)/body;
            proxy_temp_path \(dir)/proxy;
            fastcgi_temp_path \(dir)/fastcgi;
            uwsgi_temp_path \(dir)/uwsgi;
            scgi_temp_path \(dir)/scgi;
            server {
                listen \(host):\(port) ssl;
                ssl_certificate \(dir)/cert.pem;
                ssl_certificate_key \(dir)/key.pem;
                \(serverDirectives)
                location / { return 200 "ok\\n"; }
            }
        }
        """
        try conf.write(toFile: "\(dir)/nginx.conf", atomically: true, encoding: .utf8)
        pid = try Subprocess.spawn(Subprocess.boundedLifetime + ["nginx", "-p", dir, "-c", "\(dir)/nginx.conf", "-e", "\(dir)/error.log"],
                                   stdoutPath: "\(dir)/stdout.log", stderrPath: "\(dir)/stderr.log")
        guard WirePorts.waitListening(host: host, port: port, timeout: 10) else {
            let log = (try? String(contentsOfFile: "\(dir)/error.log", encoding: .utf8)) ?? ""
            stop()
            throw Subprocess.Failure.failed(["nginx"], Subprocess.Result(status: -1, stdout: "", stderr: "nginx did not listen: \(log)"))
        }
    }

    public func stop() {
        Subprocess.terminate(pid: pid, grace: 3)
        try? FileManager.default.removeItem(at: folder)
    }
}
