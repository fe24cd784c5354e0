import FoundationEssentials
import Glibc
import JSONText
import Policy

/// `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
///
/// Each failed or waived check is a result; waived ones carry an external suppression with the
/// waiver's reason. Results point at the rule's definition in the policy file (a physical
/// location, which code scanning requires) and name the endpoint as a logical location
/// (`host://HOST:PORT`). Checks that could not run are tool execution notifications, not results:
/// they are neither pass nor fail.
public enum SARIFRenderer {
    public static func render(_ r: AuditReport) -> String { document(r).serialized() }

    static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub's `security-severity` scale (critical > 9, high 7–8.9, medium 4–6.9, low < 4).
    static func securitySeverity(_ s: Severity) -> String {
        switch s {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    public static func document(_ r: AuditReport) -> JSONValue {
        let rules = r.evaluation.rules.map(\.rule)
        let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let driverRules: [JSONValue] = rules.map { rule in
            let help = "\(rule.title)\n\n\(rule.description.isEmpty ? "" : rule.description + "\n\n")Remediation:\n\(rule.remediation)"
            let markdown = "**\(rule.title)**\n\n\(rule.description.isEmpty ? "" : rule.description + "\n\n")Remediation:\n\n```\n\(rule.remediation)\n```"
            var props: [(String, JSONValue)] = [("tags", .strings(["security", "tls", rule.checkName]))]
            if rule.severity != .info { props.append(("security-severity", .string(securitySeverity(rule.severity)))) }
            props.append(("precision", .string("high")))
            props.append(("problem.severity", .string(rule.severity == .critical || rule.severity == .high ? "error" : rule.severity == .medium ? "warning" : "recommendation")))
            return .object([
                ("id", .string(rule.id)),
                ("name", .string(pascal(rule.id))),
                ("shortDescription", .object([("text", .string(rule.title))])),
                ("fullDescription", .object([("text", .string(rule.description.isEmpty ? rule.title : rule.description))])),
                ("help", .object([("text", .string(help)), ("markdown", .string(markdown))])),
                ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
                ("properties", .object(props)),
            ])
        }
        let results: [JSONValue] = r.evaluation.findings.map { f in
            var text = "\(f.title): \(f.message) [\(f.subject.name)]"
            if !f.evidence.isEmpty { text += "\n" + f.evidence.joined(separator: "\n") }
            var obj: [(String, JSONValue)] = [
                ("ruleId", .string(f.ruleID)),
                ("ruleIndex", .int(index[f.ruleID] ?? 0)),
                ("level", .string(level(f.severity))),
                ("kind", .string("fail")),
                ("message", .object([("text", .string(text))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(AuditReport.policyURI(f.location.file)))])),
                        ("region", .object([("startLine", .int(max(1, f.location.line))), ("startColumn", .int(max(1, f.location.column)))])),
                    ])),
                    ("logicalLocations", .array([.object([
                        ("name", .string(f.subject.name)),
                        ("fullyQualifiedName", .string(f.subject.uri)),
                        ("kind", .string("resource")),
                    ])])),
                ])])),
                ("partialFingerprints", .object([("portcullisFinding/v1", .string("\(f.ruleID)|\(f.subject.uri)"))])),
            ]
            if let w = f.waivedBy {
                obj.append(("suppressions", .array([.object([
                    ("kind", .string("external")),
                    ("justification", .string("\(w.reason) (waiver expires \(w.expires))")),
                ])])))
            }
            obj.append(("properties", .object([
                ("severity", .string(f.severity.rawValue)),
                ("subject", .string(f.subject.uri)),
                ("evidence", .strings(f.evidence)),
                ("remediation", .string(f.remediation)),
            ])))
            return .object(obj)
        }
        let notifications: [JSONValue] = r.evaluation.incompleteResults.map { res in
            .object([
                ("level", .string("warning")),
                ("message", .object([("text", .string("\(res.ruleID) could not be checked for \(res.subject.name): \(res.message)"))])),
                ("descriptor", .object([("id", .string(res.ruleID))])),
                ("locations", .array([.object([("logicalLocations", .array([.object([
                    ("fullyQualifiedName", .string(res.subject.uri)), ("kind", .string("resource"))
                ])]))])])),
            ])
        } + r.warnings.map { w in .object([("level", .string("note")), ("message", .object([("text", .string(w))]))]) }
        let run: JSONValue = .object([
            ("tool", .object([("driver", .object([
                ("name", .string("portcullis")),
                ("version", .string(r.toolVersion)),
                ("semanticVersion", .string(r.toolVersion)),
                ("informationUri", .string("https://github.com/portcullis/portcullis")),
                ("rules", .array(driverRules)),
            ]))])),
            ("invocations", .array([.object([
                ("executionSuccessful", .bool(r.evaluation.incompleteResults.isEmpty)),
                ("startTimeUtc", .string(AuditReport.timestamp(r.startedAt))),
                ("endTimeUtc", .string(AuditReport.timestamp(r.finishedAt))),
                ("machine", .string(r.facts.hostname)),
                ("toolExecutionNotifications", .array(notifications)),
            ])])),
            ("automationDetails", .object([("id", .string("portcullis/audit/\(r.facts.hostname)/\(r.policy.metadata.name)/"))])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
            ("properties", .object([
                ("policy", .string(r.policy.metadata.name)),
                ("outcome", .string(r.outcome.rawValue)),
                ("failOn", .string(r.failOn.rawValue)),
            ])),
        ])
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
    }

    /// `tls-min-version` → `TlsMinVersion` (SARIF's reportingDescriptor.name).
    static func pascal(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
