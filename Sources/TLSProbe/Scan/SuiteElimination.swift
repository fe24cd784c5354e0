import TLSWire

/// Enumeration by elimination: offer every remaining candidate, record the one the server
/// picks, remove it and repeat until the server refuses. With a server that imposes its order
/// the picks come out in that order; with one that follows the client they come out in ours.
struct Elimination: Sendable {
    enum End: Sendable, Equatable {
        /// The server refused the remaining candidates (the normal end).
        case rejected(Rejection)
        /// The server answered with another protocol version than asked for.
        case otherVersion(UInt16)
        /// Every candidate was picked.
        case exhausted
        /// The exchange failed or the server broke the protocol.
        case error(String)
    }

    var picks: [UInt16] = []
    var end: End = .exhausted
    /// Every accepted answer, in order (for DH sizes, curves, renegotiation info, compression).
    var answers: [ServerFlightSummary] = []

    var errorReason: String? { if case .error(let r) = end { r } else { nil } }
}

extension ScanSession {
    /// Eliminates over `candidates`.
    /// - Parameters:
    ///   - version: the version every accepted answer must negotiate.
    ///   - acceptingLowerVersions: also accept answers at a lower version (the same one for
    ///     every answer), for checks that do not depend on it.
    ///   - makeHello: builds the hello offering the remaining candidates.
    ///   - pick: extracts the picked candidate from an answer (the suite, or a group).
    ///   - afterPick: told the picks so far after every pick.
    ///   - firstAnswer: the answer to the first hello (every candidate) when another job has
    ///     already had it for the very same hello; nil: ask.
    ///   - onFirstAnswer: told the answer to the first hello.
    func eliminate(candidates: [UInt16], version: ProtocolVersion, acceptingLowerVersions: Bool = false, readKeyExchange: Bool,
                   makeHello: @Sendable ([UInt16]) -> [UInt8],
                   pick: @Sendable (ServerFlightSummary) -> Result<UInt16, ExchangeFailure>,
                   afterPick: ([UInt16]) -> Void = { _ in },
                   firstAnswer: HelloOutcome? = nil, onFirstAnswer: (HelloOutcome) -> Void = { _ in }) async -> Elimination {
        var result = Elimination()
        var remaining = candidates
        var given = firstAnswer
        var first = true
        while !remaining.isEmpty {
            let outcome: HelloOutcome
            if let answer = given {
                outcome = answer
                given = nil
            } else {
                outcome = await exchange(makeHello(remaining), readKeyExchange: readKeyExchange)
            }
            if first {
                onFirstAnswer(outcome)
                first = false
            }
            switch outcome {
            case .serverHello(let summary):
                let negotiated = summary.serverHello.negotiatedVersion
                let firstVersion = result.answers.first?.serverHello.negotiatedVersion
                let acceptable = negotiated == version.wireValue
                    || (acceptingLowerVersions && negotiated < version.wireValue && negotiated >= ProtocolVersion.ssl3.wireValue
                        && (firstVersion == nil || firstVersion == negotiated))
                guard acceptable else {
                    result.end = .otherVersion(negotiated)
                    return result
                }
                switch pick(summary) {
                case .failure(let f):
                    result.end = .error(f.reason)
                    return result
                case .success(let chosen):
                    guard let index = remaining.firstIndex(of: chosen) else {
                        result.end = .error("server chose 0x\(hex(chosen, digits: 4)), which was not offered")
                        return result
                    }
                    remaining.remove(at: index)
                    result.picks.append(chosen)
                    result.answers.append(summary)
                    afterPick(result.picks)
                }
            case .sslv2ServerHello:
                result.end = .otherVersion(ProtocolVersion.ssl2.wireValue)
                return result
            case .rejected(let r):
                result.end = .rejected(r)
                return result
            case .failed(let f):
                result.end = .error(f.reason)
                return result
            }
        }
        result.end = .exhausted
        return result
    }

    /// Suite elimination with the server-order check (`serverImposesOrder`) running alongside
    /// the rest of the elimination rather than after it: one connection less on the scan's
    /// longest chain.
    ///
    /// The check offers two found suites. When answering with one of the first two costs the
    /// server a signature (`signs`: an ephemeral DH/ECDH suite of TLS ≤ 1.2) and the second and
    /// third need none, it waits for the third pick and uses those two — on a server preferring
    /// ECDHE and also offering static RSA, that spares it a signature per version. The third pick
    /// comes while the elimination still has its refusal to ask, so the chain is no longer; a
    /// server with only two suites gets the check after the refusal.
    func eliminateCheckingOrder(candidates: [UInt16], version: ProtocolVersion, readKeyExchange: Bool,
                                makeHello: @escaping @Sendable ([UInt16]) -> [UInt8],
                                pick: @Sendable (ServerFlightSummary) -> Result<UInt16, ExchangeFailure>,
                                signs: (UInt16) -> Bool = { _ in false },
                                onFirstAnswer: (HelloOutcome) -> Void = { _ in }) async -> (Elimination, serverOrder: Bool?) {
        let (pair, announce) = AsyncStream<[UInt16]>.makeStream(bufferingPolicy: .bufferingNewest(1))
        async let serverOrder: Bool? = {
            for await two in pair { return await self.serverImposesOrder(two, makeHello: makeHello, version: version) }
            return nil
        }()
        var announced = false
        let e = await eliminate(candidates: candidates, version: version, readKeyExchange: readKeyExchange, makeHello: makeHello, pick: pick,
                                afterPick: { picks in
                                    guard !announced else { return }
                                    if picks.count == 2 && !signs(picks[0]) && !signs(picks[1]) {
                                        announce.yield(picks)
                                        announced = true
                                    } else if picks.count == 3 {
                                        announce.yield(!signs(picks[1]) && !signs(picks[2]) ? Array(picks[1...2]) : Array(picks[0...1]))
                                        announced = true
                                    }
                                }, onFirstAnswer: onFirstAnswer)
        if !announced && e.picks.count >= 2 { announce.yield(Array(e.picks[0...1])) }
        announce.finish()
        return (e, await serverOrder)
    }
}
