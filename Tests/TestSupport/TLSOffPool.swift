import Foundation

/// Runs blocking test setup (spawning servers, waiting for their ports, generating keys) on its own
/// thread. Swift Testing runs async tests on the cooperative pool, which has one thread per core
/// (two here): blocking it stalls every other test's probe and skews their deadlines.
public enum TLSOffPool {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
