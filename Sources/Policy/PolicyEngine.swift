import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates a policy over audit facts. Pure: same facts, policy and date, same answer.
public struct PolicyEngine: Sendable {
    public var policy: ResolvedPolicy

    public init(policy: ResolvedPolicy) { self.policy = policy }

    public func evaluate(_ facts: AuditFacts, now: Date = Date()) -> Evaluation {
        var outcomes: [RuleOutcome] = []
        var findings: [Finding] = []
        let activeWaivers = policy.waivers.filter { !$0.isExpired(at: now) }
        for rule in policy.enabledRules {
            var results: [CheckResult] = []
            for target in subjects(for: rule, in: facts) {
                var r: CheckResult
                switch target {
                case .missing(let subject, let reason):
                    r = CheckResult(ruleID: rule.id, subject: subject, status: .incomplete, message: reason, evidence: [])
                case .value(let subject, let item):
                    let outcome = Checks.run(rule, on: item, facts: facts)
                    r = CheckResult(ruleID: rule.id, subject: subject, status: outcome.status, message: outcome.message, evidence: outcome.evidence)
                }
                if r.status == .fail, let w = activeWaivers.first(where: { $0.rule == rule.id && Self.matches($0.scope, r.subject) }) {
                    r.status = .waived
                    r.waivedBy = WaiverReference(rule: w.rule, reason: w.reason, expires: w.expires, location: w.location)
                }
                if r.status == .fail || r.status == .waived {
                    findings.append(Finding(ruleID: rule.id, severity: rule.severity, title: rule.title, subject: r.subject,
                                            message: r.message, evidence: r.evidence, remediation: rule.remediation,
                                            waivedBy: r.waivedBy, location: rule.location))
                }
                results.append(r)
            }
            outcomes.append(RuleOutcome(rule: rule, status: Self.overall(results), results: results))
        }
        if !policy.waivers.isEmpty {
            let rule = Self.expiredWaiverRule(origin: policy.origin)
            var results: [CheckResult] = []
            for w in policy.waivers {
                let subject = Subject(kind: .policy, name: "waiver for \(w.rule) (\(w.location.file):\(w.location.line))",
                                      uri: "policy://\(w.location.file)#L\(w.location.line)")
                if w.isExpired(at: now) {
                    let message = "waiver for rule \(w.rule) expired on \(w.expires) and no longer applies (reason was: \(w.reason))"
                    results.append(CheckResult(ruleID: rule.id, subject: subject, status: .fail, message: message, evidence: []))
                    findings.append(Finding(ruleID: rule.id, severity: rule.severity, title: rule.title, subject: subject,
                                            message: message, evidence: ["expires: \(w.expires)", "reason: \(w.reason)"],
                                            remediation: rule.remediation, waivedBy: nil, location: w.location))
                } else {
                    results.append(CheckResult(ruleID: rule.id, subject: subject, status: .pass,
                                               message: "waiver valid through \(w.expires)", evidence: []))
                }
            }
            outcomes.append(RuleOutcome(rule: rule, status: Self.overall(results), results: results))
        }
        findings.sort { ($0.waivedBy == nil ? 0 : 1, -Severity.allCases.firstIndex(of: $0.severity)!, $0.ruleID, $0.subject.name)
            < ($1.waivedBy == nil ? 0 : 1, -Severity.allCases.firstIndex(of: $1.severity)!, $1.ruleID, $1.subject.name) }
        return Evaluation(policyName: policy.metadata.name, policyOrigin: policy.origin, policySources: policy.metadata.source,
                          evaluatedAt: now, rules: outcomes, findings: findings)
    }

    /// The synthetic rule under which expired waivers are reported.
    public static func expiredWaiverRule(origin: String) -> PolicyRule {
        PolicyRule(id: Evaluation.expiredWaiverRuleID, title: "Waiver expired", severity: .medium, check: .tlsRequired,
             params: CheckParams(), remediation: "Fix the finding the waiver covered, or renew the waiver with a new `expires` date and a current reason.",
             description: "An expired waiver no longer suppresses its rule; it is reported so it gets renewed or removed.",
             location: SourceLocation(file: origin, line: 1, column: 1))
    }

    static func overall(_ results: [CheckResult]) -> ResultStatus {
        let s = Set(results.map(\.status))
        if s.contains(.fail) { return .fail }
        if s.contains(.incomplete) { return .incomplete }
        if s.contains(.waived) { return .waived }
        if s.contains(.pass) { return .pass }
        return .notApplicable
    }

    // MARK: Subjects

    enum Target {
        case value(Subject, Item)
        case missing(Subject, String)
    }

    enum Item {
        case port(UInt16, Transport)
        case listener(ListenerFacts)
        case endpoint(EndpointFacts)
    }

    func subjects(for rule: PolicyRule, in facts: AuditFacts) -> [Target] {
        switch rule.check.subjectKind {
        case .port:
            let port = UInt16(clamping: rule.params.int("port"))
            let transport = Transport(rawValue: rule.params.string("protocol")) ?? .tcp
            let s = Subject(kind: .port, name: "\(transport.rawValue)/\(port)", uri: "firewall://\(transport.rawValue)/\(port)", ports: [port])
            return [.value(s, .port(port, transport))]
        case .listener:
            guard let listeners = facts.listeners.value else {
                let s = Subject(kind: .listener, name: "listeners", uri: "listener://")
                return [.missing(s, "listeners could not be read: \(facts.listeners.failureReason ?? "unknown")")]
            }
            return listeners.map { l in (Self.subject(l), l) }.filter { Self.matches(rule.scope, $0.0) }.map { .value($0.0, .listener($0.1)) }
        case .endpoint, .tlsEndpoint, .cleartextHTTPEndpoint:
            var out: [Target] = []
            for e in facts.endpoints {
                let s = Self.subject(e)
                guard Self.matches(rule.scope, s) else { continue }
                switch e.kind {
                case .unavailable(let reason):
                    out.append(.missing(s, "endpoint could not be probed: \(reason)"))
                case .value(.unreachable):
                    out.append(.missing(s, "endpoint unreachable"))
                case .value(let kind):
                    switch rule.check.subjectKind {
                    case .tlsEndpoint where kind != .tls: continue
                    case .cleartextHTTPEndpoint where kind != .httpContent && kind != .httpRedirect: continue
                    default: out.append(.value(s, .endpoint(e)))
                    }
                }
            }
            return out
        }
    }

    public static func subject(_ e: EndpointFacts) -> Subject {
        let host = e.host.contains(":") ? "[\(e.host)]" : e.host
        var hosts = [e.host]
        if let sni = e.sni, sni != e.host { hosts.append(sni) }
        return Subject(kind: .endpoint, name: e.displayName, uri: "host://\(host):\(e.port)" + (e.sni.map { $0 == e.host ? "" : "?sni=\($0)" } ?? ""),
                       ports: [e.port], addresses: e.addresses.isEmpty ? [e.host] : e.addresses, hosts: hosts,
                       interfaces: e.interfaces, processes: e.processes, exposed: e.exposed)
    }

    public static func subject(_ l: ListenerFacts) -> Subject {
        let a = l.address.contains(":") ? "[\(l.address)]" : l.address
        let procs = l.processes.map(\.name)
        let interfaces = Array(Set((l.exposure.value ?? [:]).values.flatMap(\.interfaces))).sorted()
        return Subject(kind: .listener, name: "\(l.transport.rawValue) \(a):\(l.port)" + (procs.isEmpty ? "" : " (\(procs.joined(separator: ",")))"),
                       uri: "listener://\(l.transport.rawValue)/\(a):\(l.port)", ports: [l.port], addresses: [l.address],
                       interfaces: interfaces, processes: procs, exposed: l.isExposed)
    }

    /// Scope matching: every given dimension must match; a subject that lacks a dimension the
    /// scope asks about does not match (an unknown process is not "nginx").
    public static func matches(_ scope: Scope, _ s: Subject) -> Bool {
        if !scope.ports.isEmpty, !s.ports.contains(where: { p in scope.ports.contains { $0.contains(p) } }) { return false }
        if !scope.addresses.isEmpty, !s.addresses.contains(where: { a in scope.addresses.contains { $0.contains(a) } }) { return false }
        if !scope.hosts.isEmpty, !s.hosts.contains(where: { h in scope.hosts.contains { glob($0, h.lowercased()) } }) { return false }
        if !scope.interfaces.isEmpty, !s.interfaces.contains(where: { i in scope.interfaces.contains { glob($0, i) } }) { return false }
        if !scope.processes.isEmpty, !s.processes.contains(where: { p in scope.processes.contains { glob($0, p) } }) { return false }
        if let want = scope.exposed, s.exposed != want { return false }
        return true
    }

    static func glob(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern.lowercased(), text.lowercased(), 0) == 0
    }
}
