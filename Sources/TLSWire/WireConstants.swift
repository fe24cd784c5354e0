/// Code points of the TLS wire format used by the builders and parsers.

/// TLS record content types (RFC 8446 §5.1).
public enum ContentType: UInt8, Sendable {
    case changeCipherSpec = 20
    case alert = 21
    case handshake = 22
    case applicationData = 23
    case heartbeat = 24
}

/// Handshake message types (RFC 8446 §4, RFC 5246 §7.4).
public enum HandshakeType: UInt8, Sendable {
    case helloRequest = 0
    case clientHello = 1
    case serverHello = 2
    case newSessionTicket = 4
    case endOfEarlyData = 5
    case encryptedExtensions = 8
    case certificate = 11
    case serverKeyExchange = 12
    case certificateRequest = 13
    case serverHelloDone = 14
    case certificateVerify = 15
    case clientKeyExchange = 16
    case finished = 20
    case certificateStatus = 22
    case keyUpdate = 24
    case messageHash = 254
}

/// Extension types (IANA "TLS ExtensionType Values").
public enum ExtensionType {
    public static let serverName: UInt16 = 0
    public static let statusRequest: UInt16 = 5
    public static let supportedGroups: UInt16 = 10
    public static let ecPointFormats: UInt16 = 11
    public static let signatureAlgorithms: UInt16 = 13
    public static let heartbeat: UInt16 = 15
    public static let alpn: UInt16 = 16
    public static let signedCertificateTimestamp: UInt16 = 18
    public static let padding: UInt16 = 21
    public static let encryptThenMAC: UInt16 = 22
    public static let extendedMasterSecret: UInt16 = 23
    public static let sessionTicket: UInt16 = 35
    public static let preSharedKey: UInt16 = 41
    public static let earlyData: UInt16 = 42
    public static let supportedVersions: UInt16 = 43
    public static let cookie: UInt16 = 44
    public static let pskKeyExchangeModes: UInt16 = 45
    public static let keyShare: UInt16 = 51
    public static let renegotiationInfo: UInt16 = 0xFF01
}

/// Signature schemes (RFC 8446 §4.2.3) offered by the hellos.
public enum SignatureScheme {
    public static let rsaPKCS1SHA256: UInt16 = 0x0401
    public static let rsaPKCS1SHA384: UInt16 = 0x0501
    public static let rsaPKCS1SHA512: UInt16 = 0x0601
    public static let ecdsaSecp256r1SHA256: UInt16 = 0x0403
    public static let ecdsaSecp384r1SHA384: UInt16 = 0x0503
    public static let ecdsaSecp521r1SHA512: UInt16 = 0x0603
    public static let rsaPSSRSAESHA256: UInt16 = 0x0804
    public static let rsaPSSRSAESHA384: UInt16 = 0x0805
    public static let rsaPSSRSAESHA512: UInt16 = 0x0806
    public static let ed25519: UInt16 = 0x0807
    public static let ed448: UInt16 = 0x0808
    public static let rsaPSSPSSSHA256: UInt16 = 0x0809
    public static let rsaPSSPSSSHA384: UInt16 = 0x080A
    public static let rsaPSSPSSSHA512: UInt16 = 0x080B
    public static let rsaPKCS1SHA1: UInt16 = 0x0201
    public static let ecdsaSHA1: UInt16 = 0x0203
    public static let dsaSHA1: UInt16 = 0x0202
    public static let dsaSHA256: UInt16 = 0x0402

    /// A broad list so no server refuses the hello for lack of a usable signature scheme
    /// (modern schemes first, then SHA-224/SHA-1/MD5 pairs that old servers may need).
    public static let broad: [UInt16] = [
        ecdsaSecp256r1SHA256, ecdsaSecp384r1SHA384, ecdsaSecp521r1SHA512, ed25519, ed448,
        rsaPSSRSAESHA256, rsaPSSRSAESHA384, rsaPSSRSAESHA512, rsaPSSPSSSHA256, rsaPSSPSSSHA384, rsaPSSPSSSHA512,
        rsaPKCS1SHA256, rsaPKCS1SHA384, rsaPKCS1SHA512, dsaSHA256,
        0x0303, 0x0301, 0x0302, // SHA-224 with ECDSA, RSA, DSA
        ecdsaSHA1, rsaPKCS1SHA1, dsaSHA1,
    ]
}
