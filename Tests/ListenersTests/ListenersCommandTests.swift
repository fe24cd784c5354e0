import Testing
import Foundation
import TestSupport

/// `portcullis listeners` end to end: the JSON contract, the text table, exit codes, and what an
/// unprivileged run still shows.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ListenersCommandTests {
    static var binary: String { TestEnvironment.portcullisBinary.path }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonContractAndTextTable() throws {
        let ns = TestEnvironment.uniqueName("lsc")
        try Subprocess.check(["ip", "netns", "add", ns])
        defer { _ = try? Subprocess.run(["ip", "netns", "del", ns], timeout: 10) }
        try Subprocess.check(["ip", "-n", ns, "link", "set", "lo", "up"])
        let fds = [
            try NetnsSockets.listen(namespace: ns, v6: true, port: 443),
            try NetnsSockets.listen(namespace: ns, v6: false, port: 8080, address: "127.0.0.1"),
            try NetnsSockets.listen(namespace: ns, v6: false, port: 5353, udp: true),
        ]
        defer { fds.forEach { close($0) } }

        let r = try Subprocess.run([Self.binary, "listeners", "--netns", ns, "--format", "json"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try Self.json(r.stdout)
        #expect(doc["schemaVersion"] as? Int == 1)
        let listeners = try #require(doc["listeners"] as? [[String: Any]])
        #expect(listeners.count == 3)
        for l in listeners {
            for key in ["protocol", "address", "port", "family", "v6only", "inode", "uid", "processes", "binding", "exposure"] {
                #expect(l[key] != nil, "missing \(key) in \(l)")
            }
            let processes = try #require(l["processes"] as? [[String: Any]])
            #expect(processes.map { $0["pid"] as? Int } == [Int(getpid())])
            for p in processes {
                for key in ["pid", "name", "cmdline", "unit"] { #expect(p.keys.contains(key), "missing \(key) in \(p)") }
            }
            let exposure = try #require(l["exposure"] as? [String: [String: Any]])
            for v in ["ipv4", "ipv6"] {
                let f = try #require(exposure[v])
                #expect(f["verdict"] is String && f["acceptedFrom"] is [Any], "\(f)")
            }
        }
        let https = try #require(listeners.first { $0["port"] as? Int == 443 })
        #expect(https["protocol"] as? String == "tcp")
        #expect(https["family"] as? String == "ipv6")
        #expect(https["v6only"] as? Bool == true)
        #expect(https["binding"] as? String == "wildcard")
        #expect((https["exposure"] as? [String: [String: Any]])?["ipv4"]?["verdict"] as? String == "notExposed")
        let loop = try #require(listeners.first { $0["port"] as? Int == 8080 })
        #expect(loop["binding"] as? String == "loopback")
        for v in ["ipv4", "ipv6"] {
            #expect((loop["exposure"] as? [String: [String: Any]])?[v]?["verdict"] as? String == "notExposed")
        }
        let dns = try #require(listeners.first { $0["port"] as? Int == 5353 })
        #expect(dns["protocol"] as? String == "udp")

        let udpOnly = try Self.json(try Subprocess.check([Self.binary, "listeners", "--netns", ns, "--format", "json", "--protocol", "udp"]).stdout)
        #expect((udpOnly["listeners"] as? [[String: Any]])?.map { $0["port"] as? Int } == [5353])

        let text = try Subprocess.check([Self.binary, "listeners", "--netns", ns]).stdout
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("PROTO") == true && lines.first?.contains("EXPOSURE") == true)
        #expect(lines.contains { $0.hasPrefix("tcp6") && $0.contains("[::]:443") && $0.contains("(\(getpid()))") })
        #expect(lines.contains { $0.contains("127.0.0.1:8080") && $0.contains("not exposed (loopback)") })
        #expect(lines.contains { $0.hasPrefix("udp ") && $0.contains("0.0.0.0:5353") })
        // Columns are aligned: the address column starts at the same offset on every line.
        let offsets = Set(lines.map { line in line.distance(from: line.startIndex, to: line.firstIndex(of: " ").map { i in line[i...].firstIndex { $0 != " " } ?? i } ?? line.startIndex) })
        #expect(offsets.count == 1, "\(text)")
    }

    @Test func badProtocolIsAUsageError() throws {
        let r = try Subprocess.run([Self.binary, "listeners", "--protocol", "sctp"], timeout: 30)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("--protocol"))
    }

    @Test func namespaceThatCannotBeEnteredExitsFour() throws {
        let r = try Subprocess.run([Self.binary, "listeners", "--netns", "pc-missing-\(getpid())"], timeout: 30)
        #expect(r.status == 4)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("not found"), "\(r.stderr)")
    }

    @Test func withoutPrivilegesListsWhatItCanAndSaysWhatIsMissing() throws {
        let ns = TestEnvironment.uniqueName("lsu")
        try Subprocess.check(["ip", "netns", "add", ns])
        defer { _ = try? Subprocess.run(["ip", "netns", "del", ns], timeout: 10) }
        try Subprocess.check(["ip", "-n", ns, "link", "set", "lo", "up"])
        let fd = try NetnsSockets.listen(namespace: ns, v6: false, port: 443)
        defer { close(fd) }
        let drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]

        // Inside the namespace as nobody: the socket is listed, its (root) owner is not visible.
        let r = try Subprocess.run(["ip", "netns", "exec", ns] + drop + [Self.binary, "listeners", "--format", "json"], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        let listeners = try #require(try Self.json(r.stdout)["listeners"] as? [[String: Any]])
        #expect(listeners.count == 1)
        #expect((listeners.first?["processes"] as? [Any])?.isEmpty == true)
        #expect(listeners.first?["port"] as? Int == 443)
        #expect(r.stderr.contains("not visible without root"), "\(r.stderr)")
        let v4 = (listeners.first?["exposure"] as? [String: [String: Any]])?["ipv4"]
        #expect(v4?["verdict"] as? String == "undetermined")
        #expect((v4?["reason"] as? String)?.isEmpty == false)

        // Entering a namespace needs root: one line, exit 4.
        let denied = try Subprocess.run(drop + [Self.binary, "listeners", "--netns", ns], timeout: 30)
        #expect(denied.status == 4)
        #expect(denied.stderr.split(separator: "\n").count == 1, "\(denied.stderr)")
    }
}
