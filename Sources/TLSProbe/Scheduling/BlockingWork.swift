import Foundation

/// Runs blocking socket/OpenSSL work on its own thread, so the cooperative pool (two cores here)
/// is never blocked, and confines the C objects it creates to that thread.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}

extension TransportError {
    /// Worth another attempt: the peer may be busy or rate limiting. A refusal or an answer is final.
    var isTransient: Bool {
        switch self {
        case .timeout, .reset: true
        default: false
        }
    }

    /// No TCP conversation happened at all (as opposed to a peer that connected and then closed,
    /// reset or flooded us).
    var meansUnreachable: Bool {
        switch self {
        case .closed, .reset, .tooMuchData: false
        default: true
        }
    }
}
