import TLSWire

/// What the answer to a protocol job's first hello (every candidate suite, at one version) says
/// about that version, told as soon as it arrives: the fallback check needs only which versions
/// are supported and a suite of the lower one, and need not wait for every elimination to end.
enum FirstAnswerVerdict: Sendable, Equatable {
    /// Answered at the version with `firstPick`, one of the suites offered: the job reports the
    /// version supported whatever its later hellos draw.
    case supported(firstPick: UInt16)
    /// Answered at another version, or refused with protocol_version: the job reports the
    /// version unsupported (neither is retried in chunks or with a key share).
    case unsupported
    /// Refused for another reason. A TLS ≤ 1.2 job is retried in chunks only when no other
    /// TLS ≤ 1.2 job's first hello was read (see `WireScanner.scan`); a TLS 1.3 job is retried
    /// with a key share.
    case refused
    /// The exchange failed, or the server picked a suite that was not offered: only the job's
    /// result can tell.
    case undecided

    init(_ outcome: HelloOutcome, version: ProtocolVersion, offered: [UInt16]) {
        switch outcome {
        case .serverHello(let s) where s.serverHello.negotiatedVersion == version.wireValue:
            self = offered.contains(s.serverHello.cipherSuite) ? .supported(firstPick: s.serverHello.cipherSuite) : .undecided
        case .serverHello, .sslv2ServerHello:
            self = .unsupported
        case .rejected(let r) where r.alertCode == Alert.protocolVersion:
            self = .unsupported
        case .rejected:
            self = .refused
        case .failed:
            self = .undecided
        }
    }

    /// The versions these first answers (one per version) show supported, each with its first
    /// pick; nil when only the jobs' results can tell. A TLS ≤ 1.2 version refused for another
    /// reason is unsupported once another TLS ≤ 1.2 hello was answered with a ServerHello or
    /// protocol_version — the server read a hello as long, so no chunked retry follows (how a
    /// modern server answers the SSLv3 hello).
    static func supportedVersions(_ verdicts: [(ProtocolVersion, FirstAnswerVerdict)]) -> [(version: ProtocolVersion, firstPick: UInt16)]? {
        let legacyHelloRead = verdicts.contains { version, verdict in
            guard version < .tls13 else { return false }
            switch verdict {
            case .supported, .unsupported: return true
            case .refused, .undecided: return false
            }
        }
        var supported: [(version: ProtocolVersion, firstPick: UInt16)] = []
        for (version, verdict) in verdicts {
            switch verdict {
            case .supported(let pick): supported.append((version, pick))
            case .unsupported: break
            case .refused where version < .tls13 && legacyHelloRead: break
            case .refused, .undecided: return nil
            }
        }
        return supported.sorted { $0.version < $1.version }
    }
}

extension ScanSession {
    // MARK: Fallback SCSV

    /// The versions whose first answers `checkFallbackSCSV(firstAnswers:protocols:)` reads, in
    /// this order (SSLv2 has no place in a fallback).
    static let fallbackVersions: [ProtocolVersion] = [.ssl3, .tls10, .tls11, .tls12, .tls13]

    /// RFC 7507: a hello for the second-highest supported version carrying TLS_FALLBACK_SCSV
    /// must draw an inappropriate_fallback alert from a server that honours it.
    ///
    /// Runs alongside the protocol jobs: when their first answers (`firstAnswers`, SSLv3 to
    /// TLS 1.3) settle which versions are supported and two or more are, the hello goes out at
    /// once, offering the lower version's first pick — on a server with several versions this
    /// check used to be the scan's last connection, after the longest elimination. Otherwise it
    /// waits for the protocol results (`protocols`).
    func checkFallbackSCSV(firstAnswers: [(ProtocolVersion, AsyncStream<FirstAnswerVerdict>)],
                           protocols: AsyncStream<[ProtocolScanResult]>) async -> (Bool?, CheckStatus) {
        var verdicts: [(ProtocolVersion, FirstAnswerVerdict)] = []
        for (version, answers) in firstAnswers {
            var verdict = FirstAnswerVerdict.undecided
            for await v in answers {
                verdict = v
                break
            }
            verdicts.append((version, verdict))
        }
        if let supported = FirstAnswerVerdict.supportedVersions(verdicts), supported.count >= 2 {
            let lower = supported[supported.count - 2]
            return await fallbackExchange(version: lower.version, suites: [lower.firstPick])
        }
        for await all in protocols { return await checkFallbackSCSV(protocols: all) }
        return (nil, .error("protocol scan ended without results"))
    }

    /// The check from the protocol results.
    func checkFallbackSCSV(protocols: [ProtocolScanResult]) async -> (Bool?, CheckStatus) {
        let versions = protocols.filter { $0.version != .ssl2 && $0.supported }.sorted { $0.version < $1.version }
        if let failed = protocols.first(where: { $0.version != .ssl2 && !$0.status.isCompleted }), versions.count < 2 {
            return (nil, .error("protocol scan incomplete: \(failed.status)"))
        }
        guard versions.count >= 2 else { return (nil, .completed) }
        let lower = versions[versions.count - 2]
        return await fallbackExchange(version: lower.version, suites: lower.cipherSuites.map(\.tlsCode))
    }

    /// The downgraded hello at `version`, offering `suites` (accepted at that version) and the SCSV.
    private func fallbackExchange(version: ProtocolVersion, suites: [UInt16]) async -> (Bool?, CheckStatus) {
        let hello = ClientHello.legacy(version: version, cipherSuites: suites, serverName: target.serverNameToSend,
                                       fallbackSCSV: true).recordBytes()
        switch await exchange(hello) {
        case .rejected(.alert(let a)) where a.code == Alert.inappropriateFallback:
            return (true, .completed)
        case .serverHello(let s) where s.serverHello.negotiatedVersion == version.wireValue:
            return (false, .completed)
        case .serverHello(let s):
            return (nil, .error("downgraded hello answered with version 0x\(hex(s.serverHello.negotiatedVersion, digits: 4))"))
        case .sslv2ServerHello:
            return (nil, .error("downgraded hello answered with SSLv2"))
        case .rejected(let r):
            return (nil, .error("downgraded hello refused with \(r), not inappropriate_fallback"))
        case .failed(let f):
            return (nil, .error(f.reason))
        }
    }
}
