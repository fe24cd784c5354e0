import Testing
import TestSupport
import Foundation
@testable import TLSWire

/// Deterministic mutation fuzzing of the record reader and the message parsers over real server
/// flights: fixed seeds, so a failure reproduces exactly. The properties: nothing traps (a trap
/// kills the test process), every outcome is a value or a typed `WireParseError`, and results
/// stay bounded by the input and the reader's limits.
@Suite("Flight fuzzing")
struct FlightFuzzTests {
    static func mutate(_ input: [UInt8], _ g: inout SplitMix64, corpus: [[UInt8]]) -> [UInt8] {
        var b = input
        let rounds = Int.random(in: 1...4, using: &g)
        for _ in 0..<rounds {
            if b.isEmpty { b = [22] }
            let i = Int.random(in: 0..<b.count, using: &g)
            switch Int.random(in: 0..<9, using: &g) {
            case 0: b[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &g)
            case 1: b[i] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x16, 0x15, 0x03][Int.random(in: 0..<8, using: &g)]
            case 2: // tamper with a 16- or 24-bit length field
                let v = [0x0000, 0xFFFF, 0x4001, 0x3FFF, Int.random(in: 0...0xFFFF, using: &g)][Int.random(in: 0..<5, using: &g)]
                if i + 1 < b.count { b[i] = UInt8(v >> 8); b[i + 1] = UInt8(v & 0xFF) }
                if i + 2 < b.count && Bool.random(using: &g) { b[i + 2] = UInt8.random(in: 0...255, using: &g) }
            case 3: b = Array(b.prefix(i))
            case 4: b.insert(contentsOf: (0..<Int.random(in: 1...32, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }, at: i)
            case 5: b.removeSubrange(i..<min(b.count, i + Int.random(in: 1...64, using: &g)))
            case 6: let j = Int.random(in: i..<b.count, using: &g); b.insert(contentsOf: b[i...j].prefix(256), at: j)
            case 7: let other = corpus[Int.random(in: 0..<corpus.count, using: &g)]; b = Array(b.prefix(i)) + other.suffix(from: Int.random(in: 0..<max(1, other.count), using: &g))
            default: b[i] = UInt8.random(in: 0...255, using: &g)
            }
        }
        return b
    }

    /// Runs the reader and every parser over `input`; checks the bounds.
    static func exercise(_ input: [UInt8], chunk: Int) {
        let limits = ServerFlightReader.Limits(maxFlightBytes: 64 * 1024, maxHandshakeMessage: 32 * 1024)
        var reader = ServerFlightReader(limits: limits)
        var messages = 0
        var offset = 0
        feeding: while offset < input.count {
            let end = min(input.count, offset + chunk)
            do {
                try reader.append(Array(input[offset..<end]))
                offset = end
                while let m = try reader.next() {
                    messages += 1
                    #expect(messages <= input.count, "more messages than bytes")
                    check(m, limits: limits)
                }
            } catch {
                break feeding
            }
        }
        #expect(reader.totalBytes <= input.count)
        #expect(reader.pendingBytes <= input.count)
        // The parsers also see raw slices directly (as if a record had carried them).
        _ = try? ServerHello.parse(input)
        _ = try? CertificateMessage.parse(input)
        _ = try? SSLv2.parseServerHello(input)
        _ = try? Alert.parse(input)
        for kx in [KeyExchange.dhe, .ecdhe, .dhePSK, .ecdhePSK, .rsa, .psk] { _ = try? ServerKeyExchangeInfo.parse(input, keyExchange: kx) }
    }

    static func check(_ m: ServerFlightReader.Message, limits: ServerFlightReader.Limits) {
        switch m {
        case .handshake(let type, let body):
            #expect(body.count <= limits.maxHandshakeMessage)
            switch type {
            case 2:
                if let sh = try? ServerHello.parse(body) {
                    #expect(sh.random.count == 32 && sh.sessionID.count <= 32 && sh.extensions.count <= 64)
                    _ = sh.negotiatedVersion; _ = sh.keyShareGroup; _ = sh.alpnProtocol; _ = sh.hasRenegotiationInfo
                }
            case 11:
                if let c = try? CertificateMessage.parse(body) {
                    #expect(c.certificates.count <= CertificateMessage.maxCertificates)
                    #expect(c.sizes.reduce(0, +) <= body.count)
                }
            case 12:
                for kx in [KeyExchange.dhe, .ecdhe, .dhePSK, .ecdhePSK, .rsa] {
                    if case .dh(let bits, _)? = try? ServerKeyExchangeInfo.parse(body, keyExchange: kx) { #expect(bits <= body.count * 8) }
                }
            default: break
            }
        case .sslv2ServerHello(let sh):
            #expect(sh.cipherKinds.count <= 0x7FFF / 3 && sh.connectionID.count <= 32)
        case .opaque(_, let length):
            #expect(length <= TLSRecord.maxBody)
        case .alert, .changeCipherSpec, .sslv2Error:
            break
        }
    }

    /// Runs CPU-bound work on a thread of its own: on the 2-core CI machine, long synchronous
    /// loops on Swift's cooperative pool would stall the async end-to-end tests running beside.
    static func offPool(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread { work(); c.resume() }.start()
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func mutatedServerFlights(seed: UInt64) async {
        await Self.offPool {
            var g = SplitMix64(state: seed &* 0x1234_5678_9ABC_DEF1)
            let corpus = ServerFlights.all.map(\.bytes)
            for _ in 0..<2_500 {
                let base = corpus[Int.random(in: 0..<corpus.count, using: &g)]
                let input = Self.mutate(base, &g, corpus: corpus)
                Self.exercise(input, chunk: [1, 7, 100, 5000, 1 << 20][Int.random(in: 0..<5, using: &g)])
            }
        }
    }

    @Test func randomBytes() async {
        await Self.offPool {
            var g = SplitMix64(state: 99)
            for _ in 0..<3_000 {
                let n = Int.random(in: 0...600, using: &g)
                var input = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
                if !input.isEmpty && Bool.random(using: &g) { input[0] = [22, 21, 20, 23, 0x80][Int.random(in: 0..<5, using: &g)] }
                Self.exercise(input, chunk: Int.random(in: 1...64, using: &g))
            }
        }
    }
}
