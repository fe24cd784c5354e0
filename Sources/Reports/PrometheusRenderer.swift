import FoundationEssentials
import Glibc
import Policy

/// `--format prometheus`: text exposition format 0.0.4 for node_exporter's textfile collector
/// (write it atomically to `/var/lib/prometheus/node-exporter/portcullis.prom`).
public enum PrometheusRenderer {
    public static func render(_ r: AuditReport) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            out += "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) gauge\n"
            for s in samples {
                let labels = s.labels.isEmpty ? "" : "{" + s.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(s.value)\n"
            }
        }
        let policy = ("policy", r.policy.metadata.name)
        let counts = r.findingCounts
        family("portcullis_findings", "Unwaived findings of the last audit, by severity.",
               Severity.allCases.map { ([policy, ("severity", $0.rawValue)], "\(counts[$0] ?? 0)") })
        family("portcullis_findings_waived", "Findings covered by a valid waiver in the last audit.",
               [([policy], "\(r.evaluation.findings.filter { $0.waivedBy != nil }.count)")])
        family("portcullis_checks", "Check results of the last audit (rule x subject), by status.",
               ResultStatus.allCases.map { ([policy, ("status", $0.rawValue)], "\(r.evaluation.count($0))") })
        family("portcullis_audit_success", "1 when the last audit ran every check and found nothing at or above --fail-on.",
               [([policy, ("fail_on", r.failOn.rawValue)], r.outcome == .pass ? "1" : "0")])
        family("portcullis_audit_incomplete", "1 when some check of the last audit could not run.",
               [([policy], r.evaluation.incompleteResults.isEmpty ? "0" : "1")])
        family("portcullis_audit_last_run_timestamp_seconds", "Unix time the last audit finished.",
               [([], TextFormatting.fixed(r.finishedAt.timeIntervalSince1970, digits: 3))])
        family("portcullis_audit_duration_seconds", "Wall time of the last audit.",
               [([], TextFormatting.fixed(r.durationSeconds, digits: 3))])
        var certSamples: [([(String, String)], String)] = []
        var endpointSamples: [([(String, String)], String)] = []
        for e in r.facts.endpoints {
            let name = e.displayName.replacing( " (sni \(e.sni ?? ""))", with: "")
            if let days = e.tls?.certificate.value?.daysLeft {
                certSamples.append(([("endpoint", name), ("sni", e.sni ?? "")], "\(days)"))
            }
            endpointSamples.append(([("endpoint", name), ("kind", e.kind.value?.rawValue ?? "unknown"),
                                     ("exposed", e.exposed.map { $0 ? "true" : "false" } ?? "unknown")], "1"))
        }
        family("portcullis_tls_cert_days_left", "Days until the endpoint's certificate expires (negative when expired).", certSamples)
        family("portcullis_endpoint_info", "Endpoints probed by the last audit, with what they speak and whether they are exposed.", endpointSamples)
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ s: String) -> String {
        s.replacing( "\\", with: "\\\\").replacing( "\"", with: "\\\"").replacing( "\n", with: "\\n")
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ s: String) -> String {
        s.replacing( "\\", with: "\\\\").replacing( "\n", with: "\\n")
    }
}
