import FoundationEssentials
import Glibc
import Policy

/// `--format junit`: one `<testsuite>` per rule, one `<testcase>` per rule × subject. Failures
/// are `<failure>`, checks that could not run are `<error>`, waived and not-applicable are
/// `<skipped>` — so CI dashboards show incomplete audits as broken, not green.
public enum JUnitRenderer {
    public static func render(_ r: AuditReport) -> String {
        var suites: [String] = []
        var total = (tests: 0, failures: 0, errors: 0, skipped: 0)
        let stamp = AuditReport.timestamp(r.startedAt).replacing("Z", with: "")
        for o in r.evaluation.rules {
            var cases: [String] = []
            var t = (tests: 0, failures: 0, errors: 0, skipped: 0)
            let results = o.results.isEmpty
                ? [CheckResult(ruleID: o.rule.id, subject: Subject(kind: .policy, name: "(nothing in scope)", uri: "policy://\(o.rule.id)"),
                               status: .notApplicable, message: "nothing in scope to check", evidence: [], waivedBy: nil)]
                : o.results
            for res in results {
                t.tests += 1
                var body = ""
                switch res.status {
                case .pass: break
                case .fail:
                    t.failures += 1
                    let detail = (res.evidence + ["", "Remediation:", o.rule.remediation]).joined(separator: "\n")
                    body = "<failure message=\"\(esc(res.message))\" type=\"\(o.rule.severity.rawValue)\">\(esc(detail))</failure>"
                case .incomplete:
                    t.errors += 1
                    body = "<error message=\"\(esc("could not be checked: " + res.message))\" type=\"incomplete\"></error>"
                case .waived:
                    t.skipped += 1
                    let w = res.waivedBy.map { "waived until \($0.expires): \($0.reason)" } ?? "waived"
                    body = "<skipped message=\"\(esc(w + " — " + res.message))\"></skipped>"
                case .notApplicable:
                    t.skipped += 1
                    body = "<skipped message=\"\(esc(res.message))\"></skipped>"
                }
                let output = res.status == .pass && !res.message.isEmpty ? "<system-out>\(esc(([res.message] + res.evidence).joined(separator: "\n")))</system-out>" : ""
                cases.append("    <testcase classname=\"\(esc("portcullis." + o.rule.id))\" name=\"\(esc(res.subject.name))\" time=\"0\">\(body)\(output)</testcase>")
            }
            total.tests += t.tests; total.failures += t.failures; total.errors += t.errors; total.skipped += t.skipped
            suites.append("""
              <testsuite name="\(esc(o.rule.id + ": " + o.rule.title))" tests="\(t.tests)" failures="\(t.failures)" errors="\(t.errors)" skipped="\(t.skipped)" timestamp="\(stamp)" hostname="\(esc(r.facts.hostname))" time="0">
                <properties><property name="severity" value="\(o.rule.severity.rawValue)"/><property name="check" value="\(esc(o.rule.checkName))"/><property name="policy" value="\(esc(r.policy.metadata.name))"/></properties>
            \(cases.joined(separator: "\n"))
              </testsuite>
            """)
        }
        let time = TextFormatting.fixed(r.durationSeconds, digits: 3)
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="\(esc("portcullis audit (" + r.policy.metadata.name + ")"))" tests="\(total.tests)" failures="\(total.failures)" errors="\(total.errors)" skipped="\(total.skipped)" time="\(time)">
        \(suites.joined(separator: "\n"))
        </testsuites>

        """
    }

    /// XML 1.0 text: escape markup and drop characters XML cannot carry.
    static func esc(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: out += "?"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
