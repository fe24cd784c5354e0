import Glibc
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
        case thread(Int32)
        public var description: String {
            switch self {
            case .notFound(let n): "network namespace '\(n)' not found (looked for /run/netns/\(n))"
            case .permissionDenied(let n): "entering network namespace '\(n)' needs CAP_SYS_ADMIN (run as root)"
            case .setns(let n, let e): "cannot enter network namespace '\(n)': \(String(cString: strerror(e)))"
            case .thread(let e): "cannot start a thread to enter a network namespace: \(String(cString: strerror(e)))"
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
        let body = UncheckedBody(body)
        // The body runs on exactly one other thread while this one waits in pthread_join: no
        // concurrent access to the box.
        let started = runJoined(stackSize: 8 << 20) {
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
            box.result = Result { try body.body() }
        }
        guard started == 0 else { throw Failure.thread(started) }
        return try box.result!.get()
    }

    /// Runs `work` on a new thread with the given stack size and waits for it to end; returns
    /// pthread_create's error (0 when the work ran).
    private static func runJoined(stackSize: Int, _ work: @escaping @Sendable () -> Void) -> Int32 {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(ThreadWork(work)).toOpaque()
        let created = pthread_create(&thread, &attributes, { raw in
            Unmanaged<ThreadWork>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<ThreadWork>.fromOpaque(context).release()
            return created
        }
        pthread_join(thread, nil)
        return 0
    }
}

private final class ThreadWork {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// The hand-over between the caller and the namespace thread.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

private struct UncheckedBody<T>: @unchecked Sendable {
    let body: () throws -> T
    init(_ body: @escaping () throws -> T) { self.body = body }
}
