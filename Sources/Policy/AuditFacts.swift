import FoundationEssentials
import Glibc

/// Everything the policy engine may look at, gathered by the audit beforehand.
///
/// The engine is pure: it never reads the firewall, opens a socket or a file. The audit turns what
/// the firewall evaluator, the listener scanner and the TLS prober found into these facts, and a
/// step that failed is recorded as `.unavailable(reason)` so every check that needs it reports
/// `incomplete` — a missing input must never read as a pass.
public struct AuditFacts: Sendable, Codable, Hashable {
    /// Host the audit ran on (for report subjects).
    public var hostname: String
    /// Network namespace audited, nil for the current one.
    public var netns: String?
    /// Firewall answers for the ports the policy asks about.
    public var firewall: Observed<[PortFirewallFacts]>
    /// Listening sockets with their exposure.
    public var listeners: Observed<[ListenerFacts]>
    /// Every probed endpoint (listeners and extra targets).
    public var endpoints: [EndpointFacts]

    public init(hostname: String, netns: String? = nil, firewall: Observed<[PortFirewallFacts]>,
                listeners: Observed<[ListenerFacts]>, endpoints: [EndpointFacts]) {
        self.hostname = hostname
        self.netns = netns
        self.firewall = firewall
        self.listeners = listeners
        self.endpoints = endpoints
    }
}

/// A fact that was either observed or could not be (with the reason).
public enum Observed<Value: Sendable & Codable & Hashable>: Sendable, Codable, Hashable {
    case value(Value)
    case unavailable(String)

    public var value: Value? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var failureReason: String? {
        if case .unavailable(let r) = self { return r }
        return nil
    }
}

/// IP family as the firewall vocabulary names it.
public enum IPFamily: String, Sendable, Codable, CodingKeyRepresentable, Hashable, CaseIterable {
    case ipv4, ipv6
}

/// The firewall's summary verdict for one family (mirrors `FirewallEvaluator.SummaryVerdict`).
public enum FirewallVerdict: String, Sendable, Codable, Hashable {
    case accept, conditional, drop, reject, undetermined
    /// The socket cannot receive this family from another host at all (loopback, v6only …).
    case notExposed
}

/// The firewall's answer for new inbound connections to one port and family.
public struct FamilyFirewallFacts: Sendable, Codable, Hashable {
    public var verdict: FirewallVerdict
    public var acceptedFrom: [String]
    public var interfaces: [String]
    public var deliveredPorts: [UInt16]
    public var reason: String
    /// The deciding rules, rendered ("inet filter input handle 7: tcp dport 443 accept → accept").
    public var trace: [String]

    public init(verdict: FirewallVerdict, acceptedFrom: [String] = [], interfaces: [String] = [],
                deliveredPorts: [UInt16] = [], reason: String = "", trace: [String] = []) {
        self.verdict = verdict
        self.acceptedFrom = acceptedFrom
        self.interfaces = interfaces
        self.deliveredPorts = deliveredPorts
        self.reason = reason
        self.trace = trace
    }

    /// True when some outside source can open a connection.
    public var isOpen: Bool { verdict == .accept || verdict == .conditional }
}

/// Firewall facts for one destination port: one summary per family.
public struct PortFirewallFacts: Sendable, Codable, Hashable {
    public var port: UInt16
    public var transport: Transport
    public var families: [IPFamily: FamilyFirewallFacts]

    public init(port: UInt16, transport: Transport = .tcp, families: [IPFamily: FamilyFirewallFacts]) {
        self.port = port
        self.transport = transport
        self.families = families
    }
}

public enum Transport: String, Sendable, Codable, Hashable {
    case tcp, udp
}

/// How a listener's bound address limits who can reach it.
public enum Binding: String, Sendable, Codable, Hashable {
    case wildcard, loopback, specific
}

/// A process owning a listening socket.
public struct ProcessFacts: Sendable, Codable, Hashable {
    public var pid: Int32
    public var name: String
    public var unit: String?

    public init(pid: Int32, name: String, unit: String? = nil) {
        self.pid = pid
        self.name = name
        self.unit = unit
    }
}

/// A listening socket and how far it is exposed.
public struct ListenerFacts: Sendable, Codable, Hashable {
    public var transport: Transport
    public var address: String
    public var port: UInt16
    public var family: IPFamily
    public var binding: Binding
    public var processes: [ProcessFacts]
    /// Per-family exposure from the firewall join; `.unavailable` when the firewall could not be read.
    public var exposure: Observed<[IPFamily: FamilyFirewallFacts]>

    public init(transport: Transport, address: String, port: UInt16, family: IPFamily, binding: Binding,
                processes: [ProcessFacts], exposure: Observed<[IPFamily: FamilyFirewallFacts]>) {
        self.transport = transport
        self.address = address
        self.port = port
        self.family = family
        self.binding = binding
        self.processes = processes
        self.exposure = exposure
    }

    /// Whether an outside source can reach it: nil when unknown.
    public var isExposed: Bool? {
        if binding == .loopback { return false }
        guard let e = exposure.value else { return nil }
        let open = e.values.contains { $0.isOpen }
        if open { return true }
        if e.values.contains(where: { $0.verdict == .undetermined }) { return nil }
        return false
    }
}

/// What an endpoint turned out to speak.
public enum EndpointKind: String, Sendable, Codable, Hashable {
    case tls
    /// Cleartext HTTP that only redirects to https.
    case httpRedirect = "http-redirect"
    /// Cleartext HTTP serving content.
    case httpContent = "http-content"
    /// Something else (banner class in `EndpointFacts.banner`).
    case other
    /// Could not connect or classify.
    case unreachable
}

/// One endpoint the audit probed.
public struct EndpointFacts: Sendable, Codable, Hashable {
    /// Host as connected to (an address, or a name for extra targets).
    public var host: String
    public var port: UInt16
    /// SNI name sent, if any.
    public var sni: String?
    /// Addresses the subject is known by (listener address, resolved address) for scope matching.
    public var addresses: [String]
    /// Interfaces through which it is exposed (empty = any / unknown).
    public var interfaces: [String]
    /// Owning process names (empty when unknown or an extra target).
    public var processes: [String]
    /// true/false when known from the listener join; nil when unknown (extra targets, firewall unread).
    public var exposed: Bool?
    /// How exposure was decided ("firewall accepts from 0.0.0.0/0", "bound to loopback", …).
    public var exposureNote: String
    /// Classification; `.unavailable` when the probe itself failed.
    public var kind: Observed<EndpointKind>
    /// Banner class for `other` (e.g. "ssh").
    public var banner: String?
    /// For cleartext HTTP: the status and Location.
    public var httpStatus: Int?
    public var httpLocation: String?
    /// TLS facts, present when `kind == .tls`.
    public var tls: TLSFacts?

    public init(host: String, port: UInt16, sni: String? = nil, addresses: [String] = [], interfaces: [String] = [],
                processes: [String] = [], exposed: Bool? = nil, exposureNote: String = "",
                kind: Observed<EndpointKind>, banner: String? = nil, httpStatus: Int? = nil,
                httpLocation: String? = nil, tls: TLSFacts? = nil) {
        self.host = host
        self.port = port
        self.sni = sni
        self.addresses = addresses
        self.interfaces = interfaces
        self.processes = processes
        self.exposed = exposed
        self.exposureNote = exposureNote
        self.kind = kind
        self.banner = banner
        self.httpStatus = httpStatus
        self.httpLocation = httpLocation
        self.tls = tls
    }

    /// `host:port` with IPv6 brackets, the endpoint's name in reports.
    public var displayName: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(h):\(port)" + (sni.map { $0 == host ? "" : " (sni \($0))" } ?? "")
    }
}

/// Protocol versions, in order, with the probe's JSON keys.
public enum TLSVersion: String, Sendable, Codable, CodingKeyRepresentable, Hashable, CaseIterable, Comparable {
    case ssl2, ssl3
    case tls10 = "tls1.0", tls11 = "tls1.1", tls12 = "tls1.2", tls13 = "tls1.3"

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
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
}

/// The certificate as the TLS probe saw it.
public struct CertificateFacts: Sendable, Codable, Hashable {
    public var subject: String?
    public var trusted: Bool
    /// Why validation failed, when it did.
    public var trustError: String?
    public var expired: Bool
    public var notYetValid: Bool
    public var notAfter: String?
    public var daysLeft: Int?
    /// Validity period (notBefore to notAfter) in days.
    public var lifespanDays: Int?
    public var selfSigned: Bool
    public var hostnameMatches: Bool?
    /// "RSA", "EC", "Ed25519", "DSA" …
    public var keyType: String
    public var keyBits: Int
    /// e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "sha1WithRSAEncryption".
    public var signatureAlgorithm: String

    public init(subject: String? = nil, trusted: Bool, trustError: String? = nil, expired: Bool, notYetValid: Bool,
                notAfter: String? = nil, daysLeft: Int?, lifespanDays: Int? = nil, selfSigned: Bool, hostnameMatches: Bool?,
                keyType: String, keyBits: Int, signatureAlgorithm: String) {
        self.subject = subject
        self.trusted = trusted
        self.trustError = trustError
        self.expired = expired
        self.notYetValid = notYetValid
        self.notAfter = notAfter
        self.daysLeft = daysLeft
        self.lifespanDays = lifespanDays
        self.selfSigned = selfSigned
        self.hostnameMatches = hostnameMatches
        self.keyType = keyType
        self.keyBits = keyBits
        self.signatureAlgorithm = signatureAlgorithm
    }
}

/// Strict-Transport-Security as served.
public struct HSTSFacts: Sendable, Codable, Hashable {
    public var maxAge: Int
    public var includeSubDomains: Bool
    public var preload: Bool

    public init(maxAge: Int, includeSubDomains: Bool, preload: Bool) {
        self.maxAge = maxAge
        self.includeSubDomains = includeSubDomains
        self.preload = preload
    }
}

/// HTTP spoken over TLS: `GET /` status and HSTS (nil when the header is absent).
public struct HTTPSFacts: Sendable, Codable, Hashable {
    public var status: Int
    public var hsts: HSTSFacts?

    public init(status: Int, hsts: HSTSFacts?) {
        self.status = status
        self.hsts = hsts
    }
}

/// What the TLS probe established about one endpoint; each part carries its own check status.
public struct TLSFacts: Sendable, Codable, Hashable {
    /// Per version: supported or not. A version missing from a `.value` map was not tested.
    public var protocols: Observed<[TLSVersion: Bool]>
    /// Accepted suites by version (IANA names).
    public var cipherSuites: Observed<[TLSVersion: [String]]>
    /// Supported key-exchange groups (IANA names: x25519, secp256r1, ffdhe2048 …).
    public var groups: Observed<[String]>
    /// Finite-field DH size for DHE suites, nil when no DHE suite.
    public var dhBits: Observed<Int?>
    public var certificate: Observed<CertificateFacts>
    /// ALPN protocols the server selected for our offers.
    public var alpn: Observed<[String]>
    /// HTTP over TLS; `.value(nil)` when the endpoint does not speak HTTP.
    public var http: Observed<HTTPSFacts?>

    public init(protocols: Observed<[TLSVersion: Bool]>, cipherSuites: Observed<[TLSVersion: [String]]>,
                groups: Observed<[String]>, dhBits: Observed<Int?>, certificate: Observed<CertificateFacts>,
                alpn: Observed<[String]>, http: Observed<HTTPSFacts?>) {
        self.protocols = protocols
        self.cipherSuites = cipherSuites
        self.groups = groups
        self.dhBits = dhBits
        self.certificate = certificate
        self.alpn = alpn
        self.http = http
    }
}
