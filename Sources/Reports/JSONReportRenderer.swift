import FoundationEssentials
import Glibc
import JSONText
import Policy

/// `--format json`: the versioned machine report (`schemaVersion: 1`), described by
/// `schemas/audit-report.schema.json`. Fields are only ever added within a schema version.
public enum JSONReportRenderer {
    public static let schemaVersion = 1

    public static func render(_ r: AuditReport) -> String { document(r).serialized() }

    public static func document(_ r: AuditReport) -> JSONValue {
        let e = r.evaluation
        let counts = r.findingCounts
        let tool: JSONValue = .object([("name", .string("portcullis")), ("version", .string(r.toolVersion))])
        let policy: JSONValue = .object([
            ("name", .string(r.policy.metadata.name)),
            ("description", .string(r.policy.metadata.description)),
            ("origin", .string(r.policy.origin)),
            ("sources", .strings(r.policy.metadata.source)),
            ("chain", .strings(r.policy.chain)),
        ])
        let findingCounts: [(String, JSONValue)] = Severity.allCases.reversed().map { ($0.rawValue, JSONValue.int(counts[$0] ?? 0)) }
        let resultCounts: [(String, JSONValue)] = ResultStatus.allCases.map { ($0.rawValue, JSONValue.int(e.count($0))) }
        let listenerCount: JSONValue = r.facts.listeners.value.map { .int($0.count) } ?? .null
        let summary: JSONValue = .object([
            ("findings", .object(findingCounts)),
            ("waived", .int(e.findings.filter { $0.waivedBy != nil }.count)),
            ("results", .object(resultCounts)),
            ("endpoints", .int(r.facts.endpoints.count)),
            ("listeners", listenerCount),
        ])
        let incomplete: [JSONValue] = e.incompleteResults.map { res in
            .object([("ruleId", .string(res.ruleID)), ("subject", subject(res.subject)), ("reason", .string(res.message))])
        }
        let head: [(String, JSONValue)] = [
            ("schemaVersion", .int(schemaVersion)),
            ("tool", tool),
            ("host", .string(r.facts.hostname)),
            ("netns", .opt(r.facts.netns)),
            ("startedAt", .string(AuditReport.timestamp(r.startedAt))),
            ("finishedAt", .string(AuditReport.timestamp(r.finishedAt))),
            ("durationSeconds", .double((r.durationSeconds * 1000).rounded() / 1000)),
            ("policy", policy),
            ("failOn", .string(r.failOn.rawValue)),
            ("outcome", .string(r.outcome.rawValue)),
            ("summary", summary),
        ]
        let body: [(String, JSONValue)] = [
            ("findings", .array(e.findings.map(finding))),
            ("incomplete", .array(incomplete)),
            ("rules", .array(e.rules.map(rule))),
            ("firewall", firewall(r.facts.firewall)),
            ("listeners", listeners(r.facts.listeners)),
            ("endpoints", .array(r.facts.endpoints.map(endpoint))),
            ("warnings", .strings(r.warnings)),
        ]
        return .object(head + body)
    }

    static func location(_ l: SourceLocation) -> JSONValue {
        .object([("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))])
    }

    static func subject(_ s: Subject) -> JSONValue {
        .object([("kind", .string(s.kind.rawValue)), ("name", .string(s.name)), ("uri", .string(s.uri))])
    }

    static func waiver(_ w: WaiverReference?) -> JSONValue {
        guard let w else { return .null }
        return .object([("reason", .string(w.reason)), ("expires", .string(w.expires.description)), ("location", location(w.location))])
    }

    static func finding(_ f: Finding) -> JSONValue {
        .object([
            ("ruleId", .string(f.ruleID)),
            ("severity", .string(f.severity.rawValue)),
            ("title", .string(f.title)),
            ("subject", subject(f.subject)),
            ("message", .string(f.message)),
            ("evidence", .strings(f.evidence)),
            ("remediation", .string(f.remediation)),
            ("location", location(f.location)),
            ("waivedBy", waiver(f.waivedBy)),
        ])
    }

    static func rule(_ o: RuleOutcome) -> JSONValue {
        .object([
            ("id", .string(o.rule.id)),
            ("title", .string(o.rule.title)),
            ("severity", .string(o.rule.severity.rawValue)),
            ("check", .string(o.rule.checkName)),
            ("status", .string(o.status.rawValue)),
            ("results", .array(o.results.map { res in
                .object([
                    ("subject", subject(res.subject)),
                    ("status", .string(res.status.rawValue)),
                    ("message", .string(res.message)),
                    ("evidence", .strings(res.evidence)),
                    ("waivedBy", waiver(res.waivedBy)),
                ])
            })),
        ])
    }

    static func family(_ f: FamilyFirewallFacts?) -> JSONValue {
        guard let f else { return .null }
        return .object([
            ("verdict", .string(f.verdict.rawValue)),
            ("acceptedFrom", .strings(f.acceptedFrom)),
            ("interfaces", .strings(f.interfaces)),
            ("deliveredPorts", .array(f.deliveredPorts.map { .int(Int($0)) })),
            ("reason", .string(f.reason)),
            ("trace", .strings(f.trace)),
        ])
    }

    static func firewall(_ o: Observed<[PortFirewallFacts]>) -> JSONValue {
        .object([
            ("status", .string(o.value == nil ? "unavailable" : "ok")),
            ("reason", .opt(o.failureReason)),
            ("ports", .array((o.value ?? []).map { p in
                .object([("port", .int(Int(p.port))), ("protocol", .string(p.transport.rawValue)),
                         ("ipv4", family(p.families[.ipv4])), ("ipv6", family(p.families[.ipv6]))])
            })),
        ])
    }

    static func listeners(_ o: Observed<[ListenerFacts]>) -> JSONValue {
        .object([
            ("status", .string(o.value == nil ? "unavailable" : "ok")),
            ("reason", .opt(o.failureReason)),
            ("items", .array((o.value ?? []).map { l in
                .object([
                    ("protocol", .string(l.transport.rawValue)),
                    ("address", .string(l.address)),
                    ("port", .int(Int(l.port))),
                    ("family", .string(l.family.rawValue)),
                    ("binding", .string(l.binding.rawValue)),
                    ("processes", .array(l.processes.map { p in
                        .object([("pid", .int(Int(p.pid))), ("name", .string(p.name)), ("unit", .opt(p.unit))])
                    })),
                    ("exposed", .opt(l.isExposed)),
                    ("exposure", l.exposure.value.map { e in .object([("ipv4", family(e[.ipv4])), ("ipv6", family(e[.ipv6]))]) } ?? .null),
                    ("exposureError", .opt(l.exposure.failureReason)),
                ])
            })),
        ])
    }

    static func endpoint(_ e: EndpointFacts) -> JSONValue {
        .object([
            ("host", .string(e.host)),
            ("port", .int(Int(e.port))),
            ("sni", .opt(e.sni)),
            ("uri", .string(PolicyEngine.subject(e).uri)),
            ("processes", .strings(e.processes)),
            ("exposed", .opt(e.exposed)),
            ("exposureNote", .string(e.exposureNote)),
            ("kind", .opt(e.kind.value?.rawValue)),
            ("error", .opt(e.kind.failureReason)),
            ("banner", .opt(e.banner)),
            ("httpStatus", .opt(e.httpStatus)),
            ("httpLocation", .opt(e.httpLocation)),
            ("tls", e.tls.map(tls) ?? .null),
        ])
    }

    static func tls(_ t: TLSFacts) -> JSONValue {
        var errors: [(String, JSONValue)] = []
        func note<V>(_ name: String, _ o: Observed<V>) { if let r = o.failureReason { errors.append((name, .string(r))) } }
        note("protocols", t.protocols); note("cipherSuites", t.cipherSuites); note("groups", t.groups)
        note("dhBits", t.dhBits); note("certificate", t.certificate); note("alpn", t.alpn); note("http", t.http)
        let protocols: JSONValue = t.protocols.value.map { p in .object(TLSVersion.allCases.map { ($0.rawValue, .opt(p[$0])) }) } ?? .null
        let suites: JSONValue = t.cipherSuites.value.map { s in
            .object(TLSVersion.allCases.compactMap { v in s[v].map { (v.rawValue, .strings($0)) } })
        } ?? .null
        let cert: JSONValue = t.certificate.value.map { c in
            .object([
                ("subject", .opt(c.subject)), ("trusted", .bool(c.trusted)), ("trustError", .opt(c.trustError)),
                ("expired", .bool(c.expired)), ("notYetValid", .bool(c.notYetValid)), ("notAfter", .opt(c.notAfter)),
                ("daysLeft", .opt(c.daysLeft)), ("lifespanDays", .opt(c.lifespanDays)), ("selfSigned", .bool(c.selfSigned)), ("hostnameMatches", .opt(c.hostnameMatches)),
                ("keyType", .string(c.keyType)), ("keyBits", .int(c.keyBits)), ("signatureAlgorithm", .string(c.signatureAlgorithm)),
            ])
        } ?? .null
        let http: JSONValue
        switch t.http {
        case .value(let h?):
            http = .object([("status", .int(h.status)), ("hsts", h.hsts.map { s in
                .object([("maxAge", .int(s.maxAge)), ("includeSubDomains", .bool(s.includeSubDomains)), ("preload", .bool(s.preload))])
            } ?? .null)])
        default: http = .null
        }
        return .object([
            ("protocols", protocols),
            ("cipherSuites", suites),
            ("groups", t.groups.value.map { .strings($0) } ?? .null),
            ("dhBits", t.dhBits.value.map { JSONValue.opt($0) } ?? .null),
            ("certificate", cert),
            ("alpn", t.alpn.value.map { .strings($0) } ?? .null),
            ("http", http),
            ("errors", .object(errors)),
        ])
    }
}
