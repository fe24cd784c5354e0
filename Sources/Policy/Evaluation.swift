import FoundationEssentials
import Glibc

/// The outcome of one rule for one subject, or of one rule overall.
public enum ResultStatus: String, Sendable, Codable, Hashable, CaseIterable {
    case pass
    case fail
    /// The check could not run (its input is missing or errored): never a pass.
    case incomplete
    /// A failure covered by a valid waiver.
    case waived
    /// Nothing in scope to examine.
    case notApplicable = "not-applicable"
}

/// What a result is about: an endpoint, a listener, or a firewall port question.
public struct Subject: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable { case endpoint, listener, port, policy }
    public var kind: Kind
    /// Short human name ("10.0.0.1:443", "tcp 0.0.0.0:22 (sshd)", "tcp/443").
    public var name: String
    /// A stable URI for machine reports ("host://10.0.0.1:443", "listener://tcp/0.0.0.0:22", "firewall://tcp/443").
    public var uri: String
    public var ports: [UInt16]
    public var addresses: [String]
    public var hosts: [String]
    public var interfaces: [String]
    public var processes: [String]
    public var exposed: Bool?

    public init(kind: Kind, name: String, uri: String, ports: [UInt16] = [], addresses: [String] = [], hosts: [String] = [],
                interfaces: [String] = [], processes: [String] = [], exposed: Bool? = nil) {
        self.kind = kind
        self.name = name
        self.uri = uri
        self.ports = ports
        self.addresses = addresses
        self.hosts = hosts
        self.interfaces = interfaces
        self.processes = processes
        self.exposed = exposed
    }
}

/// Identifies the waiver that covered a failure.
public struct WaiverReference: Sendable, Codable, Hashable {
    public var rule: String
    public var reason: String
    public var expires: DateOnly
    public var location: SourceLocation
}

/// One rule evaluated against one subject.
public struct CheckResult: Sendable, Codable, Hashable {
    public var ruleID: String
    public var subject: Subject
    public var status: ResultStatus
    /// One line: what was found.
    public var message: String
    /// Supporting facts (firewall trace, handshake facts …).
    public var evidence: [String]
    public var waivedBy: WaiverReference?

    public init(ruleID: String, subject: Subject, status: ResultStatus, message: String, evidence: [String], waivedBy: WaiverReference? = nil) {
        self.ruleID = ruleID
        self.subject = subject
        self.status = status
        self.message = message
        self.evidence = evidence
        self.waivedBy = waivedBy
    }
}

/// A problem to act on: a failed (possibly waived) check, or an expired waiver.
public struct Finding: Sendable, Codable, Hashable {
    public var ruleID: String
    public var severity: Severity
    public var title: String
    public var subject: Subject
    public var message: String
    public var evidence: [String]
    public var remediation: String
    /// Set when a valid waiver covers it; waived findings do not count toward `--fail-on`.
    public var waivedBy: WaiverReference?
    /// Where the rule (or waiver) is defined.
    public var location: SourceLocation
}

extension PolicyRule {
    /// The check's name for reports; the synthetic expired-waiver rule reports as `policy.waiver`.
    public var checkName: String { id == Evaluation.expiredWaiverRuleID ? "policy.waiver" : check.rawValue }
}

/// A rule with its per-subject results and overall status (fail > incomplete > waived > pass > n/a).
public struct RuleOutcome: Sendable, Codable, Hashable {
    public var rule: PolicyRule
    public var status: ResultStatus
    public var results: [CheckResult]
}

/// Everything the engine concluded.
public struct Evaluation: Sendable, Codable, Hashable {
    public var policyName: String
    public var policyOrigin: String
    public var policySources: [String]
    public var evaluatedAt: Date
    public var rules: [RuleOutcome]
    public var findings: [Finding]

    /// Rule id of the synthetic rule that reports expired waivers.
    public static let expiredWaiverRuleID = "portcullis.waiver-expired"

    /// Unwaived findings at or above `severity`.
    public func failingFindings(atOrAbove severity: Severity) -> [Finding] {
        findings.filter { $0.waivedBy == nil && $0.severity >= severity }
    }

    /// Results that could not be decided.
    public var incompleteResults: [CheckResult] {
        rules.flatMap(\.results).filter { $0.status == .incomplete }
    }

    public func count(_ status: ResultStatus) -> Int {
        rules.reduce(0) { $0 + $1.results.filter { $0.status == status }.count }
    }
}
