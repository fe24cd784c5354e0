import ChildProcess
import Foundation

/// Helper programs for tests (ip, nft, nginx, openssl, ss …), through `ChildProcess` (clean
/// signal state: a child started by `Foundation.Process` from a test inherited a blocked SIGTERM
/// and hung, PLATFORM.md). Every wait is bounded.
public enum Subprocess {
    public typealias Result = ChildProcess.Result

    public enum Failure: Error, CustomStringConvertible {
        case failed([String], Result)
        public var description: String {
            switch self {
            case .failed(let a, let r): "\(a.joined(separator: " ")) exited \(r.status): \(r.stderr)\(r.stdout)"
            }
        }
    }

    /// Runs `arguments` (argv[0] looked up in PATH), feeding `input` on stdin, and waits at most `timeout` seconds.
    @discardableResult
    public static func run(_ arguments: [String], input: String? = nil, timeout: Double = 60,
                           environment: [String: String]? = nil) throws -> Result {
        try ChildProcess.run(arguments, input: input ?? "", timeout: timeout, environment: environment)
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
        try ChildProcess.spawn(arguments, stdinPath: stdinPath, stdoutPath: stdoutPath, stderrPath: stderrPath, environment: environment)
    }

    /// Waits for `pid` at most `timeout` seconds; returns its exit status (128+signal when killed), or nil on timeout.
    public static func wait(pid: pid_t, timeout: Double) -> Int32? { ChildProcess.wait(pid: pid, timeout: timeout) }

    /// SIGTERM the child's process group, then SIGKILL after `grace` seconds.
    public static func terminate(pid: pid_t, grace: Double = 3) { ChildProcess.terminate(pid: pid, grace: grace) }
}
