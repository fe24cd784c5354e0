import Testing
import Foundation
import NetlinkRuleset
import NftModel
import TestSupport

/// `portcullis ruleset dump|show` end to end: the real binary, a real namespace, real privilege loss.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct RulesetCommandTests {
    private var binary: String { TestEnvironment.portcullisBinary.path }

    @Test func dumpWritesAnEnvelopeThatReadsBackIdentically() throws {
        let ns = try ScratchNamespace()
        defer { ns.destroy() }
        try ns.loadNft(RulesetFixtures.everyFamily)
        let dir = try TestEnvironment.temporaryDirectory("pcrd")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rules.json").path
        let r = try Subprocess.run([binary, "ruleset", "dump", "--netns", ns.name, "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        #expect(object?["schemaVersion"] as? Int == 1)
        let fromFile = try loadRuleset(.dumpFile(out))
        let live = try NetlinkRulesetReader().read(netns: ns.name)
        #expect(fromFile == live)
        let shown = try Subprocess.run([binary, "ruleset", "show", "--ruleset-file", out])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("ip saddr != 10.9.0.0/24 tcp dport 8443 reject with tcp reset # handle"))
    }

    @Test func malformedDumpFileExitsTwoWithOneLine() throws {
        let dir = try TestEnvironment.temporaryDirectory("pcrd")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"schemaVersion\": 1,\n \"ruleset\": {\n \"tables\": [,]}}".write(to: bad, atomically: true, encoding: .utf8)
        let r = try Subprocess.run([binary, "ruleset", "show", "--ruleset-file", bad.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("portcullis: error: \(bad.path):3: invalid JSON"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stdout.isEmpty)
    }

    /// Without CAP_NET_ADMIN the kernel refuses the dump: exit 4 and a line that names the capability.
    @Test func unprivilegedReadExitsFourNamingTheCapability() throws {
        let ns = try ScratchNamespace()
        defer { ns.destroy() }
        let r = try Subprocess.run(["ip", "netns", "exec", ns.name, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                    "--inh-caps=-all", "--bounding-set=-all", binary, "ruleset", "dump"])
        #expect(r.status == 4)
        #expect(r.stderr.hasPrefix("portcullis: error: permission denied"))
        #expect(r.stderr.contains("CAP_NET_ADMIN"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
