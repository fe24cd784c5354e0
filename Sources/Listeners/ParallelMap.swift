import Dispatch
import Glibc

/// `map` over the cores for independent, CPU-bound work (firewall questions for thousands of
/// sockets). Small inputs run inline: threads cost more than they save there.
enum ParallelMap {
    static func map<T: Sendable, R: Sendable>(_ items: [T], minimumForParallel: Int = 64, _ body: @Sendable (T) -> R) -> [R] {
        guard items.count >= minimumForParallel else { return items.map(body) }
        let results = ResultSlots<R>(count: items.count)
        let workers = 2 * max(1, System.activeProcessorCount)
        let chunk = (items.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let start = w * chunk
            let end = min(items.count, start + chunk)
            guard start < end else { return }
            for i in start..<end { results.set(i, body(items[i])) }
        }
        return results.values()
    }
}

/// Slots written by disjoint indexes from several threads, read after all have finished.
private final class ResultSlots<R>: @unchecked Sendable {
    private var slots: [R?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: R) { slots.withUnsafeMutableBufferPointer { $0[i] = value } }
    func values() -> [R] { slots.map { $0! } }
}

private enum System {
    static var activeProcessorCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }
}
