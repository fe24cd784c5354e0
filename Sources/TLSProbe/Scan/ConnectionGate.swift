import Synchronization
import Glibc

/// Admits connections to one endpoint: at most `maxConcurrent` at once, starts spaced by at
/// least `delay` seconds, and counts how many were made. The scanner alone decides concurrency
/// and pacing; jobs just ask the gate.
actor ConnectionGate {
    private let maxConcurrent: Int
    private let delay: Double
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var nextStart: Deadline = Deadline(secondsFromNow: 0)
    /// Most slots held at the same time.
    private(set) var peak = 0

    init(maxConcurrent: Int, delay: Double) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.delay = max(0, delay)
    }

    /// Waits for a free slot and for the pacing interval, then holds the slot.
    func acquire() async {
        if active >= maxConcurrent {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            active += 1
            peak = max(peak, active)
        }
        if delay > 0 {
            // Reserve this start time before sleeping so concurrent acquirers queue behind it.
            let now = Deadline(secondsFromNow: 0)
            let start = max(now, nextStart)
            nextStart = Deadline(uptimeNanoseconds: start.uptimeNanoseconds + UInt64(delay * 1e9))
            let wait = start.remainingSeconds
            if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
    }

    /// Frees the slot (hands it directly to the next waiter, if any).
    func release() {
        if waiters.isEmpty {
            active -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// A thread-safe counter (connections are counted from the blocking I/O threads).
final class LockedCounter: @unchecked Sendable {
    private let count = Mutex(0)

    func increment() { count.withLock { $0 += 1 } }

    var value: Int { count.withLock { $0 } }
}
