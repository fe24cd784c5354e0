import FoundationEssentials
import Glibc

/// The fixed catalogue of checks a rule can name in `check:`. Each kind says what it examines
/// (its subjects) and which `params:` it accepts, so a policy with a misspelt parameter is an
/// error at load time rather than a check that silently does nothing.
public enum CheckKind: String, Sendable, Codable, Hashable, CaseIterable {
    case firewallPortAccepted = "firewall.port-accepted"
    case listenerPresent = "listener.present"
    case listenerLoopbackOnly = "listener.loopback-only"
    case listenerNotExposed = "listener.not-exposed"
    case httpCleartextExposed = "http.cleartext-exposed"
    case tlsRequired = "tls.required"
    case tlsMinVersion = "tls.min-version"
    case tlsVersions = "tls.versions"
    case tlsForbiddenSuites = "tls.forbidden-suites"
    case tlsAllowedSuites = "tls.allowed-suites"
    case tlsGroups = "tls.groups"
    case tlsALPN = "tls.alpn"
    case certTrusted = "cert.trusted"
    case certHostname = "cert.hostname"
    case certExpiry = "cert.expiry"
    case certLifespan = "cert.lifespan"
    case certKey = "cert.key"
    case certSignature = "cert.signature"
    case hstsRequired = "hsts.required"

    /// What a rule of this kind is evaluated against.
    public var subjectKind: SubjectKind {
        switch self {
        case .firewallPortAccepted, .listenerPresent: .port
        case .listenerLoopbackOnly, .listenerNotExposed: .listener
        case .httpCleartextExposed: .cleartextHTTPEndpoint
        case .tlsRequired: .endpoint
        default: .tlsEndpoint
        }
    }

    /// One line for `policy show` and documentation.
    public var summary: String {
        switch self {
        case .firewallPortAccepted: "the firewall accepts new inbound connections to `port`"
        case .listenerPresent: "something listens on `port`"
        case .listenerLoopbackOnly: "listeners in scope are bound to loopback only"
        case .listenerNotExposed: "listeners in scope are not reachable through the firewall"
        case .httpCleartextExposed: "no exposed cleartext HTTP, except (optionally) redirects to https"
        case .tlsRequired: "endpoints in scope speak TLS"
        case .tlsMinVersion: "no protocol version below `min` is accepted"
        case .tlsVersions: "only `allowed` versions are accepted and every `required` one is"
        case .tlsForbiddenSuites: "no accepted suite is in a forbidden `categories` or `names`"
        case .tlsAllowedSuites: "every accepted suite is one of `names`"
        case .tlsGroups: "key-exchange groups are among `allowed`; finite-field DH is at least `minDhBits`"
        case .tlsALPN: "the server negotiates every protocol in `required` (e.g. h2)"
        case .certTrusted: "the certificate chains to a trusted root"
        case .certHostname: "the certificate matches the name the endpoint is reached by"
        case .certExpiry: "the certificate is valid now and for at least `minDays` more days"
        case .certLifespan: "the certificate's validity period (notBefore to notAfter) is at most `maxDays` days"
        case .certKey: "the key type is allowed and RSA/EC keys are large enough"
        case .certSignature: "the certificate signature does not use a forbidden hash (and is `allowed`)"
        case .hstsRequired: "HTTPS responses carry HSTS with at least `minMaxAge` seconds"
        }
    }

    /// Accepted `params:` keys with their type and default.
    public var parameters: [ParameterSpec] {
        switch self {
        case .firewallPortAccepted:
            [.init("port", .port, default: .int(443), "destination port"),
             .init("protocol", .oneOf(["tcp", "udp"]), default: .string("tcp"), "transport protocol"),
             .init("families", .listOf(["ipv4", "ipv6"]), default: .list(["ipv4", "ipv6"]), "families examined"),
             .init("require", .oneOf(["any", "all"]), default: .string("any"), "pass when any / all families accept"),
             .init("allowConditional", .bool, default: .bool(true), "count acceptance from some sources only as accepted")]
        case .listenerPresent:
            [.init("port", .port, default: .int(443), "port"),
             .init("protocol", .oneOf(["tcp", "udp"]), default: .string("tcp"), "transport protocol")]
        case .listenerLoopbackOnly, .listenerNotExposed, .tlsRequired, .certTrusted, .certHostname:
            []
        case .httpCleartextExposed:
            [.init("allowRedirectToHttps", .bool, default: .bool(true), "a cleartext endpoint that only redirects to https passes")]
        case .tlsMinVersion:
            [.init("min", .oneOf(TLSVersion.allCases.map(\.rawValue)), default: .string("tls1.2"), "lowest acceptable version")]
        case .tlsVersions:
            [.init("allowed", .listOf(TLSVersion.allCases.map(\.rawValue)), default: nil, "versions that may be accepted"),
             .init("required", .listOf(TLSVersion.allCases.map(\.rawValue)), default: .list([]), "versions that must be accepted")]
        case .tlsForbiddenSuites:
            [.init("categories", .listOf(SuiteCategory.allCases.map(\.rawValue)), default: .list([]), "suite categories forbidden"),
             .init("names", .stringList, default: .list([]), "IANA suite names forbidden")]
        case .tlsAllowedSuites:
            [.init("names", .stringList, default: nil, "IANA suite names allowed (all versions)")]
        case .tlsGroups:
            [.init("allowed", .stringList, default: nil, "allowed group names (x25519, secp256r1, ffdhe2048 …)"),
             .init("minDhBits", .int, default: .int(0), "minimum finite-field DH size for DHE suites")]
        case .tlsALPN:
            [.init("required", .stringList, default: nil, "ALPN protocols the server must negotiate")]
        case .certExpiry:
            [.init("minDays", .int, default: .int(21), "minimum days before notAfter")]
        case .certLifespan:
            [.init("maxDays", .int, default: .int(398), "longest validity period in days (CA/Browser Forum: 398)")]
        case .certKey:
            [.init("minRsaBits", .int, default: .int(2048), "minimum RSA modulus"),
             .init("minEcBits", .int, default: .int(256), "minimum EC curve size"),
             .init("allowedTypes", .listOf(["rsa", "ec", "ed25519", "ed448", "dsa"]), default: .list(["rsa", "ec", "ed25519", "ed448"]), "allowed key types")]
        case .certSignature:
            [.init("forbidden", .listOf(["md2", "md4", "md5", "sha1"]), default: .list(["md5", "sha1"]), "hashes that must not sign the certificate"),
             .init("allowed", .stringList, default: .list([]), "if not empty, the only signature algorithms accepted (OpenSSL names)")]
        case .hstsRequired:
            [.init("minMaxAge", .int, default: .int(15_552_000), "minimum max-age in seconds"),
             .init("includeSubDomains", .bool, default: .bool(false), "require includeSubDomains"),
             .init("preload", .bool, default: .bool(false), "require preload")]
        }
    }
}

/// What a check examines.
public enum SubjectKind: String, Sendable, Codable, Hashable {
    /// A firewall port question (`params.port`), not an endpoint.
    case port
    /// Each listening socket.
    case listener
    /// Each probed endpoint.
    case endpoint
    /// Each endpoint that speaks TLS.
    case tlsEndpoint
    /// Each endpoint that speaks cleartext HTTP.
    case cleartextHTTPEndpoint
}

/// A parameter value after parsing.
public enum ParamValue: Sendable, Codable, Hashable, CustomStringConvertible {
    case int(Int)
    case bool(Bool)
    case string(String)
    case list([String])

    public var description: String {
        switch self {
        case .int(let i): "\(i)"
        case .bool(let b): "\(b)"
        case .string(let s): s
        case .list(let l): "[" + l.joined(separator: ", ") + "]"
        }
    }
}

/// The type a parameter must have.
public enum ParamType: Sendable, Hashable {
    case int
    case port
    case bool
    case stringList
    case oneOf([String])
    case listOf([String])

    public var expectation: String {
        switch self {
        case .int: "an integer"
        case .port: "a port number (1-65535)"
        case .bool: "true or false"
        case .stringList: "a list of strings"
        case .oneOf(let v): "one of " + v.joined(separator: ", ")
        case .listOf(let v): "a list of " + v.joined(separator: ", ")
        }
    }
}

public struct ParameterSpec: Sendable, Hashable {
    public var name: String
    public var type: ParamType
    /// nil = required.
    public var defaultValue: ParamValue?
    public var help: String

    public init(_ name: String, _ type: ParamType, default defaultValue: ParamValue?, _ help: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A rule's parameters, validated against its kind and completed with defaults.
public struct CheckParams: Sendable, Codable, Hashable {
    public var values: [String: ParamValue]

    public init(_ values: [String: ParamValue] = [:]) { self.values = values }

    public func int(_ key: String) -> Int {
        if case .int(let i) = values[key] { return i }
        return 0
    }

    public func bool(_ key: String) -> Bool {
        if case .bool(let b) = values[key] { return b }
        return false
    }

    public func string(_ key: String) -> String {
        if case .string(let s) = values[key] { return s }
        return ""
    }

    public func list(_ key: String) -> [String] {
        if case .list(let l) = values[key] { return l }
        return []
    }
}
