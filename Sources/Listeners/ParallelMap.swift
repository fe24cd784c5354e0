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
/// One buffer allocated up front: `Array.withUnsafeMutableBufferPointer` from several threads at
/// once is a data race (the array is moved out for the duration of each call) and lost writes.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    func set(_ i: Int, _ value: R) { slots[i] = value }
    func values() -> [R] { slots.map { $0! } }
}

private enum System {
    static var activeProcessorCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }
}
