import Foundation
import CNetfilter

/// A minimal SSLv2 / SSLv3 / TLS ≤ 1.2 server that answers hellos well enough for detection —
/// Debian's OpenSSL cannot serve SSLv2, SSLv3, RC4, 3DES or export suites any more.
///
/// - An SSLv2 CLIENT-HELLO gets a SERVER-HELLO listing the configured cipher kinds the client
///   offered (or an SSLv2 ERROR when none), when `sslv2CipherKinds` is set.
/// - A ClientHello for a configured version gets ServerHello (the first configured suite the
///   client offered: server order), Certificate (one dummy blob), ServerKeyExchange for
///   DHE (a `dhBits` prime) and ECDHE (secp256r1) suites, ServerHelloDone. A hello for a higher
///   version than configured is answered with the highest configured version (as real servers
///   do); a lower one with a protocol_version alert; no common suite with handshake_failure.
/// - With `renegotiationInfo`, the ServerHello carries an empty renegotiation_info when the
///   client signalled RFC 5746 (extension or SCSV).
/// Nothing after the first flight is implemented: the peer reads until the client closes.
public final class LegacySSLPeer: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// SSLv2 cipher kinds (3-byte codes) in server order; nil: SSLv2 not spoken (close).
        public var sslv2CipherKinds: [UInt32]?
        /// Versions (0x0300…0x0303) → suites in server order.
        public var suites: [UInt16: [UInt16]]
        /// Prime size of the DH group sent for DHE suites.
        public var dhBits: Int
        public var renegotiationInfo: Bool
        /// ECDHE curves in server order (the first one the client offers is used).
        public var groups: [UInt16]
        /// Choose DEFLATE (method 1) when the client offers it.
        public var deflate: Bool
        /// Alert sent for a hello below the lowest configured version (70 protocol_version; some
        /// servers send 80 internal_error or 40 handshake_failure instead).
        public var lowVersionAlert: UInt8
        /// Close without a word on hellos offering more suites than this (servers that choke on long lists).
        public var chokeAboveSuites: Int?
        /// Never answer the first N connections.
        public var silentFirstConnections: Int
        /// Answer TLS_FALLBACK_SCSV from a client below the highest version with inappropriate_fallback.
        public var honourFallbackSCSV: Bool

        public init(sslv2CipherKinds: [UInt32]? = nil, suites: [UInt16: [UInt16]] = [:], dhBits: Int = 1024,
                    renegotiationInfo: Bool = false, honourFallbackSCSV: Bool = false, groups: [UInt16] = [23],
                    chokeAboveSuites: Int? = nil, silentFirstConnections: Int = 0, lowVersionAlert: UInt8 = 70, deflate: Bool = false) {
            self.deflate = deflate
            self.lowVersionAlert = lowVersionAlert
            self.groups = groups
            self.chokeAboveSuites = chokeAboveSuites
            self.silentFirstConnections = silentFirstConnections
            self.sslv2CipherKinds = sslv2CipherKinds
            self.suites = suites
            self.dhBits = dhBits
            self.renegotiationInfo = renegotiationInfo
            self.honourFallbackSCSV = honourFallbackSCSV
        }
    }

    public let configuration: Configuration
    private let listener: WireLoopbackListener
    public var port: UInt16 { listener.port }
    public var host: String { listener.host }
    public var connections: Int { listener.accepted }
    public var maxConcurrentConnections: Int { listener.maxConcurrent }

    public init(_ configuration: Configuration, host: String = "127.0.0.1") throws {
        self.configuration = configuration
        listener = try WireLoopbackListener(host: host) { fd, index, isStopped in
            if index <= configuration.silentFirstConnections {
                // Swallow the hello and never answer: the client must time out and retry.
                while !isStopped() && !WireLoopbackListener.read(fd).isEmpty {}
                return
            }
            LegacySSLPeer.serve(fd, configuration)
        }
    }

    public func stop() { listener.stop() }

    // MARK: - Serving one connection

    static func serve(_ fd: Int32, _ config: Configuration) {
        let hello = WireLoopbackListener.readUntil(fd) { completeRecord($0) != nil }
        guard let (isSSLv2, body) = completeRecord(hello) else { return }
        if isSSLv2 {
            // A server without SSLv2 closes on an SSLv2 hello.
            guard config.sslv2CipherKinds != nil else { return }
            answerSSLv2(fd, body, config)
        } else {
            guard answerTLS(fd, body, config) else { return }
        }
        // Wait for the client to go away (bounded by the listener's receive timeout).
        _ = WireLoopbackListener.read(fd)
    }

    /// (isSSLv2, body) of the first complete record, or nil.
    static func completeRecord(_ b: [UInt8]) -> (Bool, [UInt8])? {
        guard b.count >= 2 else { return nil }
        if b[0] & 0x80 != 0 {
            let n = Int(b[0] & 0x7f) << 8 | Int(b[1])
            guard b.count >= 2 + n else { return nil }
            return (true, Array(b[2..<2 + n]))
        }
        guard b.count >= 5 else { return nil }
        let n = Int(b[3]) << 8 | Int(b[4])
        guard b.count >= 5 + n else { return nil }
        return (false, Array(b[5..<5 + n]))
    }

    static func answerSSLv2(_ fd: Int32, _ body: [UInt8], _ config: Configuration) {
        guard let kinds = config.sslv2CipherKinds, body.count >= 9, body[0] == 1 else { return }
        let specsLength = Int(body[3]) << 8 | Int(body[4])
        let sidLength = Int(body[5]) << 8 | Int(body[6])
        guard body.count >= 9 + specsLength + sidLength else { return }
        var offered: Set<UInt32> = []
        var i = 9
        while i + 3 <= 9 + specsLength {
            offered.insert(UInt32(body[i]) << 16 | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]))
            i += 3
        }
        let common = kinds.filter { offered.contains($0) }
        if common.isEmpty {
            WireLoopbackListener.write(fd, [0x80, 3, 0, 0, 1]) // ERROR NO-CIPHER
            return
        }
        let cert = dummyCertificate
        var m: [UInt8] = [4, 0, 1, 0, 2]
        m += be16(cert.count) + be16(common.count * 3) + be16(16)
        m += cert
        for k in common { m += [UInt8(k >> 16 & 0xff), UInt8(k >> 8 & 0xff), UInt8(k & 0xff)] }
        m += [UInt8](repeating: 0x42, count: 16)
        WireLoopbackListener.write(fd, [UInt8(0x80 | (m.count >> 8)), UInt8(m.count & 0xff)] + m)
    }

    /// Writes the answer to a TLS ClientHello; false when the peer just closes instead.
    @discardableResult
    static func answerTLS(_ fd: Int32, _ record: [UInt8], _ config: Configuration) -> Bool {
        // ClientHello: type(1) len(3) version(2) random(32) sid(1+n) suites(2+n) comp(1+n) [exts(2+n)]
        guard record.count >= 4 + 2 + 32 + 1, record[0] == 1 else { return false }
        var p = 4
        let clientVersion = UInt16(record[p]) << 8 | UInt16(record[p + 1]); p += 2 + 32
        guard p < record.count else { return false }
        p += 1 + Int(record[p])
        guard p + 2 <= record.count else { return false }
        let suitesLength = Int(record[p]) << 8 | Int(record[p + 1]); p += 2
        guard p + suitesLength <= record.count else { return false }
        var offered: [UInt16] = []
        for j in stride(from: p, to: p + suitesLength - 1, by: 2) { offered.append(UInt16(record[j]) << 8 | UInt16(record[j + 1])) }
        p += suitesLength
        if let limit = config.chokeAboveSuites, offered.count > limit { return false }
        guard p < record.count else { return false }
        let compressionMethods = Array(record[min(record.count, p + 1)..<min(record.count, p + 1 + Int(record[p]))])
        p += 1 + Int(record[p])
        var clientRenegotiation = offered.contains(0x00FF)
        var clientGroups: [UInt16] = []
        if p + 2 <= record.count {
            let extLength = Int(record[p]) << 8 | Int(record[p + 1]); p += 2
            let end = min(record.count, p + extLength)
            while p + 4 <= end {
                let type = UInt16(record[p]) << 8 | UInt16(record[p + 1])
                let n = Int(record[p + 2]) << 8 | Int(record[p + 3])
                if type == 0xFF01 { clientRenegotiation = true }
                if type == 10 && p + 6 <= end {
                    let listLength = Int(record[p + 4]) << 8 | Int(record[p + 5])
                    var q = p + 6
                    while q + 2 <= min(end, p + 6 + listLength) {
                        clientGroups.append(UInt16(record[q]) << 8 | UInt16(record[q + 1]))
                        q += 2
                    }
                }
                p += 4 + n
            }
        }
        let versions = config.suites.keys.sorted()
        guard let highest = versions.last, let lowest = versions.first else { return false }
        let recordVersion = min(clientVersion, 0x0301)
        guard clientVersion >= lowest else {
            return WireLoopbackListener.write(fd, alert(config.lowVersionAlert, version: recordVersion))
        }
        let version = versions.last { $0 <= clientVersion } ?? highest
        if config.honourFallbackSCSV && offered.contains(0x5600) && clientVersion < highest {
            return WireLoopbackListener.write(fd, alert(86, version: version))
        }
        let curve = config.groups.first { clientGroups.contains($0) }
        let usable = config.suites[version]!.filter { offered.contains($0) && (keyExchangeKind($0) != "ecdhe" || curve != nil) }
        guard let suite = usable.first else {
            return WireLoopbackListener.write(fd, alert(40, version: version))
        }
        var sh: [UInt8] = be16(Int(version)) + [UInt8](repeating: 0x5A, count: 32) + [0] + be16(Int(suite))
            + [config.deflate && compressionMethods.contains(1) ? 1 : 0]
        if config.renegotiationInfo && clientRenegotiation {
            sh += be16(5) + [0xFF, 0x01, 0x00, 0x01, 0x00]
        }
        var flight = handshake(2, sh)
        let cert = dummyCertificate
        flight += handshake(11, be24(cert.count + 3) + be24(cert.count) + cert)
        if let kx = keyExchangeKind(suite) {
            var ske: [UInt8]
            if kx == "dhe" {
                var prime = [UInt8](repeating: 0xC3, count: config.dhBits / 8)
                prime[0] = 0xFF
                ske = be16(prime.count) + prime + be16(1) + [2] + be16(prime.count) + [UInt8](repeating: 0x11, count: prime.count)
            } else {
                ske = [3] + be16(Int(curve ?? 23)) + [65, 4] + [UInt8](repeating: 0x22, count: 64)
            }
            if version >= 0x0303 { ske += [0x04, 0x01] }
            ske += be16(64) + [UInt8](repeating: 0x33, count: 64)
            flight += handshake(12, ske)
        }
        flight += handshake(14, [])
        return WireLoopbackListener.write(fd, record22(flight, version: version))
    }

    /// "dhe"/"ecdhe" for the suites the peer is used with (names from the IANA pattern).
    static func keyExchangeKind(_ suite: UInt16) -> String? {
        let dhe: Set<UInt16> = [0x0011, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0032, 0x0033, 0x0038, 0x0039, 0x0040, 0x0045,
                                0x0063, 0x0065, 0x0066, 0x0067, 0x006A, 0x006B, 0x0088, 0x009E, 0x009F]
        let ecdhe: Set<UInt16> = [0xC007, 0xC008, 0xC009, 0xC00A, 0xC011, 0xC012, 0xC013, 0xC014, 0xC023, 0xC024, 0xC027, 0xC028, 0xC02B, 0xC02C, 0xC02F, 0xC030]
        if dhe.contains(suite) { return "dhe" }
        if ecdhe.contains(suite) { return "ecdhe" }
        return nil
    }

    static let dummyCertificate: [UInt8] = [0x30, 0x82, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04]

    static func be16(_ n: Int) -> [UInt8] { [UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    static func be24(_ n: Int) -> [UInt8] { [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
    static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { [type] + be24(body.count) + body }
    static func record22(_ payload: [UInt8], version: UInt16) -> [UInt8] { [22] + be16(Int(version)) + be16(payload.count) + payload }
    static func alert(_ code: UInt8, version: UInt16) -> [UInt8] { [21] + be16(Int(version)) + be16(2) + [2, code] }
}
