import Testing
import Foundation
import Policy
import Reports
import TestSupport

/// Every machine format is checked against its published grammar or schema.
struct ReportFormatTests {
    @Test func sampleHasEveryKindOfResult() throws {
        let r = try SampleReport.make()
        let e = r.evaluation
        #expect(e.count(.fail) > 0 && e.count(.waived) > 0 && e.count(.incomplete) > 0 && e.count(.pass) > 0)
        #expect(e.findings.contains { $0.ruleID == Evaluation.expiredWaiverRuleID })
        #expect(r.outcome == .fail)
    }

    @Test func jsonReportMatchesItsSchema() throws {
        let r = try SampleReport.make()
        let json = JSONReportRenderer.render(r)
        let schema = TestEnvironment.packageRoot.appendingPathComponent("schemas/audit-report.schema.json")
        let errors = try SampleReport.schemaErrors(json: json, schema: schema)
        #expect(errors.isEmpty, "\(errors)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["schemaVersion"] as? Int == 1)
        #expect(obj["outcome"] as? String == "fail")
        let findings = try #require(obj["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["ruleId"] as? String == "tls-min-version" && ($0["subject"] as? [String: Any])?["uri"] as? String == "host://[fd00::5]:443" })
        let passing = JSONReportRenderer.render(try SampleReport.make(outcomeAllPass: true))
        #expect(try SampleReport.schemaErrors(json: passing, schema: schema).isEmpty)
    }

    @Test func sarifIsValidSARIF210() throws {
        let schema = try #require(SampleReport.sarifSchema, "sarif-schema-2.1.0.json not found beside the clone (../shared/schemas)")
        let r = try SampleReport.make()
        let sarif = SARIFRenderer.render(r)
        let errors = try SampleReport.schemaErrors(json: sarif, schema: schema)
        #expect(errors.isEmpty, "\(errors)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(obj["version"] as? String == "2.1.0")
        let run = try #require((obj["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        // Every result's ruleId is declared, and its ruleIndex points at it (code scanning needs both).
        for res in results {
            let id = try #require(res["ruleId"] as? String)
            let index = try #require(res["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == id)
            let loc = try #require((res["locations"] as? [[String: Any]])?.first)
            #expect((loc["physicalLocation"] as? [String: Any]) != nil)
        }
        #expect(results.contains { ($0["suppressions"] as? [[String: Any]])?.first?["kind"] as? String == "external" })
        #expect(rules.allSatisfy { (($0["help"] as? [String: Any])?["text"] as? String)?.contains("Remediation") == true })
        let notes = try #require((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notes.contains { (($0["message"] as? [String: Any])?["text"] as? String)?.contains("timed out") == true })
    }

    @Test func junitIsWellFormedAndCountsMatch() throws {
        let r = try SampleReport.make()
        let xml = JUnitRenderer.render(r)
        let dir = try TestEnvironment.temporaryDirectory("pc-junit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("junit.xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        let script = """
        import sys, xml.etree.ElementTree as ET
        root = ET.parse(sys.argv[1]).getroot()
        assert root.tag == "testsuites", root.tag
        t = sum(int(s.get("tests")) for s in root); f = sum(int(s.get("failures")) for s in root)
        e = sum(int(s.get("errors")) for s in root); k = sum(int(s.get("skipped")) for s in root)
        cases = root.findall("./testsuite/testcase")
        assert t == len(cases) == int(root.get("tests")), (t, len(cases))
        assert f == len(root.findall("./testsuite/testcase/failure")) == int(root.get("failures"))
        assert e == len(root.findall("./testsuite/testcase/error")) == int(root.get("errors"))
        assert k == len(root.findall("./testsuite/testcase/skipped")) == int(root.get("skipped"))
        print(t, f, e, k)
        """
        let res = try Subprocess.run(["python3", "-c", script, file.path], timeout: 30)
        #expect(res.status == 0, "\(res.stderr)")
        let e = r.evaluation
        let nums = res.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(nums.count == 4)
        if nums.count == 4 {
            #expect(nums[1] == e.count(.fail))
            #expect(nums[2] == e.count(.incomplete))
        }
        #expect(xml.contains("&quot;quoted&quot; &amp; &lt;odd&gt;") || !xml.contains("<odd>"))
    }

    @Test func prometheusExpositionIsValidLineByLine() throws {
        let r = try SampleReport.make()
        let text = PrometheusRenderer.render(r)
        #expect(text.hasSuffix("\n"))
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let label = #"[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*""#
        let sample = try Regex("^(\(name))(\\{\(label)(,\(label))*\\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)$")
        let help = try Regex("^# HELP (\(name)) .*$")
        let type = try Regex("^# TYPE (\(name)) (gauge|counter|untyped|histogram|summary)$")
        var typed = Set<String>()
        var seen = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let l = String(line)
            if let m = l.wholeMatch(of: type) { typed.insert(String(m.output[1].substring!)); continue }
            if l.wholeMatch(of: help) != nil { continue }
            let m = try #require(l.wholeMatch(of: sample), "bad line: \(l)")
            #expect(typed.contains(String(m.output[1].substring!)), "sample before its TYPE: \(l)")
            #expect(seen.insert(String(l.split(separator: " ").dropLast().joined(separator: " "))).inserted, "duplicate series: \(l)")
        }
        #expect(text.contains("portcullis_findings{policy=\"sample\",severity=\"high\"} "))
        #expect(text.contains("portcullis_audit_success{policy=\"sample\",fail_on=\"high\"} 0"))
        #expect(text.contains("portcullis_tls_cert_days_left{endpoint=\"10.0.0.2:8443\",sni=\"\"} 9"))
        #expect(text.contains("portcullis_tls_cert_days_left{endpoint=\"[fd00::5]:443\",sni=\"\"} 9"))
        #expect(text.contains("portcullis_audit_last_run_timestamp_seconds 1781524800.420"))
    }

    @Test func textPutsTheSummaryFirstAndColoursOnlyWhenAsked() throws {
        let r = try SampleReport.make()
        let plain = TextReportRenderer(color: false).render(r)
        let lines = plain.split(separator: "\n")
        #expect(lines[0].contains("policy sample") && lines[0].contains("FAIL"))
        #expect(lines[1].contains("findings:"))
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("fix:"))
        #expect(plain.contains("Could not check"))
        #expect(TextReportRenderer(color: true).render(r).contains("\u{1B}[1;31m"))
    }
}
