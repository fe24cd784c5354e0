import Foundation
import Testing
@testable import TLSProbe

/// The pool that runs blocking connection work: jobs run at once on their own threads, and when
/// the system refuses a thread the caller runs the queue itself instead of hanging.
@Suite("blocking thread pool")
struct BlockingThreadPoolTests {
    /// Two jobs that each wait for the other can only finish if they run at the same time.
    @Test("a job never waits behind another job")
    func jobsRunConcurrently() {
        let pool = BlockingThreadPool(stackBytes: 1 << 20, idleSeconds: 1)
        let first = DispatchSemaphore(value: 0), second = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        pool.submit { first.signal(); _ = second.wait(timeout: .now() + 5); done.signal() }
        pool.submit { second.signal(); _ = first.wait(timeout: .now() + 5); done.signal() }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    /// A stack of 2^46 bytes cannot be mapped, so pthread_create fails for real (EAGAIN): the
    /// job must still run, on the submitting thread, before `submit` returns.
    @Test("when no thread can be started, the caller runs the job")
    func threadRefused() {
        let pool = BlockingThreadPool(stackBytes: 1 << 46, idleSeconds: 1)
        let caller = pthread_self()
        let ran = LockedCounter()
        let ranOnCaller = LockedCounter()
        for _ in 0..<3 {
            pool.submit {
                ran.increment()
                if pthread_equal(pthread_self(), caller) != 0 { ranOnCaller.increment() }
            }
        }
        #expect(ran.value == 3)
        #expect(ranOnCaller.value == 3)
    }
}
