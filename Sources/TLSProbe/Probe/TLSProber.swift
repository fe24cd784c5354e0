import FoundationEssentials
import Glibc

/// Probes endpoints: the wire-level scan (protocols, suites, groups, renegotiation …) and the
/// OpenSSL handshake + HTTP checks run concurrently, all connections through one gate (bounded
/// concurrency, pacing), each with timeouts and retries, the whole under one deadline.
///
/// The audit calls this directly; `portcullis probe` is a thin wrapper.
public struct TLSProber: Sendable {
    public let options: ProbeOptions
    /// OpenSSL and cleartext connections of every probe this prober runs.
    private let gate: ConnectionGate
    /// Endpoints probed at once (each runs its own wire scan with `options.concurrency` connections).
    private let endpointGate: ConnectionGate

    public init(options: ProbeOptions) {
        self.options = options
        gate = ConnectionGate(maxConcurrent: options.concurrency, delay: options.delay)
        endpointGate = ConnectionGate(maxConcurrent: options.parallelEndpoints, delay: 0)
    }

    public func probe(_ endpoint: Endpoint) async -> ProbeResult {
        await endpointGate.acquire()
        let result = await probeAdmitted(endpoint)
        await endpointGate.release()
        return result
    }

    private func probeAdmitted(_ endpoint: Endpoint) async -> ProbeResult {
        let deadline = Deadline(secondsFromNow: options.deadline)
        let counter = LockedCounter()
        var result = ProbeResult(target: .init(host: endpoint.host, port: endpoint.port, sni: endpoint.sni))

        // The wire scan paces and bounds its own connections. With pacing asked for (or one
        // connection at a time), the OpenSSL checks wait for it, so `--delay` and
        // `--concurrency` hold across both; otherwise both run at once.
        let sequential = options.delay > 0 || options.concurrency <= 1
        let wireTask: Task<WireFacts?, Never>? = options.wireScan
            ? Task { [options] in await WireScanBridge.scan(endpoint, options: options, reserveOne: !sequential) } : nil
        var earlyWire: WireFacts?
        if sequential, let wireTask {
            earlyWire = await wireTask.value
            if options.delay > 0 { try? await Task.sleep(nanoseconds: UInt64(options.delay * 1e9)) }
        }
        let full = await attempt(counter: counter, deadline: deadline) {
            FullHandshake.run(endpoint: endpoint, options: options, deadline: deadline.capped(seconds: 4 * options.timeout))
        } isTransient: { $0.isTransient }

        // A port that failed the handshake in a way that says "not TLS": talk cleartext at once,
        // while the wire scan finishes.
        var cleartext: Result<CleartextOutcome, TransportError>?
        var httpOverTLS: Result<HTTPResponseHead, HTTPFailure>?
        switch full {
        case .success(let outcome):
            httpOverTLS = outcome.http
            if case .failure(let f) = outcome.http, f.overHTTP2 {
                // The server agreed to h2 but the HTTP/2 exchange failed: ask over HTTP/1.1.
                let again = await attempt(counter: counter, deadline: deadline) {
                    FullHandshake.run(endpoint: endpoint, options: options, offerALPN: false,
                                      deadline: deadline.capped(seconds: 4 * options.timeout))
                } isTransient: { $0.isTransient }
                switch again {
                case .success(let o): httpOverTLS = o.http
                case .failure(let e): httpOverTLS = .failure(HTTPFailure(reason: "second connection for HTTP/1.1: \(e)"))
                }
            }
        case .failure(let failure):
            if failure.suggestsNotTLS {
                cleartext = await attempt(counter: counter, deadline: deadline) {
                    CleartextProbe.run(endpoint: endpoint, options: options, deadline: deadline.capped(seconds: 2 * options.timeout))
                } isTransient: { $0.isTransient }
            }
        }
        let wire: WireFacts? = if let earlyWire { earlyWire } else { await wireTask?.value }

        Self.assemble(into: &result, full: full, httpOverTLS: httpOverTLS, cleartext: cleartext, wire: wire)
        if deadline.hasExpired {
            result.checks[CheckName.deadline] = .error("probe deadline of \(options.deadline) s exceeded; results are partial")
        }
        result.handshakes = counter.value + (wire?.connections ?? 0)
        return result
    }

    /// Cleartext `GET /` to `host:port` (e.g. port 80): redirect to https, content, or another service.
    public func cleartextHTTP(host: String, port: UInt16) async -> Result<CleartextOutcome, TransportError> {
        let deadline = Deadline(secondsFromNow: min(options.deadline, 2 * options.timeout + 1))
        let counter = LockedCounter()
        let endpoint = Endpoint(host: host, port: port)
        return await attempt(counter: counter, deadline: deadline) {
            CleartextProbe.run(endpoint: endpoint, options: options, deadline: deadline)
        } isTransient: { $0.isTransient }
    }

    /// Runs one connection's blocking work through the gate on its own thread, retrying transient
    /// failures while the deadline allows.
    private func attempt<T: Sendable, E: Error & Sendable>(counter: LockedCounter, deadline: Deadline,
                                                          _ work: @escaping @Sendable () -> Result<T, E>,
                                                          isTransient: (E) -> Bool) async -> Result<T, E> {
        var tries = 0
        while true {
            await gate.acquire()
            counter.increment()
            let outcome = await BlockingWork.run(work)
            await gate.release()
            tries += 1
            guard case .failure(let e) = outcome, isTransient(e), tries <= options.retries,
                  deadline.remainingSeconds > options.timeout else { return outcome }
        }
    }

    /// Merges the findings of all checks into the result; a check that failed leaves its fields
    /// null and says why in `checks`.
    static func assemble(into r: inout ProbeResult, full: Result<FullHandshakeOutcome, HandshakeFailure>,
                         httpOverTLS: Result<HTTPResponseHead, HTTPFailure>?,
                         cleartext: Result<CleartextOutcome, TransportError>?, wire: WireFacts?) {
        var reachable = true
        switch full {
        case .success(let o):
            r.checks[CheckName.handshake] = .completed
            r.negotiated = .init(protocol: o.protocolKey?.rawValue ?? o.protocolName, cipherSuite: o.cipherSuite, keyExchange: o.keyExchange)
            r.alpn = o.alpn
            r.ocspStapling = o.ocspStapled
            r.certificate = o.certificate
            r.checks[CheckName.certificate] = o.certificate != nil ? .completed : .error(o.certificateError ?? "no certificate")
        case .failure(.connection(let e)) where e.meansUnreachable:
            reachable = false
            r.checks[CheckName.connect] = .error(e.description)
        case .failure(let e):
            r.checks[CheckName.handshake] = .error(e.description)
        }
        r.reachable = reachable
        if reachable { r.checks[CheckName.connect] = .completed }

        if let wire {
            for key in ProtocolKey.allCases { r.protocols[key.rawValue] = wire.protocols[key] ?? nil }
            r.cipherSuites = Dictionary(uniqueKeysWithValues: wire.cipherSuites.map { ($0.key.rawValue, $0.value) })
            r.serverOrder = wire.serverOrder
            r.groups = wire.groups
            r.dhBits = wire.dhBits
            r.secureRenegotiation = wire.secureRenegotiation
            r.compression = wire.compression
            r.fallbackScsv = wire.fallbackScsv
            r.checks.merge(wire.checks) { _, new in new }
        }
        // The full handshake proves its own protocol even when the wire check for it failed.
        if case .success(let o) = full, let key = o.protocolKey, r.protocols[key.rawValue] ?? nil == nil {
            r.protocols[key.rawValue] = true
        }
        // When the wire scan has no DH size, a full handshake that negotiated DHE provides one.
        if r.dhBits == nil, case .success(let o) = full { r.dhBits = o.dhBits }
        r.tls = (try? full.get()) != nil || (wire?.speaksTLS ?? false)

        if r.tls {
            switch httpOverTLS {
            case .success(let head):
                r.httpStatus = head.status
                r.checks[CheckName.http] = .completed
                switch HSTSParser.finding(in: head) {
                case .absent: break
                case .policy(let p): r.hsts = p
                case .malformed(let why): r.hstsProblem = why
                }
            case .failure(let f):
                r.checks[CheckName.http] = .error(f.reason)
            case nil:
                r.checks[CheckName.http] = .error("no TLS connection for HTTP (the OpenSSL handshake failed)")
            }
        } else if reachable {
            switch cleartext {
            case .success(let c):
                r.checks[CheckName.plaintext] = .completed
                r.plaintextHttp = c.plaintextHttp
                r.httpStatus = c.status
                r.banner = c.banner
                // The port speaks another protocol: no SSL/TLS version is offered, and the
                // TLS-only checks do not apply (the wire scan saw non-TLS bytes, not a failure).
                r.checks.removeValue(forKey: CheckName.handshake)
                for key in ProtocolKey.allCases {
                    r.protocols[key.rawValue] = false
                    r.checks[CheckName.protocolVersion(key)] = .completed
                }
                for name in r.checks.keys where !name.hasPrefix("protocol.") && name != CheckName.connect && name != CheckName.plaintext && name != CheckName.deadline {
                    r.checks.removeValue(forKey: name)
                }
            case .failure(let e):
                r.checks[CheckName.plaintext] = .error(e.description)
            case nil:
                break
            }
        }
    }

}
