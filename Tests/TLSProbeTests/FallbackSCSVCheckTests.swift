import Testing
@testable import TLSWire
@testable import TLSProbe
import TestSupport

/// The fallback SCSV check started from the protocol jobs' first answers.
@Suite("Fallback SCSV check")
struct FallbackSCSVCheckTests {
    static func answer(version: UInt16, suite: UInt16, supportedVersions: UInt16? = nil) -> HelloOutcome {
        let extensions = supportedVersions.map { [HelloExtension(type: ExtensionType.supportedVersions, data: [UInt8($0 >> 8), UInt8($0 & 0xFF)])] } ?? []
        let hello = ServerHello(legacyVersion: version, random: [UInt8](repeating: 1, count: 32), sessionID: [], cipherSuite: suite,
                                compressionMethod: 0, extensions: extensions, isHelloRetryRequest: false)
        return .serverHello(ServerFlightSummary(serverHello: hello))
    }

    @Test func firstAnswerVerdicts() {
        let offered: [UInt16] = [0xC013, 0x002F]
        // Answered at the version with an offered suite: supported, whatever comes later.
        #expect(FirstAnswerVerdict(Self.answer(version: 0x0301, suite: 0xC013), version: .tls10, offered: offered) == .supported(firstPick: 0xC013))
        #expect(FirstAnswerVerdict(Self.answer(version: 0x0303, suite: 0x1301, supportedVersions: 0x0304), version: .tls13, offered: [0x1301])
                == .supported(firstPick: 0x1301))
        // A suite that was not offered ends the job in an error, not "supported".
        #expect(FirstAnswerVerdict(Self.answer(version: 0x0301, suite: 0x0005), version: .tls10, offered: offered) == .undecided)
        // Another version, or protocol_version: unsupported (never retried).
        #expect(FirstAnswerVerdict(Self.answer(version: 0x0302, suite: 0xC013), version: .tls12, offered: offered) == .unsupported)
        #expect(FirstAnswerVerdict(.rejected(.alert(Alert(level: 2, code: Alert.protocolVersion))), version: .ssl3, offered: offered) == .unsupported)
        // Another refusal may be retried in chunks or with a key share; a failure says nothing.
        #expect(FirstAnswerVerdict(.rejected(.alert(Alert(level: 2, code: Alert.handshakeFailure))), version: .tls13, offered: offered) == .refused)
        #expect(FirstAnswerVerdict(.rejected(.closed), version: .tls10, offered: offered) == .refused)
        #expect(FirstAnswerVerdict(.failed(ExchangeFailure(reason: "timed out", transient: true)), version: .tls10, offered: offered) == .undecided)
    }

    static func supported(_ verdicts: [FirstAnswerVerdict]) -> [ProtocolVersion]? {
        FirstAnswerVerdict.supportedVersions(Array(zip(ScanSession.fallbackVersions, verdicts)))?.map(\.version)
    }

    @Test func supportedVersionsFromFirstAnswers() {
        // nginx with TLS 1.0 and 1.1: SSLv3 refused with handshake_failure, TLS 1.2 answered with
        // 1.1, TLS 1.3 refused for its version. TLS 1.0's hello was read, so SSLv3 is not retried.
        #expect(Self.supported([.refused, .supported(firstPick: 0xC013), .supported(firstPick: 0xC013), .unsupported, .unsupported])
                == [.tls10, .tls11])
        #expect(Self.supported([.refused, .unsupported, .unsupported, .supported(firstPick: 0xC02F), .supported(firstPick: 0x1301)])
                == [.tls12, .tls13])
        // No TLS ≤ 1.2 hello read: the refused versions may yet be retried in chunks.
        #expect(Self.supported([.refused, .refused, .refused, .refused, .supported(firstPick: 0x1301)]) == nil)
        // TLS 1.3 refused for another reason is retried with a key share.
        #expect(Self.supported([.unsupported, .unsupported, .unsupported, .supported(firstPick: 0xC02F), .refused]) == nil)
        #expect(Self.supported([.unsupported, .undecided, .unsupported, .supported(firstPick: 0xC02F), .unsupported]) == nil)
    }

    /// Verdict streams that yield `verdicts` (SSLv3 … TLS 1.3) and finish.
    static func firstAnswers(_ verdicts: [FirstAnswerVerdict]) -> [(ProtocolVersion, AsyncStream<FirstAnswerVerdict>)] {
        zip(ScanSession.fallbackVersions, verdicts).map { version, verdict in
            (version, AsyncStream { continuation in
                continuation.yield(verdict)
                continuation.finish()
            })
        }
    }

    static func session(_ peer: LegacySSLPeer) -> ScanSession {
        ScanSession(target: Endpoint(host: peer.host, port: peer.port), options: ScanOptions(timeout: 10, retries: 1, scanDeadline: 60))
    }

    @Test func settledFirstAnswersCheckWithoutProtocolResults() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0xC013, 0x002F], 0x0302: [0xC013]], honourFallbackSCSV: true))
        defer { peer.stop() }
        // The protocol results never come: the check must run from the first answers alone.
        let never = AsyncStream<[ProtocolScanResult]> { $0.finish() }
        let (honoured, status) = await Self.session(peer).checkFallbackSCSV(
            firstAnswers: Self.firstAnswers([.refused, .supported(firstPick: 0xC013), .supported(firstPick: 0xC013), .unsupported, .unsupported]),
            protocols: never)
        #expect(status == .completed)
        #expect(honoured == true)
        #expect(peer.connections == 1)
    }

    @Test func notHonouredFromFirstAnswers() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F], 0x0303: [0x002F]]))
        defer { peer.stop() }
        let never = AsyncStream<[ProtocolScanResult]> { $0.finish() }
        let (honoured, status) = await Self.session(peer).checkFallbackSCSV(
            firstAnswers: Self.firstAnswers([.unsupported, .supported(firstPick: 0x002F), .unsupported, .supported(firstPick: 0x002F), .unsupported]),
            protocols: never)
        #expect(status == .completed)
        #expect(honoured == false)
    }

    @Test func undecidedFirstAnswerWaitsForProtocolResults() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0301: [0x002F], 0x0302: [0x002F]], honourFallbackSCSV: true))
        defer { peer.stop() }
        let session = Self.session(peer)
        let (results, announce) = AsyncStream<[ProtocolScanResult]>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let suite = CipherSuiteRegistry.suite(tls: 0x002F)!
        announce.yield([ProtocolScanResult(version: .tls10, supported: true, cipherSuites: [suite]),
                        ProtocolScanResult(version: .tls11, supported: true, cipherSuites: [suite])])
        announce.finish()
        // SSLv3's first answer is undecided: the check comes from the results, which name TLS 1.0 and 1.1.
        let (honoured, status) = await session.checkFallbackSCSV(
            firstAnswers: Self.firstAnswers([.undecided, .unsupported, .unsupported, .unsupported, .unsupported]),
            protocols: results)
        #expect(status == .completed)
        #expect(honoured == true)
        #expect(peer.connections == 1)
    }

    @Test func oneSupportedVersionMakesNoConnection() async throws {
        let peer = try LegacySSLPeer(.init(suites: [0x0303: [0x002F]], honourFallbackSCSV: true))
        defer { peer.stop() }
        let suite = CipherSuiteRegistry.suite(tls: 0x002F)!
        let results = AsyncStream<[ProtocolScanResult]> {
            $0.yield([ProtocolScanResult(version: .tls12, supported: true, cipherSuites: [suite])])
            $0.finish()
        }
        let (honoured, status) = await Self.session(peer).checkFallbackSCSV(
            firstAnswers: Self.firstAnswers([.unsupported, .unsupported, .unsupported, .supported(firstPick: 0x002F), .unsupported]),
            protocols: results)
        #expect(status == .completed)
        #expect(honoured == nil)
        #expect(peer.connections == 0)
    }
}
