/// TLS record framing (RFC 8446 §5.1 / RFC 5246 §6.2).
public enum TLSRecord {
    /// Maximum plaintext fragment (2^14).
    public static let maxPlaintext = 16_384
    /// Maximum record body we accept from a peer: 2^14 + 2048 (TLSCiphertext limit of TLS 1.2).
    public static let maxBody = 16_384 + 2_048

    /// Frames `payload` into records of at most 2^14 bytes each.
    public static func frame(contentType: ContentType, version: UInt16, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        repeat {
            let n = min(maxPlaintext, payload.count - offset)
            out.append(contentType.rawValue)
            out.append(UInt8(version >> 8)); out.append(UInt8(version & 0xff))
            out.append(UInt8(n >> 8)); out.append(UInt8(n & 0xff))
            out += payload[offset..<offset + n]
            offset += n
        } while offset < payload.count
        return out
    }
}
