import Glibc

/// A point on the monotonic clock after which an operation must give up.
///
/// Every blocking step of a probe (connect, each read, each write) is bounded by the earlier of its
/// own timeout and the overall deadline of the job, so a peer that trickles one byte a second can
/// never keep a connection alive past the job's budget.
public struct Deadline: Sendable, Comparable, CustomStringConvertible {
    /// Nanoseconds on the monotonic (uptime) clock.
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    /// A deadline `seconds` from now (negative or zero: already expired).
    public init(secondsFromNow seconds: Double) {
        let now = Deadline.monotonicNow()
        let delta = seconds <= 0 ? 0 : UInt64(min(seconds, 1e7) * 1e9)
        uptimeNanoseconds = now &+ delta
    }

    /// A deadline that never arrives in practice (10^7 s).
    public static var distant: Deadline { Deadline(secondsFromNow: 1e7) }

    /// Seconds left (0 when expired).
    public var remainingSeconds: Double {
        let now = Deadline.monotonicNow()
        return now >= uptimeNanoseconds ? 0 : Double(uptimeNanoseconds - now) / 1e9
    }

    public var hasExpired: Bool { Deadline.monotonicNow() >= uptimeNanoseconds }

    /// Milliseconds left for `poll(2)`, at least 0, at most Int32.max.
    var pollMilliseconds: Int32 {
        let ms = (remainingSeconds * 1000).rounded(.up)
        return Int32(max(0, min(ms, Double(Int32.max))))
    }

    /// The earlier of this deadline and `seconds` from now.
    public func capped(seconds: Double) -> Deadline { Swift.min(self, Deadline(secondsFromNow: seconds)) }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.uptimeNanoseconds < b.uptimeNanoseconds }

    public var description: String {
        let ms = Int((remainingSeconds * 1000).rounded())
        let fraction = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s left"
    }

    /// CLOCK_MONOTONIC in nanoseconds: the clock DispatchTime's uptime reads, without Dispatch.
    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
