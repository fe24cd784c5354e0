/// SSL 2.0 (draft-hickman-netscape-ssl-00): the CLIENT-HELLO a probe sends and the SERVER-HELLO
/// it parses. A SERVER-HELLO lists every cipher kind the server shares with the client, so one
/// connection enumerates all SSLv2 ciphers.
public enum SSLv2 {
    public static let clientHelloType: UInt8 = 1
    public static let serverHelloType: UInt8 = 4
    public static let errorType: UInt8 = 0

    /// A CLIENT-HELLO offering `cipherKinds` (3-byte codes) with a 16-byte challenge, in a
    /// 2-byte-header SSLv2 record.
    public static func clientHello(cipherKinds: [UInt32], challenge: [UInt8] = randomBytes(16)) -> [UInt8] {
        var body = ByteWriter()
        body.u8(clientHelloType)
        body.u16(0x0002)
        body.u16(UInt16(truncatingIfNeeded: cipherKinds.count * 3))
        body.u16(0) // session id length
        body.u16(UInt16(truncatingIfNeeded: challenge.count))
        for k in cipherKinds { body.u24(k) }
        body.append(challenge)
        let n = body.bytes.count
        return [UInt8(0x80 | ((n >> 8) & 0x7f)), UInt8(n & 0xff)] + body.bytes
    }

    /// A parsed SERVER-HELLO.
    public struct ServerHello: Sendable, Equatable {
        public var sessionIDHit: Bool
        public var certificateType: UInt8
        public var version: UInt16
        public var certificate: [UInt8]
        /// Cipher kinds (3-byte codes) the server accepts among those offered.
        public var cipherKinds: [UInt32]
        public var connectionID: [UInt8]
    }

    /// Parses the body of an SSLv2 record (message type first) as a SERVER-HELLO.
    public static func parseServerHello(_ body: [UInt8]) throws(WireParseError) -> ServerHello {
        var r = ByteReader(body, context: "SSLv2 SERVER-HELLO")
        let type = try r.u8()
        guard type == serverHelloType else { throw .unexpected("SSLv2 message type \(type)") }
        let hit = try r.u8()
        let certType = try r.u8()
        let version = try r.u16()
        let certLength = Int(try r.u16())
        let specsLength = Int(try r.u16())
        let connLength = Int(try r.u16())
        guard specsLength % 3 == 0 else { throw .invalid("SSLv2 cipher specs length \(specsLength)") }
        guard connLength >= 16 && connLength <= 32 else { throw .invalid("SSLv2 connection id length \(connLength)") }
        let cert = try r.bytes(certLength)
        var kinds: [UInt32] = []
        for _ in 0..<(specsLength / 3) { kinds.append(try r.u24()) }
        let conn = try r.bytes(connLength)
        return ServerHello(sessionIDHit: hit != 0, certificateType: certType, version: version, certificate: cert,
                           cipherKinds: kinds, connectionID: conn)
    }

    /// SSLv2 ERROR codes.
    public static func errorName(_ code: UInt16) -> String {
        switch code {
        case 1: "NO-CIPHER-ERROR"
        case 2: "NO-CERTIFICATE-ERROR"
        case 4: "BAD-CERTIFICATE-ERROR"
        case 6: "UNSUPPORTED-CERTIFICATE-TYPE-ERROR"
        default: "SSLv2 error \(code)"
        }
    }
}
