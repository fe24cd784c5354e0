import Glibc

/// Runs blocking socket/OpenSSL work off the cooperative pool (two threads on this machine, which
/// one blocking `recv` would halve) and confines the C objects it creates to the thread that
/// runs it.
///
/// The threads come from `BlockingThreadPool.shared`, not one new thread per connection: a probe
/// makes 20–30 short connections, and creating and tearing down a thread for each cost about
/// 3 ms of CPU per probe. Not GCD's global queue either: its pool is capped (64 threads on
/// Linux), so many silent peers probed at once would starve every other probe in the process.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            BlockingThreadPool.shared.submit { continuation.resume(returning: body()) }
        }
    }
}

/// A cached thread pool: a job goes to an idle thread when there is one, otherwise to a new
/// thread, so a job never waits behind another job (callers bound their own concurrency with
/// `ConnectionGate`). Threads idle for `idleSeconds` exit, so a long audit that once probed
/// hundreds of endpoints at once does not keep hundreds of threads.
final class BlockingThreadPool: @unchecked Sendable {
    static let shared = BlockingThreadPool(stackBytes: 1 << 20, idleSeconds: 5)

    private let stackBytes: Int
    private let idleSeconds: Int
    /// Guards `jobs`, `head`, `idle` and `threads`. Allocated, not stored properties: a pthread
    /// object must not move, and `&property` promises no stable address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let jobAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [@Sendable () -> Void] = []
    /// Index of the next job to run in `jobs` (a queue without a Deque dependency).
    private var head = 0
    /// Threads waiting for a job.
    private var idle = 0
    /// Threads alive (running a job or waiting for one).
    private var threads = 0

    init(stackBytes: Int, idleSeconds: Int) {
        self.stackBytes = stackBytes
        self.idleSeconds = idleSeconds
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(jobAvailable, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// Only reached once no thread is left (each thread holds the pool).
    deinit {
        pthread_cond_destroy(jobAvailable)
        pthread_mutex_destroy(mutex)
        jobAvailable.deallocate()
        mutex.deallocate()
    }

    /// Queues `job`; starts a thread when the idle threads cannot take every queued job.
    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        let needThread = jobs.count - head > idle
        if needThread { threads += 1 } else { pthread_cond_signal(jobAvailable) }
        pthread_mutex_unlock(mutex)
        if needThread && !startThread() { threadRefused() }
    }

    /// No new thread to be had (thread or memory limits). A busy thread will take the job when
    /// it is done; with no thread at all, the caller runs the queue itself rather than hang.
    private func threadRefused() {
        pthread_mutex_lock(mutex)
        threads -= 1
        let noThread = threads == 0
        pthread_mutex_unlock(mutex)
        guard noThread else { return }
        while true {
            pthread_mutex_lock(mutex)
            guard head < jobs.count else { pthread_mutex_unlock(mutex); return }
            let job = takeJob()
            pthread_mutex_unlock(mutex)
            job()
        }
    }

    /// The next queued job (there must be one); call with `mutex` held. The queue's storage is
    /// reused once it has been drained.
    private func takeJob() -> @Sendable () -> Void {
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }

    private func startThread() -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackBytes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { context in
            let pool = Unmanaged<BlockingThreadPool>.fromOpaque(context!).takeRetainedValue()
            pool.workLoop()
            return nil
        }, context)
        if rc != 0 { Unmanaged<BlockingThreadPool>.fromOpaque(context).release() }
        return rc == 0
    }

    /// Runs queued jobs; returns (ending the thread) after `idleSeconds` without one.
    private func workLoop() {
        pthread_mutex_lock(mutex)
        while true {
            while head == jobs.count {
                idle += 1
                var until = timespec()
                clock_gettime(CLOCK_MONOTONIC, &until)
                until.tv_sec += idleSeconds
                let rc = pthread_cond_timedwait(jobAvailable, mutex, &until)
                idle -= 1
                if rc == ETIMEDOUT && head == jobs.count {
                    threads -= 1
                    pthread_mutex_unlock(mutex)
                    return
                }
            }
            let job = takeJob()
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
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
