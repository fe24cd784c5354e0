import FoundationEssentials
import Glibc
import Policy

/// `--format text`: for a person at a terminal. The verdict and counts come first, then the
/// findings worst-first with evidence and the fix, then what could not be checked, then an
/// inventory of endpoints. Colour only when asked (the CLI asks when stdout is a TTY).
public struct TextReportRenderer: Sendable {
    public var color: Bool
    /// Include passing results and the endpoint inventory.
    public var verbose: Bool

    public init(color: Bool, verbose: Bool = false) {
        self.color = color
        self.verbose = verbose
    }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { paint(s, "1") }

    func severityTag(_ s: Severity) -> String {
        let t = TextFormatting.column(s.rawValue.uppercased(), 8)
        switch s {
        case .critical: return paint(t, "1;35")
        case .high: return paint(t, "1;31")
        case .medium: return paint(t, "33")
        case .low: return paint(t, "36")
        case .info: return paint(t, "2")
        }
    }

    /// The verdict and counts only (stderr companion of a machine format on stdout).
    public func summaryLines(_ r: AuditReport) -> String {
        render(r).split(separator: "\n", omittingEmptySubsequences: false).prefix(4).joined(separator: "\n") + "\n"
    }

    public func render(_ r: AuditReport) -> String {
        let e = r.evaluation
        var out: [String] = []
        let counts = r.findingCounts
        let verdict: String
        switch r.outcome {
        case .pass: verdict = paint("PASS", "1;32")
        case .fail: verdict = paint("FAIL", "1;31")
        case .incomplete: verdict = paint("INCOMPLETE", "1;33")
        }
        let ns = r.facts.netns.map { " (netns \($0))" } ?? ""
        out.append("\(bold("portcullis audit")) of \(r.facts.hostname)\(ns) — policy \(r.policy.metadata.name) — \(verdict)")
        let sev = Severity.allCases.reversed().filter { (counts[$0] ?? 0) > 0 }.map { "\(counts[$0]!) \($0.rawValue)" }
        let waived = e.findings.filter { $0.waivedBy != nil }.count
        out.append("  findings: \(sev.isEmpty ? "none" : sev.joined(separator: ", "))\(waived > 0 ? " (+\(waived) waived)" : "") — failing at \(r.failOn.rawValue) and above")
        out.append("  checks: \(e.count(.pass)) pass, \(e.count(.fail)) fail, \(e.count(.incomplete)) incomplete, \(e.count(.waived)) waived, \(e.count(.notApplicable)) not applicable")
        let kinds = Dictionary(grouping: r.facts.endpoints) { $0.kind.value?.rawValue ?? "unprobed" }.mapValues(\.count)
        let listeners = r.facts.listeners.value.map { "\($0.count) listeners" } ?? "listeners unavailable"
        out.append("  endpoints: \(r.facts.endpoints.count) (\(kinds.keys.sorted().map { "\(kinds[$0]!) \($0)" }.joined(separator: ", "))); \(listeners); \(TextFormatting.fixed(r.durationSeconds, digits: 2)) s")
        let active = e.findings.filter { $0.waivedBy == nil }
        if !active.isEmpty {
            out.append("")
            out.append(bold("Findings"))
            var explained = Set<String>()
            for f in active {
                out.append("  \(severityTag(f.severity)) \(bold(f.ruleID))  \(f.subject.name)")
                out.append("           \(f.title): \(f.message)")
                for ev in f.evidence.prefix(12) { out.append("           · \(ev)") }
                if f.evidence.count > 12 { out.append("           · … \(f.evidence.count - 12) more") }
                // The fix is the rule's: print it once per rule, not once per endpoint.
                guard explained.insert(f.ruleID).inserted else {
                    out.append("           \(paint("fix:", "32")) as for \(f.ruleID) above")
                    continue
                }
                let fix = f.remediation.split(separator: "\n", omittingEmptySubsequences: false)
                for (i, line) in fix.enumerated() where !(i == fix.count - 1 && line.isEmpty) {
                    out.append("           \(i == 0 ? paint("fix:", "32") : "    ") \(line)")
                }
            }
        }
        let incomplete = e.incompleteResults
        if !incomplete.isEmpty {
            out.append("")
            out.append(bold("Could not check"))
            for res in incomplete { out.append("  \(paint("?", "33")) \(res.ruleID)  \(res.subject.name): \(res.message)") }
        }
        let waivedFindings = e.findings.filter { $0.waivedBy != nil }
        if !waivedFindings.isEmpty {
            out.append("")
            out.append(bold("Waived"))
            for f in waivedFindings {
                out.append("  \(f.ruleID)  \(f.subject.name): \(f.message) — waived until \(f.waivedBy!.expires): \(f.waivedBy!.reason)")
            }
        }
        if !r.warnings.isEmpty {
            out.append("")
            out.append(bold("Warnings"))
            for w in r.warnings { out.append("  ! \(w)") }
        }
        if !r.facts.endpoints.isEmpty {
            out.append("")
            out.append(bold("Endpoints"))
            for ep in r.facts.endpoints { out.append("  " + endpointLine(ep)) }
        }
        if verbose {
            out.append("")
            out.append(bold("Rules"))
            for o in e.rules {
                out.append("  \(TextFormatting.column(o.status.rawValue, 14)) \(o.rule.id): \(o.rule.title)")
                for res in o.results { out.append("      \(res.status.rawValue): \(res.subject.name) — \(res.message)") }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func endpointLine(_ e: EndpointFacts) -> String {
        let exposure = e.exposed.map { $0 ? paint("exposed", "33") : "internal" } ?? "exposure ?"
        var parts = [TextFormatting.column(e.displayName, max(22, e.displayName.count)), exposure]
        if !e.processes.isEmpty { parts.append(e.processes.joined(separator: ",")) }
        switch e.kind {
        case .unavailable(let why): parts.append(paint("probe failed: \(why)", "33"))
        case .value(.tls):
            if let t = e.tls {
                if let p = t.protocols.value {
                    parts.append(TLSVersion.allCases.filter { p[$0] == true }.map(\.displayName).joined(separator: "/"))
                }
                if let c = t.certificate.value {
                    parts.append("\(c.keyType) \(c.keyBits)" + (c.daysLeft.map { ", \($0) days left" } ?? ""))
                }
            } else { parts.append("TLS") }
        case .value(let k):
            parts.append(k.rawValue + (e.httpLocation.map { " → \($0)" } ?? "") + (e.banner.map { " (\($0))" } ?? ""))
        }
        return parts.joined(separator: "  ")
    }
}
