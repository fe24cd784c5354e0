import Foundation
import CNetfilter

/// Runs helper programs (ip, nft, nginx, openssl, ss …) for tests with `posix_spawn`, an emptied
/// signal mask and default signal dispositions: a child started by `Foundation.Process` from a
/// test inherited a blocked SIGTERM and hung (PLATFORM.md). Every wait is bounded.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }
    }

    public enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)
        case timedOut([String])
        case failed([String], Result)
        public var description: String {
            switch self {
            case .spawn(let p, let e): "cannot start \(p): \(String(cString: strerror(e)))"
            case .timedOut(let a): "timed out: \(a.joined(separator: " "))"
            case .failed(let a, let r): "\(a.joined(separator: " ")) exited \(r.status): \(r.stderr)\(r.stdout)"
            }
        }
    }

    /// Runs `arguments` (argv[0] looked up in PATH), feeding `input` on stdin, and waits at most `timeout` seconds.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil, timeout: Double = 60,
                           environment: [String: String]? = nil) throws -> Result {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("pc-sub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outPath = tmp.appendingPathComponent("out").path
        let errPath = tmp.appendingPathComponent("err").path
        let inPath = tmp.appendingPathComponent("in").path
        try (input ?? "").write(toFile: inPath, atomically: false, encoding: .utf8)
        let pid = try spawn(arguments, stdinPath: inPath, stdoutPath: outPath, stderrPath: errPath, environment: environment)
        guard let status = wait(pid: pid, timeout: timeout) else {
            kill(pid, SIGKILL)
            _ = wait(pid: pid, timeout: 5)
            throw Failure.timedOut(arguments)
        }
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: status, stdout: out, stderr: err)
    }

    /// Like `run` but throws unless the exit status is 0.
    @discardableResult
    public static func check(_ arguments: [String], input: String? = nil, timeout: Double = 60) throws -> Result {
        let r = try run(arguments, input: input, timeout: timeout)
        guard r.succeeded else { throw Failure.failed(arguments, r) }
        return r
    }

    /// Prefix for servers: `timeout` ends them even when the test process dies without running its
    /// defers (a crash), so no server outlives a test run by more than ten minutes.
    public static let boundedLifetime = ["timeout", "--kill-after=5", "600"]

    /// Starts a long-running child (a server); output goes to files. Stop it with `terminate`.
    public static func spawn(_ arguments: [String], stdinPath: String = "/dev/null", stdoutPath: String = "/dev/null",
                             stderrPath: String = "/dev/null", environment: [String: String]? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)
        var env = environment ?? ProcessInfo.processInfo.environment
        if env["PATH"] == nil { env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(arguments) { argv in
            withCStrings(envStrings) { envp in
                posix_spawnp(&pid, arguments[0], &actions, &attr, argv, envp)
            }
        }
        guard rc == 0 else { throw Failure.spawn(arguments[0], rc) }
        return pid
    }

    /// Waits for `pid` at most `timeout` seconds; returns its exit status (128+signal when killed), or nil on timeout.
    public static func wait(pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                if status & 0x7f == 0 { return (status >> 8) & 0xff }
                return 128 + (status & 0x7f)
            }
            if r < 0 { return -1 }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// SIGTERM the child's process group, then SIGKILL after `grace` seconds.
    public static func terminate(pid: pid_t, grace: Double = 3) {
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)
        if wait(pid: pid, timeout: grace) == nil {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = wait(pid: pid, timeout: 5)
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var cStrings: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        cStrings.append(nil)
        defer { cStrings.forEach { free($0) } }
        return cStrings.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
