/// The SSL/TLS protocol versions a probe distinguishes, with their wire codes and report keys.
public enum ProtocolVersion: String, CaseIterable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case ssl2 = "ssl2"
    case ssl3 = "ssl3"
    case tls10 = "tls1.0"
    case tls11 = "tls1.1"
    case tls12 = "tls1.2"
    case tls13 = "tls1.3"

    /// The 16-bit version on the wire (SSLv2's CLIENT-HELLO carries 0x0002).
    public var wireValue: UInt16 {
        switch self {
        case .ssl2: 0x0002
        case .ssl3: 0x0300
        case .tls10: 0x0301
        case .tls11: 0x0302
        case .tls12: 0x0303
        case .tls13: 0x0304
        }
    }

    /// The version for a wire value (nil for unknown values, e.g. TLS 1.3 drafts 0x7fXX).
    public init?(wireValue: UInt16) {
        guard let version = Self.versions.first(where: { $0.wireValue == wireValue }) else { return nil }
        self = version
    }

    /// `allCases` kept once: the property builds a new array on every use.
    private static let versions = allCases

    /// The key used in reports ("ssl2", "tls1.2", …).
    public var key: String { rawValue }

    /// Human name ("SSLv3", "TLS 1.2").
    public var displayName: String {
        switch self {
        case .ssl2: "SSLv2"
        case .ssl3: "SSLv3"
        case .tls10: "TLS 1.0"
        case .tls11: "TLS 1.1"
        case .tls12: "TLS 1.2"
        case .tls13: "TLS 1.3"
        }
    }

    public var description: String { displayName }

    /// Wire values grow with the version (SSLv2's 0x0002 lowest), so they order the versions
    /// without building `allCases`, an array allocation per comparison on the scanner's hot path.
    public static func < (a: ProtocolVersion, b: ProtocolVersion) -> Bool { a.wireValue < b.wireValue }
}
