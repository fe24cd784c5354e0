import Foundation

/// Limits how many connections a prober has open at once and paces their starts (`--delay`).
/// One gate is shared by every probe a `TLSProber` runs, so the bound holds overall.
actor ConnectionGate {
    private let limit: Int
    private let spacing: Double
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var nextStart: Double = 0

    init(limit: Int, spacing: Double) {
        self.limit = max(1, limit)
        self.spacing = max(0, spacing)
    }

    func acquire() async {
        if active < limit {
            active += 1
        } else {
            await withCheckedContinuation { waiters.append($0) }
        }
        if spacing > 0 {
            let now = MonotonicClock.now
            let start = max(now, nextStart)
            nextStart = start + spacing
            if start > now { try? await Task.sleep(nanoseconds: UInt64((start - now) * 1e9)) }
        }
    }

    func release() {
        if waiters.isEmpty {
            active -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

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

/// Counts connections opened (the `handshakes` figure).
final class ConnectionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add(_ n: Int = 1) { lock.lock(); value += n; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
