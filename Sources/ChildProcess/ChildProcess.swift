import FoundationEssentials
import Glibc

/// Runs other programs (`ip`, `nft`, and in tests servers and tools) with `posix_spawn`, an
/// emptied signal mask and default signal dispositions: a child of a process with blocked signals
/// (Swift's test runner, `Foundation.Process`) otherwise inherits them and ignores SIGTERM. Output
/// goes through files, never pipes a child could fill; every wait is bounded.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotStart(String, Int32)
        case timedOut([String])

        public var description: String {
            switch self {
            case .cannotStart(let p, let e): "cannot start \(p): \(String(cString: strerror(e)))"
            case .timedOut(let a): "timed out: \(a.joined(separator: " "))"
            }
        }
    }

    /// The folders searched after PATH: root's tools live in sbin, which a service's PATH may lack.
    static let systemFolders = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// Whether `program` is an executable in PATH or the usual sbin/bin folders.
    public static func isInstalled(_ program: String) -> Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (path + systemFolders).contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }

    /// Runs `arguments` (argv[0] looked up in PATH, then the system folders), feeding `input` on
    /// stdin, and waits at most `timeout` seconds (then SIGKILL and `.timedOut`).
    public static func run(_ arguments: [String], input: String? = nil, timeout: Double = 60,
                           environment: [String: String]? = nil) throws(Failure) -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
        var inPath = "/dev/null"
        if let input {
            inPath = dir.appendingPathComponent("in").path
            try? input.write(toFile: inPath, atomically: false, encoding: .utf8)
        }
        let pid = try spawn(arguments, stdinPath: inPath, stdoutPath: outPath, stderrPath: errPath, environment: environment)
        guard let status = wait(pid: pid, timeout: timeout) else {
            kill(pid, SIGKILL)
            _ = wait(pid: pid, timeout: 5)
            throw .timedOut(arguments)
        }
        return Result(status: status,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Starts `arguments` in a process group of its own (so `terminate` reaches its children too)
    /// and returns at once; stop it with `terminate`, reap it with `wait`.
    public static func spawn(_ arguments: [String], stdinPath: String = "/dev/null", stdoutPath: String = "/dev/null",
                             stderrPath: String = "/dev/null", environment: [String: String]? = nil) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
        env["PATH"] = (env["PATH"].map { $0 + ":" } ?? "") + systemFolders.joined(separator: ":")
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attr, argv, envp)
        guard rc == 0 else { throw .cannotStart(arguments[0], rc) }
        return pid
    }

    /// Waits for `pid` at most `timeout` seconds: its exit status (128 + signal when killed), -1
    /// when it cannot be waited for, nil on timeout.
    public static func wait(pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if r < 0 { return -1 }
            if Date() >= deadline { return nil }
            usleep(2_000)
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
}
