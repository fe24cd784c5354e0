/// A parsed Strict-Transport-Security header (RFC 6797 §6.1).
public struct HSTSPolicy: Sendable, Equatable, Codable {
    public var maxAge: Int
    public var includeSubDomains: Bool
    public var preload: Bool

    public init(maxAge: Int, includeSubDomains: Bool, preload: Bool) {
        self.maxAge = maxAge
        self.includeSubDomains = includeSubDomains
        self.preload = preload
    }
}

/// What the HTTP response said about HSTS.
public enum HSTSFinding: Sendable, Equatable {
    case absent
    case policy(HSTSPolicy)
    /// The header was present but not valid; the reason names the problem.
    case malformed(String)
}
