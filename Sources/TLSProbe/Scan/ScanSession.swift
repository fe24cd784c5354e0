import Glibc
import Synchronization
import CNetfilter
import TLSWire

/// The shared state of one scan: target, options, the connection gate, the overall deadline
/// and what was observed across jobs. Jobs call `exchange` for every connection.
final class ScanSession: @unchecked Sendable {
    let target: Endpoint
    let options: ScanOptions
    let deadline: Deadline
    let gate: ConnectionGate
    let connections = LockedCounter()
    private let _speaksTLS = Mutex(false)

    init(target: Endpoint, options: ScanOptions) {
        self.target = target
        self.options = options
        self.deadline = Deadline(secondsFromNow: options.scanDeadline)
        self.gate = ConnectionGate(maxConcurrent: options.maxConcurrentConnections, delay: options.delay)
    }

    var speaksTLS: Bool {
        _speaksTLS.withLock { $0 }
    }

    private func markSpeaksTLS() {
        _speaksTLS.withLock { $0 = true }
    }

    /// One connection carrying `hello` (with retries for transient failures), admitted by the
    /// gate and performed off the cooperative pool (`BlockingWork`), so blocking I/O never stalls it.
    func exchange(_ hello: [UInt8], readKeyExchange: Bool = false) async -> HelloOutcome {
        var attempt = 0
        while true {
            if deadline.hasExpired {
                return .failed(ExchangeFailure(reason: "scan deadline of \(options.scanDeadline)s exceeded", transient: false))
            }
            await gate.acquire()
            let target = self.target, timeout = self.options.timeout, deadline = self.deadline, counter = self.connections
            let outcome = await BlockingWork.run {
                HelloExchange.perform(target: target, hello: hello, timeout: timeout, deadline: deadline,
                                      readKeyExchange: readKeyExchange, onConnected: { counter.increment() })
            }
            await gate.release()
            switch outcome {
            case .serverHello, .sslv2ServerHello, .rejected(.alert), .rejected(.sslv2Error):
                markSpeaksTLS()
            default:
                break
            }
            if case .failed(let f) = outcome, f.transient, attempt < options.retries {
                attempt += 1
                continue
            }
            return outcome
        }
    }
}
