import Foundation
import Testing
import TestSupport

/// `portcullis firewall` end to end: the real binary against a ruleset in a test namespace.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct FirewallCommandTests {
    var binary: String { TestEnvironment.portcullisBinary.path }

    @Test func answersForANamespaceInJSONAndText() throws {
        let pair = try NamespacePair(prefix: "fc")
        defer { pair.destroy() }
        try pair.loadNft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            ct state established,related accept
            meta l4proto ipv6-icmp accept
            ip saddr 10.77.1.0/24 tcp dport 443 accept
          }
        }
        """)
        let summary = try Subprocess.run([binary, "firewall", "--netns", pair.server, "--format", "json"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        #expect(json["schemaVersion"] as? Int == 1)
        #expect((json["ipv4"] as? [String: Any])?["acceptedFrom"] as? [String] == ["10.77.1.0/24"])
        #expect((json["ipv6"] as? [String: Any])?["verdict"] as? String == "drop")

        let flow = try Subprocess.run([binary, "firewall", "--netns", pair.server, "--source", "10.77.2.9",
                                       "--interface", "eth0", "--format", "json"])
        #expect(flow.status == 0)
        let f = try #require(try JSONSerialization.jsonObject(with: Data(flow.stdout.utf8)) as? [String: Any])
        #expect(f["verdict"] as? String == "drop")

        let text = try Subprocess.run([binary, "firewall", "--netns", pair.server])
        #expect(text.stdout.hasPrefix("ipv4: conditional from 10.77.1.0/24"))
    }

    @Test func usageAndReadErrorsHaveDocumentedExitCodes() throws {
        #expect(try Subprocess.run([binary, "firewall", "--source", "not-an-address"]).status == 2)
        #expect(try Subprocess.run([binary, "firewall", "--port", "70000"]).status == 2)
        #expect(try Subprocess.run([binary, "firewall", "--format", "yaml"]).status == 2)
        #expect(try Subprocess.run([binary, "firewall", "--netns", "x", "--nft-file", "y"]).status == 2)
        let missing = try Subprocess.run([binary, "firewall", "--ruleset-file", "/nonexistent/dump.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let noNamespace = try Subprocess.run([binary, "firewall", "--netns", "pc-no-such-namespace"])
        #expect(noNamespace.status == 4)
        #expect(noNamespace.stderr.contains("pc-no-such-namespace"))
    }
}
