import FoundationEssentials
import Glibc
import Policy

/// Everything one audit produced: the facts, the policy evaluation and how the run went. The
/// renderers (text, JSON, SARIF, JUnit, Prometheus) read only this value.
public struct AuditReport: Sendable {
    public var toolVersion: String
    public var startedAt: Date
    public var finishedAt: Date
    public var facts: AuditFacts
    public var policy: ResolvedPolicy
    public var evaluation: Evaluation
    /// Findings at or above this severity make the audit fail.
    public var failOn: Severity
    /// Things the steps noticed that are not findings (iptables-legacy rules present, owners unknown …).
    public var warnings: [String]

    public init(toolVersion: String, startedAt: Date, finishedAt: Date, facts: AuditFacts, policy: ResolvedPolicy,
                evaluation: Evaluation, failOn: Severity, warnings: [String]) {
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.facts = facts
        self.policy = policy
        self.evaluation = evaluation
        self.failOn = failOn
        self.warnings = warnings
    }

    /// Overall verdict; drives the exit code.
    public enum Outcome: String, Sendable {
        /// No unwaived finding at or above `failOn`, and every check ran.
        case pass
        /// Findings at or above `failOn`.
        case fail
        /// No such finding, but some check could not run.
        case incomplete
    }

    /// A definite failure outranks "incomplete": what we know is wrong must be fixed either way.
    public var outcome: Outcome {
        if !evaluation.failingFindings(atOrAbove: failOn).isEmpty { return .fail }
        if !evaluation.incompleteResults.isEmpty { return .incomplete }
        return .pass
    }

    /// Unwaived findings per severity.
    public var findingCounts: [Severity: Int] {
        var c: [Severity: Int] = [:]
        for s in Severity.allCases { c[s] = 0 }
        for f in evaluation.findings where f.waivedBy == nil { c[f.severity, default: 0] += 1 }
        return c
    }

    public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }

    /// RFC 3339 UTC, second precision (`2026-11-29T04:38:35Z`).
    public static func timestamp(_ d: Date) -> String { d.formatted(.iso8601) }

    /// Policy file as a repository-relative URI for SARIF (`policies/NAME.yaml` for built-ins).
    public static func policyURI(_ file: String) -> String {
        if file.hasPrefix("builtin:") { return "policies/\(file.dropFirst("builtin:".count)).yaml" }
        return file.hasPrefix("/") ? "file://" + TextFormatting.percentEncodedPath(file) : file
    }
}
