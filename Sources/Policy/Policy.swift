import FoundationEssentials
import Glibc

/// How bad a finding is. Ordered: `info < low < medium < high < critical`.
public enum Severity: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where something was written in a policy file (1-based line and column).
public struct SourceLocation: Sendable, Codable, Hashable, CustomStringConvertible {
    /// File path, or `builtin:NAME` for an embedded policy.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The header of a policy: who wrote it and what it is based on.
public struct PolicyMetadata: Sendable, Codable, Hashable {
    public var name: String
    public var description: String
    /// Citation: the document or URL(s) the rules come from.
    public var source: [String]
    /// Policies this one extends (built-in names or file paths), applied first, in order.
    public var extends: [String]

    public init(name: String, description: String = "", source: [String] = [], extends: [String] = []) {
        self.name = name
        self.description = description
        self.source = source
        self.extends = extends
    }
}

/// Which subjects a rule or waiver applies to. Every dimension given must match (AND); within a
/// dimension any value may match (OR). An empty scope matches everything.
public struct Scope: Sendable, Codable, Hashable {
    /// Ports and ranges ("443", "8000-8999").
    public var ports: [ScopePortRange]
    /// Addresses or CIDR prefixes ("10.0.0.0/8", "::1").
    public var addresses: [CIDR]
    /// Host names ("example.com", "*.example.com").
    public var hosts: [String]
    /// Inbound interfaces ("eth0", "wg*").
    public var interfaces: [String]
    /// Process command names ("nginx").
    public var processes: [String]
    /// Only subjects that are (true) or are not (false) exposed through the firewall.
    public var exposed: Bool?

    public init(ports: [ScopePortRange] = [], addresses: [CIDR] = [], hosts: [String] = [], interfaces: [String] = [],
                processes: [String] = [], exposed: Bool? = nil) {
        self.ports = ports
        self.addresses = addresses
        self.hosts = hosts
        self.interfaces = interfaces
        self.processes = processes
        self.exposed = exposed
    }

    public var isEmpty: Bool {
        ports.isEmpty && addresses.isEmpty && hosts.isEmpty && interfaces.isEmpty && processes.isEmpty && exposed == nil
    }
}

/// An inclusive port range; a single port has `lower == upper`.
public struct ScopePortRange: Sendable, Codable, Hashable, CustomStringConvertible {
    public var lower: UInt16
    public var upper: UInt16

    public init(_ lower: UInt16, _ upper: UInt16? = nil) {
        self.lower = lower
        self.upper = upper ?? lower
    }

    public func contains(_ port: UInt16) -> Bool { port >= lower && port <= upper }
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}

/// One rule of a policy, after parsing.
public struct PolicyRule: Sendable, Codable, Hashable {
    /// Stable identifier, used by waivers, `extends` overrides, SARIF and JUnit.
    public var id: String
    public var title: String
    public var severity: Severity
    public var check: CheckKind
    public var scope: Scope
    public var params: CheckParams
    public var remediation: String
    /// Why the rule exists (shown as SARIF help).
    public var description: String
    /// A child policy may switch an inherited rule off.
    public var enabled: Bool
    /// Where the rule was defined (policy file or builtin), for SARIF locations and messages.
    public var location: SourceLocation

    public init(id: String, title: String, severity: Severity, check: CheckKind, scope: Scope = Scope(),
                params: CheckParams, remediation: String, description: String = "", enabled: Bool = true,
                location: SourceLocation) {
        self.id = id
        self.title = title
        self.severity = severity
        self.check = check
        self.scope = scope
        self.params = params
        self.remediation = remediation
        self.description = description
        self.enabled = enabled
        self.location = location
    }
}

/// A deliberate, time-limited exception to a rule for some subjects.
public struct Waiver: Sendable, Codable, Hashable {
    /// The rule waived.
    public var rule: String
    public var scope: Scope
    public var reason: String
    /// Last day (UTC, inclusive) the waiver applies; it stops applying the day after.
    public var expires: DateOnly
    public var location: SourceLocation

    public init(rule: String, scope: Scope = Scope(), reason: String, expires: DateOnly, location: SourceLocation) {
        self.rule = rule
        self.scope = scope
        self.reason = reason
        self.expires = expires
        self.location = location
    }

    /// Waivers are valid through the whole of their expiry day (UTC).
    public func isExpired(at now: Date) -> Bool { DateOnly(now) > expires }
}

/// A calendar date (UTC), as written in waivers: `2026-12-31`.
public struct DateOnly: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        guard d <= Self.daysInMonth(year: y, month: m) else { return nil }
        year = y; month = m; day = d
    }

    /// The UTC calendar day of `date` (proleptic Gregorian, Howard Hinnant's days-to-civil), so
    /// no calendar or time-zone database is needed.
    public init(_ date: Date) {
        let days: Int = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let z: Int = days + 719_468
        let era: Int = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra: Int = z - era * 146_097
        let a: Int = dayOfEra - dayOfEra / 1_460
        let b: Int = a + dayOfEra / 36_524
        let yearOfEra: Int = (b - dayOfEra / 146_096) / 365
        let leapDays: Int = yearOfEra / 4 - yearOfEra / 100
        let dayOfYear: Int = dayOfEra - (365 * yearOfEra + leapDays)
        let mp: Int = (5 * dayOfYear + 2) / 153
        let m: Int = mp < 10 ? mp + 3 : mp - 9
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = m
        year = yearOfEra + era * 400 + (m <= 2 ? 1 : 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        if month == 2 {
            let leap: Bool = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        }
        return [4, 6, 9, 11].contains(month) ? 30 : 31
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public var description: String {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let v = DateOnly(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(s)"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// An endpoint to probe besides the discovered listeners (e.g. a name-based virtual host).
public struct AuditTarget: Sendable, Codable, Hashable {
    public var host: String
    public var port: UInt16
    /// Server name to send and to match the certificate against.
    public var sni: String?

    public init(host: String, port: UInt16, sni: String? = nil) {
        self.host = host
        self.port = port
        self.sni = sni
    }

    /// Parses `HOST:PORT` or `[V6]:PORT`.
    public init?(parsing text: String, sni: String? = nil) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        host = host.drop(while: { $0 == " " })
        guard !host.isEmpty, !host.contains(" "), let port = UInt16(portText), port > 0 else { return nil }
        self.init(host: String(host), port: port, sni: sni)
    }
}

/// A parsed policy with its `extends` already resolved: the effective rules and waivers.
public struct ResolvedPolicy: Sendable, Codable, Hashable {
    public var metadata: PolicyMetadata
    /// Effective rules in definition order (inherited first), including disabled ones.
    public var rules: [PolicyRule]
    public var waivers: [Waiver]
    /// Extra endpoints to probe (`targets:`), inherited ones first.
    public var targets: [AuditTarget] = []
    /// The file (or `builtin:NAME`) this policy came from.
    public var origin: String
    /// The files of the whole `extends` chain, in application order (for citations).
    public var chain: [String]

    public init(metadata: PolicyMetadata, rules: [PolicyRule], waivers: [Waiver], origin: String, chain: [String] = []) {
        self.metadata = metadata
        self.rules = rules
        self.waivers = waivers
        self.origin = origin
        self.chain = chain
    }

    public var enabledRules: [PolicyRule] { rules.filter(\.enabled) }
}
