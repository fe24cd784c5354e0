import Foundation
import CNetfilter

/// Runs work inside another network namespace without moving the rest of the process.
///
/// Network namespaces are per thread: a dedicated thread `setns()`s into `/run/netns/NAME` (or a
/// `/proc/PID/ns/net` path), runs the body and ends. Sockets created there (netlink included) stay
/// bound to that namespace after the thread is gone, so callers may open a socket inside and use
/// it from anywhere.
public enum NetworkNamespace {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case permissionDenied(String)
        case setns(String, Int32)
        public var description: String {
            switch self {
            case .notFound(let n): "network namespace '\(n)' not found (looked for /run/netns/\(n))"
            case .permissionDenied(let n): "entering network namespace '\(n)' needs CAP_SYS_ADMIN (run as root)"
            case .setns(let n, let e): "cannot enter network namespace '\(n)': \(String(cString: strerror(e)))"
            }
        }
    }

    /// The namespace file for a name: `/run/netns/NAME`, or the path itself when it contains '/'.
    public static func path(for name: String) -> String {
        name.contains("/") ? name : "/run/netns/\(name)"
    }

    /// Runs `body` inside namespace `name` (nil = the current one, run inline) and returns its result.
    public static func run<T>(in name: String?, _ body: @escaping () throws -> T) throws -> T {
        guard let name else { return try body() }
        let box = ResultBox<T>()
        // The body runs on exactly one other thread while this one waits: no concurrent access.
        let work = UncheckedBody(body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            let fd = open(path(for: name), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let e = errno
                box.result = .failure(e == ENOENT ? Failure.notFound(name) : e == EACCES || e == EPERM ? Failure.permissionDenied(name) : Failure.setns(name, e))
                return
            }
            defer { close(fd) }
            guard setns(fd, PC_CLONE_NEWNET) == 0 else {
                let e = errno
                box.result = .failure(e == EPERM ? Failure.permissionDenied(name) : Failure.setns(name, e))
                return
            }
            box.result = Result { try work.body() }
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

private struct UncheckedBody<T>: @unchecked Sendable {
    let body: () throws -> T
    init(_ body: @escaping () throws -> T) { self.body = body }
}
