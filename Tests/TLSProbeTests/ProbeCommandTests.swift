import Foundation
import Testing
import TestSupport
@testable import TLSProbe

/// `portcullis probe` as a user runs it: exit codes, one-line errors, JSON on stdout.
@Suite("portcullis probe command",
       .enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ProbeCommandTests {
    static func run(_ args: [String]) throws -> Subprocess.Result {
        let binary = TestEnvironment.portcullisBinary.path
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build portcullis first: \(binary)")
        return try Subprocess.run([binary, "probe"] + args, timeout: 60)
    }

    @Test("bad HOST:PORT is a usage error (exit 2)", arguments: ["localhost", "::1:443", "host:99999", "[::1]"])
    func badTarget(target: String) throws {
        let r = try Self.run([target])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("invalid target"))
    }

    @Test("unreadable and malformed CA files are usage errors naming the file")
    func badCAFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-ca")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.pem").path
        let r1 = try Self.run(["127.0.0.1:1", "--ca-file", missing])
        #expect(r1.status == 2)
        #expect(r1.stderr.contains(missing) && r1.stderr.contains("No such file"))
        #expect(r1.stderr.split(separator: "\n").count == 1)

        let garbage = dir.appendingPathComponent("garbage.pem").path
        try "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let r2 = try Self.run(["127.0.0.1:1", "--ca-file", garbage])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains(garbage) && r2.stderr.contains("malformed"), "\(r2.stderr)")

        let empty = dir.appendingPathComponent("empty.pem").path
        try "just text\n".write(toFile: empty, atomically: true, encoding: .utf8)
        let r3 = try Self.run(["127.0.0.1:1", "--ca-file", empty])
        #expect(r3.status == 2)
        #expect(r3.stderr.contains("holds no PEM certificate"), "\(r3.stderr)")
    }

    @Test("unreachable endpoint exits 5 and still prints the result")
    func unreachable() throws {
        let port = try FreePort.pick(v6: true)
        let r = try Self.run(["[::1]:\(port)", "--format", "json", "--timeout", "1"])
        #expect(r.status == 5)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["reachable"] as? Bool == false)
        #expect(object?["tls"] as? Bool == false)
        #expect(r.stderr.contains("unreachable"))
    }

    @Test("several endpoints at once: a JSON array in argument order; one unreachable makes exit 5")
    func severalEndpoints() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.openssl(pki.goodEC, extra: ["-alpn", "http/1.1"]) }
        defer { server.stop() }
        let closed = try FreePort.pick(v6: false)
        let r = try Self.run(["127.0.0.1:\(closed)", "localhost:\(server.port)", "--sni", "localhost",
                              "--ca-file", pki.caBundle, "--format", "json", "--timeout", "2"])
        #expect(r.status == 5, "\(r.stderr)")
        let results = try JSONDecoder().decode([ProbeResult].self, from: Data(r.stdout.utf8))
        #expect(results.map(\.target.port) == [closed, server.port])
        #expect(results.map(\.reachable) == [false, true])
        #expect(results[1].tls && results[1].certificate?.trusted == true)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("127.0.0.1:\(closed) unreachable"))

        let both = try Self.run(["localhost:\(server.port)", "127.0.0.1:\(server.port)", "--sni", "localhost",
                                 "--ca-file", pki.caBundle, "--timeout", "2"])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.components(separatedBy: "Protocols").count == 3, "two text reports")
    }

    @Test("JSON against a real server: contract keys, exit 0; text output groups and marks")
    func json() async throws {
        let pki = try await TLSOffPool.run { try TLSCertificates.shared() }
        let server = try await TLSOffPool.run { try TLSTestServer.openssl(pki.goodEC, extra: ["-alpn", "http/1.1"]) }
        defer { server.stop() }
        let r = try Self.run(["localhost:\(server.port)", "--ca-file", pki.caBundle, "--format", "json", "--timeout", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try JSONDecoder().decode(ProbeResult.self, from: Data(r.stdout.utf8))
        #expect(result.schemaVersion == 1)
        #expect(result.tls)
        #expect(result.protocolSupported(.tls13) == true)
        #expect(result.certificate?.trusted == true)
        #expect(result.certificate?.keyType == "EC")
        #expect(result.certificate?.lifespanDays == 366, "issued from a day ago for 365 days")
        #expect(result.alpn == "http/1.1")
        #expect(result.handshakes > 1)

        let text = try Self.run(["localhost:\(server.port)", "--sni", "wrong.example.org", "--timeout", "2"])
        #expect(text.status == 0)
        for section in ["Protocols", "Cipher suites", "Certificate", "Features", "HTTP"] {
            #expect(text.stdout.contains(section), "missing \(section)")
        }
        #expect(text.stdout.contains("! name matches wrong.example.org: no"))
        #expect(text.stdout.contains("! trusted: no"))
    }
}
