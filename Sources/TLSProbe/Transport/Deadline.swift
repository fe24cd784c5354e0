import Foundation

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
        let now = DispatchTime.now().uptimeNanoseconds
        let delta = seconds <= 0 ? 0 : UInt64(min(seconds, 1e7) * 1e9)
        uptimeNanoseconds = now &+ delta
    }

    /// A deadline that never arrives in practice (10^7 s).
    public static var distant: Deadline { Deadline(secondsFromNow: 1e7) }

    /// Seconds left (0 when expired).
    public var remainingSeconds: Double {
        let now = DispatchTime.now().uptimeNanoseconds
        return now >= uptimeNanoseconds ? 0 : Double(uptimeNanoseconds - now) / 1e9
    }

    public var hasExpired: Bool { DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds }

    /// Milliseconds left for `poll(2)`, at least 0, at most Int32.max.
    var pollMilliseconds: Int32 {
        let ms = (remainingSeconds * 1000).rounded(.up)
        return Int32(max(0, min(ms, Double(Int32.max))))
    }

    /// The earlier of this deadline and `seconds` from now.
    public func capped(seconds: Double) -> Deadline { Swift.min(self, Deadline(secondsFromNow: seconds)) }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.uptimeNanoseconds < b.uptimeNanoseconds }

    public var description: String { String(format: "%.3fs left", remainingSeconds) }
}
