/// A TLS alert (RFC 8446 §6): level and description.
public struct Alert: Sendable, Equatable, CustomStringConvertible {
    public var level: UInt8
    public var code: UInt8

    public init(level: UInt8, code: UInt8) {
        self.level = level
        self.code = code
    }

    /// Parses the 2-byte alert body (longer bodies: the first two bytes, as OpenSSL does).
    public static func parse(_ body: [UInt8]) throws(WireParseError) -> Alert {
        var r = ByteReader(body, context: "alert")
        return Alert(level: try r.u8(), code: try r.u8())
    }

    public var isFatal: Bool { level == 2 }
    public var name: String { Alert.name(code) }
    public var description: String { "\(isFatal ? "fatal" : "warning") alert \(name) (\(code))" }

    public static let closeNotify: UInt8 = 0
    public static let unexpectedMessage: UInt8 = 10
    public static let handshakeFailure: UInt8 = 40
    public static let illegalParameter: UInt8 = 47
    public static let decodeError: UInt8 = 50
    public static let protocolVersion: UInt8 = 70
    public static let insufficientSecurity: UInt8 = 71
    public static let internalError: UInt8 = 80
    public static let inappropriateFallback: UInt8 = 86
    public static let unrecognizedName: UInt8 = 112
    public static let noApplicationProtocol: UInt8 = 120

    /// RFC names of alert descriptions.
    public static func name(_ d: UInt8) -> String {
        switch d {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 21: "decryption_failed"
        case 22: "record_overflow"
        case 30: "decompression_failure"
        case 40: "handshake_failure"
        case 41: "no_certificate"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 60: "export_restriction"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 100: "no_renegotiation"
        case 109: "missing_extension"
        case 110: "unsupported_extension"
        case 111: "certificate_unobtainable"
        case 112: "unrecognized_name"
        case 113: "bad_certificate_status_response"
        case 114: "bad_certificate_hash_value"
        case 115: "unknown_psk_identity"
        case 116: "certificate_required"
        case 120: "no_application_protocol"
        default: "alert_\(d)"
        }
    }
}
