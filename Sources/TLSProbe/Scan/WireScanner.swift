import FoundationEssentials
import Glibc
import TLSWire

/// Wire-level TLS scanner: protocol versions SSLv2…TLS 1.3, accepted cipher suites and their
/// server order, groups, DH sizes, secure renegotiation, compression and fallback SCSV — all
/// with hand-built hellos, so suites OpenSSL no longer implements are found too.
///
/// Jobs (one per protocol, one per group list, then the fallback check) run concurrently; each
/// is a chain of connections. A `ConnectionGate` bounds concurrency to
/// `options.maxConcurrentConnections` and spaces connection starts by `options.delay`. Every
/// connection is bounded by `options.timeout`, the whole scan by `options.scanDeadline`.
public struct WireScanner: Sendable {
    public let options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    public func scan(_ target: Endpoint) async -> WireScanResult {
        let started = Deadline(secondsFromNow: 0)
        let session = ScanSession(target: target, options: options)

        // Two answers serve two jobs each: the TLS 1.3 suite scan's first hello is the group
        // scan's first hello too, and a TLS 1.2 hello refused for its version means the TLS ≤ 1.2
        // curve scan would be refused the same way.
        let tls13FirstAnswer = AsyncStream<HelloOutcome>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let tls12FirstAnswer = AsyncStream<HelloOutcome>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // What each version's first hello says of it, for the fallback check; and, when that is
        // not enough, the protocol results.
        let verdicts = Dictionary(uniqueKeysWithValues: ScanSession.fallbackVersions.map { version in
            (version, AsyncStream<FirstAnswerVerdict>.makeStream(bufferingPolicy: .bufferingNewest(1)))
        })
        let protocolResults = AsyncStream<[ProtocolScanResult]>.makeStream(bufferingPolicy: .bufferingNewest(1))
        async let ssl2 = session.scanSSLv2()
        async let ssl3 = session.scanLegacy(.ssl3, deferChunking: true, verdict: verdicts[.ssl3]!.continuation)
        async let tls10 = session.scanLegacy(.tls10, deferChunking: true, verdict: verdicts[.tls10]!.continuation)
        async let tls11 = session.scanLegacy(.tls11, deferChunking: true, verdict: verdicts[.tls11]!.continuation)
        async let tls12 = session.scanLegacy(.tls12, deferChunking: true, sharingFirstAnswer: tls12FirstAnswer.continuation,
                                             verdict: verdicts[.tls12]!.continuation)
        async let tls13 = session.scanTLS13(sharingFirstAnswer: tls13FirstAnswer.continuation, verdict: verdicts[.tls13]!.continuation)
        async let groupScans = session.scanGroups(suiteScanFirstAnswer: tls13FirstAnswer.stream, tls12FirstAnswer: tls12FirstAnswer.stream)
        async let fallback = session.checkFallbackSCSV(firstAnswers: ScanSession.fallbackVersions.map { ($0, verdicts[$0]!.stream) },
                                                       protocols: protocolResults.stream)

        var legacy = await [ssl3, tls10, tls11, tls12]
        // A version refused for another reason than the version is retried in chunks only when
        // no other version's full-length hello was read: a modern server answers an SSLv3 hello
        // with handshake_failure, and chunks would only draw the same refusal (two connections
        // on every probe). A server that chokes on long suite lists still gets its chunks.
        if !legacy.contains(where: \.fullListParsed) {
            legacy = await withTaskGroup(of: (Int, LegacyFindings).self) { group in
                for (i, findings) in legacy.enumerated() where findings.chunkingDeferred {
                    let version = findings.result.version
                    let refusal: Elimination.End = findings.result.refusal.map { .rejected($0) } ?? .exhausted
                    group.addTask { (i, await session.scanLegacyInChunks(version, refusal: refusal)) }
                }
                var retried = legacy
                for await (i, findings) in group { retried[i] = findings }
                return retried
            }
        }
        let protocols = await [ssl2] + legacy.map(\.result) + [tls13]
        protocolResults.continuation.yield(protocols)
        protocolResults.continuation.finish()
        var groups = GroupScanResult()
        (groups.tls13, groups.tls13Status, groups.tls12Extra, groups.tls12Status) = await groupScans

        // DH sizes, renegotiation info, compression: from the answers of the legacy versions.
        let dhSizes = legacy.flatMap(\.dhSizes)
        let highestLegacy = legacy.last { $0.result.supported }
        let anyLegacyError = legacy.first { !$0.result.status.isCompleted }?.result.status
        let dheAccepted = legacy.contains { $0.result.cipherSuites.contains { $0.keyExchange.isFiniteFieldDHE } }
        var dhStatus = CheckStatus.completed
        if dheAccepted && dhSizes.isEmpty { dhStatus = .error("DHE suites accepted but no ServerKeyExchange could be read") }
        else if let e = anyLegacyError, dhSizes.isEmpty { dhStatus = e }

        let (fallbackHonoured, fallbackStatus) = await fallback

        return WireScanResult(
            target: target, protocols: protocols, groups: groups,
            dhBits: dhSizes.min(), dhBitsStatus: dhStatus,
            secureRenegotiation: highestLegacy?.renegotiationInfo,
            secureRenegotiationStatus: highestLegacy != nil ? .completed : (anyLegacyError ?? .completed),
            compression: highestLegacy == nil ? nil : legacy.contains { $0.compression },
            compressionStatus: highestLegacy != nil ? .completed : (anyLegacyError ?? .completed),
            fallbackSCSV: fallbackHonoured, fallbackSCSVStatus: fallbackStatus,
            speaksTLS: session.speaksTLS, handshakes: session.connections.value,
            peakConcurrentConnections: await session.gate.peak,
            elapsedSeconds: Double(Deadline(secondsFromNow: 0).uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
    }
}

/// Findings of one SSLv3/TLS ≤ 1.2 protocol job beyond the protocol result itself.
struct LegacyFindings: Sendable {
    var result: ProtocolScanResult
    var dhSizes: [Int] = []
    var renegotiationInfo: Bool?
    var compression = false
    /// The hello with every candidate was answered — with a ServerHello (at any version) or a
    /// protocol_version alert —, so the server reads hellos that long.
    var fullListParsed = false
    /// That hello was refused for another reason and the chunked retry was left to the caller.
    var chunkingDeferred = false
}

extension ScanSession {
    // MARK: SSLv2

    /// One SSLv2 CLIENT-HELLO listing every SSLv2 cipher kind: the SERVER-HELLO lists all the
    /// kinds the server shares, so no elimination is needed.
    func scanSSLv2() async -> ProtocolScanResult {
        let kinds = CipherSuiteRegistry.candidates(for: .ssl2)
        let outcome = await exchange(SSLv2.clientHello(cipherKinds: kinds.map(\.code)))
        switch outcome {
        case .sslv2ServerHello(let sh):
            let suites = sh.cipherKinds.map { CipherSuiteRegistry.suite(sslv2: $0) ?? unknownSSLv2Kind($0) }
            if suites.isEmpty {
                return ProtocolScanResult(version: .ssl2, supported: false)
            }
            return ProtocolScanResult(version: .ssl2, supported: true, cipherSuites: suites)
        case .serverHello(let s):
            var result = ProtocolScanResult(version: .ssl2, supported: false)
            result.answeredWithVersion = s.serverHello.negotiatedVersion
            return result
        case .rejected(let r):
            var result = ProtocolScanResult(version: .ssl2, supported: false)
            result.refusal = r
            return result
        case .failed(let f):
            return ProtocolScanResult(version: .ssl2, status: .error(f.reason))
        }
    }

    private func unknownSSLv2Kind(_ code: UInt32) -> CipherSuite {
        CipherSuite(code: code, width: 3, ianaName: "SSL_CK_UNKNOWN_0x" + hex(code, digits: 6), openSSLName: nil,
                    minimumProtocol: .ssl2, keyExchange: .rsa, authentication: .rsa, cipher: .null, bits: 0, mac: .md5, export: false)
    }

    // MARK: SSLv3, TLS 1.0–1.2

    /// Suite elimination for one version ≤ TLS 1.2. When the hello with every candidate is
    /// refused for another reason than the version, the server may be one that chokes on long
    /// suite lists: the elimination is retried in chunks — at once, or, with `deferChunking`,
    /// left to the caller (`chunkingDeferred`), who knows whether another version's equally long
    /// hello was read (`scanLegacyInChunks`). The answer to the first hello goes to
    /// `sharingFirstAnswer`, what it says of the version to `verdict` (both finished when this
    /// returns).
    func scanLegacy(_ version: ProtocolVersion, deferChunking: Bool = false,
                    sharingFirstAnswer: AsyncStream<HelloOutcome>.Continuation? = nil,
                    verdict: AsyncStream<FirstAnswerVerdict>.Continuation? = nil) async -> LegacyFindings {
        let candidates = CipherSuiteRegistry.candidates(for: version).map(\.tlsCode)
        let makeHello = legacyHello(version)
        defer {
            sharingFirstAnswer?.finish()
            verdict?.finish()
        }
        let (e, serverOrder) = await eliminateCheckingOrder(candidates: candidates, version: version, readKeyExchange: true,
                                                            makeHello: makeHello, pick: Self.pickSuite, signs: Self.serverSigns,
                                                            onFirstAnswer: {
                                                                sharingFirstAnswer?.yield($0)
                                                                verdict?.yield(FirstAnswerVerdict($0, version: version, offered: candidates))
                                                            })
        let fullListParsed: Bool
        switch e.end {
        case _ where !e.picks.isEmpty: fullListParsed = true
        case .otherVersion: fullListParsed = true
        case .rejected(let r) where r.alertCode == Alert.protocolVersion: fullListParsed = true
        default: fullListParsed = false
        }
        if e.picks.isEmpty, case .rejected = e.end, candidates.count > options.maxSuitesPerHello, !fullListParsed {
            if deferChunking {
                var findings = findings(version, e, serverOrder: serverOrder)
                findings.chunkingDeferred = true
                return findings
            }
            return await scanLegacyInChunks(version, refusal: e.end)
        }
        var findings = findings(version, e, serverOrder: serverOrder)
        findings.fullListParsed = fullListParsed
        return findings
    }

    /// The elimination in chunks of `maxSuitesPerHello` suites, for a server that refused the
    /// hello with every candidate; the union is then ordered by one more elimination.
    func scanLegacyInChunks(_ version: ProtocolVersion, refusal: Elimination.End) async -> LegacyFindings {
        let candidates = CipherSuiteRegistry.candidates(for: version).map(\.tlsCode)
        let makeHello = legacyHello(version)
        var merged = Elimination()
        merged.end = refusal
        let chunks = stride(from: 0, to: candidates.count, by: options.maxSuitesPerHello).map {
            Array(candidates[$0..<min($0 + options.maxSuitesPerHello, candidates.count)])
        }
        // Chunks are independent: run them concurrently (the gate still bounds connections).
        let parts = await withTaskGroup(of: (Int, Elimination).self) { group in
            for (i, chunk) in chunks.enumerated() {
                group.addTask {
                    (i, await self.eliminate(candidates: chunk, version: version, readKeyExchange: true, makeHello: makeHello, pick: Self.pickSuite))
                }
            }
            var collected: [(Int, Elimination)] = []
            for await part in group { collected.append(part) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        for part in parts {
            merged.picks += part.picks
            merged.answers += part.answers
            if let reason = part.errorReason { merged.end = .error(reason) }
        }
        var serverOrder: Bool?
        var ordering: String?
        if merged.errorReason == nil && merged.picks.count >= 2 {
            // Picks across chunks are not one ordering: eliminate again over the union.
            let again = await eliminate(candidates: merged.picks, version: version, readKeyExchange: false, makeHello: makeHello, pick: Self.pickSuite)
            if let reason = again.errorReason { ordering = "ordering: \(reason)" }
            merged.picks = again.picks + merged.picks.filter { !again.picks.contains($0) }
            serverOrder = await serverImposesOrder(merged.picks, makeHello: makeHello, version: version)
        }
        var findings = findings(version, merged, serverOrder: serverOrder)
        if let ordering, findings.result.status.isCompleted { findings.result.status = .error(ordering) }
        return findings
    }

    private static let pickSuite: @Sendable (ServerFlightSummary) -> Result<UInt16, ExchangeFailure> = { .success($0.serverHello.cipherSuite) }

    /// Answering with this TLS ≤ 1.2 suite costs the server a signature (a signed ephemeral
    /// DH/ECDH ServerKeyExchange). Unknown suites count as signing.
    private static func serverSigns(_ code: UInt16) -> Bool {
        guard let suite = CipherSuiteRegistry.suite(tls: code) else { return true }
        let ephemeral = suite.keyExchange.isECDHE || suite.keyExchange.isFiniteFieldDHE
        return ephemeral && suite.authentication != .anonymous && suite.authentication != .psk
    }

    private func legacyHello(_ version: ProtocolVersion) -> @Sendable ([UInt16]) -> [UInt8] {
        let sni = target.serverNameToSend
        return { suites in
            ClientHello.legacy(version: version, cipherSuites: suites, serverName: sni, offerCompression: true).recordBytes()
        }
    }

    /// What an elimination at `version` found: the protocol result (suites in the order found,
    /// server order when two or more), DH sizes, compression and renegotiation info.
    private func findings(_ version: ProtocolVersion, _ e: Elimination, serverOrder: Bool?) -> LegacyFindings {
        var findings = LegacyFindings(result: ProtocolScanResult(version: version))
        findings.result.supported = !e.picks.isEmpty
        findings.result.record(e.end)
        if let reason = e.errorReason { findings.result.status = .error(reason) }
        for a in e.answers {
            if case .dh(let bits, _) = a.keyExchange { findings.dhSizes.append(bits) }
            if a.serverHello.compressionMethod != 0 { findings.compression = true }
        }
        findings.renegotiationInfo = e.answers.first?.serverHello.hasRenegotiationInfo
        if findings.result.status.isCompleted && e.picks.count >= 2 { findings.result.serverOrder = serverOrder }
        findings.result.cipherSuites = e.picks.map { CipherSuiteRegistry.suite(tls: $0) ?? unknownSuite($0, version) }
        return findings
    }

    /// Offers two found suites (the last two of `found`) in reverse: a server following the
    /// client picks our first (the one found later); a server imposing its order picks the one it
    /// picked before. Two suites are enough to tell, and `eliminateCheckingOrder` asks while the
    /// elimination goes on.
    func serverImposesOrder(_ found: [UInt16], makeHello: @Sendable ([UInt16]) -> [UInt8], version: ProtocolVersion) async -> Bool? {
        guard found.count >= 2 else { return nil }
        let (preferred, last) = (found[found.count - 2], found[found.count - 1])
        let outcome = await exchange(makeHello([last, preferred]))
        guard case .serverHello(let s) = outcome, s.serverHello.negotiatedVersion == version.wireValue else { return nil }
        switch s.serverHello.cipherSuite {
        case preferred: return true
        case last: return false
        default: return nil
        }
    }

    func unknownSuite(_ code: UInt16, _ version: ProtocolVersion) -> CipherSuite {
        CipherSuite(code: UInt32(code), width: 2, ianaName: CipherSuiteRegistry.name(tls: code), openSSLName: nil,
                    minimumProtocol: version, keyExchange: .any, authentication: .any, cipher: .null, bits: 0, mac: .null, export: false)
    }

    // MARK: TLS 1.3

    /// Suites by elimination with hellos whose key_share is empty: the server answers with a
    /// HelloRetryRequest that names the suite it picked (RFC 8446 §4.1.4), before any key
    /// exchange or signature — a full ServerHello would cost it an RSA signature per connection,
    /// and on a small server those signatures were most of the probe's time. A server that
    /// refuses the first such hello gets the same elimination with a real key share, so one that
    /// mishandles an empty key_share is not reported as lacking TLS 1.3 — unless it refused with
    /// protocol_version: that says it has none of the versions offered (the hello offers TLS 1.3
    /// alone), whatever the key share, and is how every server without TLS 1.3 answers. The
    /// answer to the first hello goes to `sharingFirstAnswer`, what it says of TLS 1.3 to `verdict`
    /// (both finished when this returns).
    func scanTLS13(sharingFirstAnswer: AsyncStream<HelloOutcome>.Continuation? = nil,
                   verdict: AsyncStream<FirstAnswerVerdict>.Continuation? = nil) async -> ProtocolScanResult {
        let candidates = CipherSuiteRegistry.candidates(for: .tls13).map(\.tlsCode)
        let sni = target.serverNameToSend
        let viaRetryRequest: @Sendable ([UInt16]) -> [UInt8] = { suites in
            Self.tls13SuiteScanHello(suites, serverName: sni).recordBytes()
        }
        let withKeyShare: @Sendable ([UInt16]) -> [UInt8] = { suites in
            ClientHello.tls13(cipherSuites: suites, serverName: sni).recordBytes()
        }
        let pickSuite: @Sendable (ServerFlightSummary) -> Result<UInt16, ExchangeFailure> = { .success($0.serverHello.cipherSuite) }
        defer {
            sharingFirstAnswer?.finish()
            verdict?.finish()
        }
        var (e, serverOrder) = await eliminateCheckingOrder(candidates: candidates, version: .tls13, readKeyExchange: false,
                                                            makeHello: viaRetryRequest, pick: pickSuite,
                                                            onFirstAnswer: {
                                                                sharingFirstAnswer?.yield($0)
                                                                verdict?.yield(FirstAnswerVerdict($0, version: .tls13, offered: candidates))
                                                            })
        if e.picks.isEmpty, case .rejected(let refusal) = e.end, refusal.alertCode != Alert.protocolVersion {
            (e, serverOrder) = await eliminateCheckingOrder(candidates: candidates, version: .tls13, readKeyExchange: false,
                                                            makeHello: withKeyShare, pick: pickSuite)
        }
        var result = ProtocolScanResult(version: .tls13, supported: !e.picks.isEmpty)
        result.record(e.end)
        if let reason = e.errorReason { result.status = .error(reason) }
        if result.status.isCompleted { result.serverOrder = serverOrder }
        result.cipherSuites = e.picks.map { CipherSuiteRegistry.suite(tls: $0) ?? unknownSuite($0, .tls13) }
        return result
    }

    // MARK: Groups

    /// The suite scan's TLS 1.3 hello: `suites`, every candidate group, an empty key share.
    static func tls13SuiteScanHello(_ suites: [UInt16], serverName: String?) -> ClientHello {
        ClientHello.tls13(cipherSuites: suites, serverName: serverName, groups: NamedGroupRegistry.tls13Candidates.map(\.code), keyShares: [])
    }

    /// The group scan's TLS 1.3 hello: every candidate suite, `groups`, an empty key share. With
    /// every candidate group it is the suite scan's first hello.
    static func tls13GroupScanHello(_ groups: [UInt16], serverName: String?) -> ClientHello {
        ClientHello.tls13(cipherSuites: CipherSuiteRegistry.candidates(for: .tls13).map(\.tlsCode), serverName: serverName,
                          groups: groups, keyShares: [])
    }

    /// TLS 1.3 groups: hellos with an empty key_share make the server name its preferred group
    /// in a HelloRetryRequest; eliminate until it refuses. The first hello is the suite scan's:
    /// its answer is taken from `suiteScanFirstAnswer` when that has one.
    func scanGroupsTLS13(suiteScanFirstAnswer: AsyncStream<HelloOutcome>? = nil) async -> ([NamedGroup], CheckStatus) {
        let sni = target.serverNameToSend
        var suiteScanAnswer: HelloOutcome?
        if let suiteScanFirstAnswer {
            for await answer in suiteScanFirstAnswer {
                suiteScanAnswer = answer
                break
            }
        }
        let e = await eliminate(candidates: NamedGroupRegistry.tls13Candidates.map(\.code), version: .tls13, readKeyExchange: false,
                                makeHello: { groups in
                                    Self.tls13GroupScanHello(groups, serverName: sni).recordBytes()
                                },
                                pick: { s in
                                    guard let g = s.serverHello.keyShareGroup else {
                                        return .failure(ExchangeFailure(reason: "TLS 1.3 answer without key_share", transient: false))
                                    }
                                    return .success(g)
                                },
                                firstAnswer: suiteScanAnswer)
        let groups = e.picks.map { NamedGroupRegistry.group(code: $0) ?? NamedGroup(code: $0, name: NamedGroupRegistry.name(code: $0), kind: .ecdhe, bits: 0) }
        if let reason = e.errorReason { return (groups, .error(reason)) }
        return (groups, .completed)
    }

    /// TLS 1.3 groups first (cheap: HelloRetryRequests), then the TLS ≤ 1.2 curves it did not
    /// show (see `scanGroupsLegacy`).
    func scanGroups(suiteScanFirstAnswer: AsyncStream<HelloOutcome>? = nil, tls12FirstAnswer: AsyncStream<HelloOutcome>? = nil)
        async -> (tls13: [NamedGroup], tls13Status: CheckStatus, tls12Extra: [NamedGroup], tls12Status: CheckStatus) {
        let (tls13, tls13Status) = await scanGroupsTLS13(suiteScanFirstAnswer: suiteScanFirstAnswer)
        let (tls12, tls12Status) = await scanGroupsLegacy(excluding: tls13.map(\.code), tls12FirstAnswer: tls12FirstAnswer)
        return (tls13, tls13Status, tls12, tls12Status)
    }

    /// ECDHE curves usable with TLS ≤ 1.2 beyond `excluding` (the groups TLS 1.3 already showed):
    /// hellos for TLS 1.2 offering only ECDHE suites and the remaining curves, answered at the
    /// highest version ≤ 1.2 the server has (curves do not depend on it, and a TLS 1.0-only
    /// server needs no second pass); the curve is read from the ServerKeyExchange. Every accepted
    /// curve costs the server a signed ServerKeyExchange, so curves already known are not offered
    /// again; the reported groups are the union, which this keeps exact. When the TLS 1.2
    /// protocol scan's first hello (`tls12FirstAnswer`) drew a protocol_version alert, the server
    /// has no version up to 1.2 and these hellos would draw it too: none is sent; when it drew an
    /// ECDHE answer to the same curve list, that answer stands for this scan's first hello.
    func scanGroupsLegacy(excluding: [UInt16] = [], tls12FirstAnswer: AsyncStream<HelloOutcome>? = nil) async -> ([NamedGroup], CheckStatus) {
        let suites = CipherSuiteRegistry.candidates(for: .tls12).filter { $0.keyExchange.isECDHE }.map(\.tlsCode)
        let sni = target.serverNameToSend
        let candidates = NamedGroupRegistry.tls12Candidates.map(\.code).filter { !excluding.contains($0) }
        guard !candidates.isEmpty else { return ([], .completed) }
        var firstAnswer: HelloOutcome?
        if let tls12FirstAnswer {
            for await answer in tls12FirstAnswer {
                if case .rejected(let r) = answer, r.alertCode == Alert.protocolVersion { return ([], .completed) }
                // That hello offered every curve candidate too (TLS ≤ 1.2 hellos offer them all):
                // when no curve is excluded and the server answered with an ECDHE suite, its
                // ServerKeyExchange names the curve this scan's first hello would draw — one
                // connection and one signature less, on what is often the scan's longest chain.
                if candidates == ClientHello.defaultTLS12Groups, case .serverHello(let s) = answer, case .ecdhe = s.keyExchange {
                    firstAnswer = answer
                }
                break
            }
        }
        let e = await eliminate(candidates: candidates, version: .tls12, acceptingLowerVersions: true, readKeyExchange: true,
                                makeHello: { groups in
                                    ClientHello.legacy(version: .tls12, cipherSuites: suites, serverName: sni, groups: groups).recordBytes()
                                },
                                pick: { s in
                                    switch s.keyExchange {
                                    case .ecdhe(let g): return .success(g)
                                    case .some(let other): return .failure(ExchangeFailure(reason: "ECDHE suite answered with \(other)", transient: false))
                                    case nil: return .failure(ExchangeFailure(reason: "no ServerKeyExchange after ECDHE ServerHello (\(s.flightNote ?? "flight incomplete"))", transient: false))
                                    }
                                },
                                firstAnswer: firstAnswer)
        let groups = e.picks.map { NamedGroupRegistry.group(code: $0) ?? NamedGroup(code: $0, name: NamedGroupRegistry.name(code: $0), kind: .ecdhe, bits: 0) }
        // A server without TLS ≤ 1.2 answers with TLS 1.3 or refuses: no curve to add, not an error.
        if case .otherVersion(let v) = e.end, v > ProtocolVersion.tls12.wireValue, groups.isEmpty { return ([], .completed) }
        if let reason = e.errorReason { return (groups, .error(reason)) }
        return (groups, .completed)
    }
}

extension ProtocolScanResult {
    /// Keeps how an elimination ended (refusal or other version) for reports.
    mutating func record(_ end: Elimination.End) {
        switch end {
        case .rejected(let r): refusal = r
        case .otherVersion(let v): answeredWithVersion = v
        case .exhausted, .error: break
        }
    }
}
