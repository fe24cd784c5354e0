import Testing
import Foundation
import TestSupport

/// `portcullis policy …` and `audit` argument handling through the real binary: exit codes and
/// one-line errors with file, line and column.
struct PolicyCommandTests {
    func run(_ args: [String]) throws -> Subprocess.Result {
        try Subprocess.run([TestEnvironment.portcullisBinary.path] + args, timeout: 60)
    }

    @Test func listShowsEveryBuiltin() throws {
        let r = try run(["policy", "list"])
        #expect(r.status == 0)
        for name in ["default", "mozilla-intermediate", "mozilla-modern", "pci-dss-4"] { #expect(r.stdout.contains(name)) }
    }

    @Test func showResolvesExtends() throws {
        let r = try run(["policy", "show", "mozilla-modern"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("(disabled) tls-min-version"))
        #expect(r.stdout.contains("mozilla-versions  [high]"))
        #expect(r.stdout.contains("source: https://wiki.mozilla.org/Security/Server_Side_TLS"))
        let yaml = try run(["policy", "show", "--yaml", "pci-dss-4"])
        #expect(yaml.stdout.contains("Requirement 4.2.1"))
        #expect(try run(["policy", "show", "nosuch"]).status == 2)
    }

    @Test func checkReportsPositionOfErrors() throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-cli-pol")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.yaml").path
        try "policy: {name: g, extends: [default]}\nrules:\n  - {id: hsts, severity: low}\n".write(toFile: good, atomically: true, encoding: .utf8)
        let ok = try run(["policy", "check", good])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ok"))
        let bad = dir.appendingPathComponent("bad.yaml").path
        try "policy: {name: b}\nrules:\n  - id: x\n    title: t\n    severity: high\n    check: cert.expiry\n    params: {minDays: 3, maxDays: 9}\n    remediation: r\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try run(["policy", "check", bad])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(bad):7:26: unknown parameter \"maxDays\" for check cert.expiry"), "\(r.stderr)")
        let missing = try run(["policy", "check", dir.appendingPathComponent("none.yaml").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such policy file"))
    }

    @Test func auditUsageErrorsExit2() throws {
        #expect(try run(["audit", "--fail-on", "severe"]).status == 2)
        #expect(try run(["audit", "--format", "xml"]).status == 2)
        #expect(try run(["audit", "--output", "json"]).status == 2)
        #expect(try run(["audit", "--target", "nohostport"]).status == 2)
        let r = try run(["audit", "--policy", "/nonexistent/p.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("policy error: /nonexistent/p.yaml: no such policy file"))
        let help = try run(["audit", "--help"])
        #expect(help.stdout.contains("3  audit incomplete"))
    }

    @Test func checksCatalogueIsListed() throws {
        let r = try run(["policy", "checks"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("tls.forbidden-suites"))
        #expect(r.stdout.contains("minDays: an integer (default 21)"))
    }
}

/// `audit --netns` with a namespace that does not exist is a usage error, not a hang or a crash.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct AuditNamespaceArgumentTests {
    @Test func unknownNamespaceExits2() throws {
        let r = try Subprocess.run([TestEnvironment.portcullisBinary.path, "audit", "--netns", "pc-no-such-ns-\(getpid())"], timeout: 60)
        #expect(r.status == 2)
        #expect(r.stderr.contains("network namespace 'pc-no-such-ns-"))
    }
}
