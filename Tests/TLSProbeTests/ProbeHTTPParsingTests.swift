import Foundation
import Testing
@testable import TLSProbe

@Suite("HSTS header parsing")
struct ProbeHSTSParsingTests {
    @Test("full policy, any case and spacing")
    func full() {
        #expect(HSTSParser.parse("max-age=63072000; includeSubDomains; preload")
                == .policy(HSTSPolicy(maxAge: 63_072_000, includeSubDomains: true, preload: true)))
        #expect(HSTSParser.parse("  MAX-AGE = \"31536000\" ;INCLUDESUBDOMAINS")
                == .policy(HSTSPolicy(maxAge: 31_536_000, includeSubDomains: true, preload: false)))
        #expect(HSTSParser.parse("max-age=0") == .policy(HSTSPolicy(maxAge: 0, includeSubDomains: false, preload: false)))
    }

    @Test("unknown directives are ignored, empty ones skipped")
    func unknown() {
        #expect(HSTSParser.parse("max-age=10;; foo=bar; baz") == .policy(HSTSPolicy(maxAge: 10, includeSubDomains: false, preload: false)))
    }

    @Test("malformed headers are reported with the reason", arguments: [
        ("includeSubDomains", "max-age missing"),
        ("max-age=abc", "max-age needs a number"),
        ("max-age=", "max-age needs a number"),
        ("max-age=-5", "max-age needs a number"),
        ("max-age=1; max-age=2", "repeated"),
        ("max-age=\"10", "unterminated"),
        ("max-age=10; preload=yes", "preload takes no value"),
        ("max-age=10; includeSubDomains=1", "includeSubDomains takes no value"),
        ("max age=10", "invalid directive"),
        ("", "max-age missing"),
    ])
    func malformed(header: String, reason: String) {
        guard case .malformed(let why) = HSTSParser.parse(header) else {
            Issue.record("'\(header)' should be malformed")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test("first header wins when sent twice; absent when missing")
    func fromHead() throws {
        let head = try HTTPResponseHead.parse(Array("HTTP/1.1 200 OK\r\nstrict-transport-security: max-age=5\r\nStrict-Transport-Security: max-age=9\r\n\r\n".utf8))
        #expect(HSTSParser.finding(in: head) == .policy(HSTSPolicy(maxAge: 5, includeSubDomains: false, preload: false)))
        let none = try HTTPResponseHead.parse(Array("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n".utf8))
        #expect(HSTSParser.finding(in: none) == .absent)
    }
}

@Suite("HTTP response head parsing")
struct ProbeHTTPHeadTests {
    @Test("status line, headers, body ignored")
    func basic() throws {
        let head = try HTTPResponseHead.parse(Array("HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.test/\r\nX: a: b\r\n\r\nbody".utf8))
        #expect(head.status == 301)
        #expect(head.reason == "Moved Permanently")
        #expect(head.values("location") == ["https://example.test/"])
        #expect(head.values("X") == ["a: b"])
        #expect(head.isRedirectToHTTPS)
    }

    @Test("bare LF line endings and HTTP/1.0")
    func bareLF() throws {
        let head = try HTTPResponseHead.parse(Array("HTTP/1.0 200 ok\nContent-type: text/html\n\n<pre>".utf8))
        #expect(head.status == 200)
        #expect(head.values("content-type") == ["text/html"])
    }

    @Test("redirects to http or without Location are not https redirects")
    func redirects() throws {
        #expect(try !HTTPResponseHead.parse(Array("HTTP/1.1 302 Found\r\nLocation: http://x/\r\n\r\n".utf8)).isRedirectToHTTPS)
        #expect(try !HTTPResponseHead.parse(Array("HTTP/1.1 301 Moved\r\n\r\n".utf8)).isRedirectToHTTPS)
        #expect(try !HTTPResponseHead.parse(Array("HTTP/1.1 200 OK\r\nLocation: https://x/\r\n\r\n".utf8)).isRedirectToHTTPS)
        #expect(try HTTPResponseHead.parse(Array("HTTP/1.1 308 P\r\nlocation: HTTPS://x/\r\n\r\n".utf8)).isRedirectToHTTPS)
    }

    @Test("errors: not HTTP, incomplete, bad status, bad header")
    func errors() {
        #expect(throws: HTTPResponseHead.ParseError.notHTTP("SSH-2.0-x")) { try HTTPResponseHead.parse(Array("SSH-2.0-x".utf8)) }
        #expect(throws: HTTPResponseHead.ParseError.incomplete) { try HTTPResponseHead.parse(Array("HTTP/1.1 200 OK\r\nA: b\r\n".utf8)) }
        #expect(throws: HTTPResponseHead.ParseError.malformedStatusLine("HTTP/1.1 2000 OK")) { try HTTPResponseHead.parse(Array("HTTP/1.1 2000 OK\r\n\r\n".utf8)) }
        #expect(throws: HTTPResponseHead.ParseError.malformedHeader("no colon here")) { try HTTPResponseHead.parse(Array("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n".utf8)) }
    }

    @Test("binary garbage never crashes the parser")
    func garbage() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let prefix = Bool.random(using: &rng) ? Array("HTTP/1.1 ".utf8) : []
            let bytes = prefix + (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? HTTPResponseHead.parse(bytes)
            _ = CleartextOutcome.classify(bytes)
        }
    }
}

@Suite("Banner classification and cleartext outcomes")
struct ProbeBannerTests {
    @Test("known services", arguments: [
        ("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", "ssh"),
        ("220 mail.example.org ESMTP Postfix\r\n", "smtp"),
        ("220 (vsFTPd 3.0.3)\r\n", "ftp"),
        ("220 service ready\r\n", "smtp-or-ftp"),
        ("220 ProFTPD Server ready\r\n", "ftp"),
        ("+OK Dovecot ready.\r\n", "pop3"),
        ("* OK [CAPABILITY IMAP4rev1] ready\r\n", "imap"),
        ("-ERR unknown command 'GET'\r\n", "redis"),
        ("\u{1}\u{2}garbage", "unknown"),
        ("", "silent"),
    ])
    func kinds(banner: String, kind: String) {
        #expect(BannerClassifier.classify(Array(banner.utf8)).kind == kind)
    }

    @Test("banner text is printable and bounded")
    func bounded() {
        let b = BannerClassifier.classify([0x53, 0x53, 0x48, 0x2D, 0x00, 0xFF] + Array(repeating: 0x41, count: 500))
        #expect(b.kind == "ssh")
        #expect(b.text.count == 120)
        #expect(b.text.hasPrefix("SSH-.."))
    }

    @Test("cleartext HTTP: redirect to https vs content")
    func cleartext() {
        let redirect = CleartextOutcome.classify(Array("HTTP/1.1 301 Moved Permanently\r\nLocation: https://localhost/\r\n\r\n".utf8))
        #expect(redirect.plaintextHttp == .redirect)
        #expect(redirect.location == "https://localhost/")
        let content = CleartextOutcome.classify(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".utf8))
        #expect(content.plaintextHttp == .content)
        #expect(content.status == 200)
        let ssh = CleartextOutcome.classify(Array("SSH-2.0-x\r\n".utf8))
        #expect(ssh.plaintextHttp == nil)
        #expect(ssh.banner?.kind == "ssh")
    }
}

@Suite("Endpoint parsing")
struct ProbeEndpointTests {
    @Test("valid targets")
    func valid() {
        #expect(Endpoint.parse("example.org:443") == Endpoint(host: "example.org", port: 443))
        #expect(Endpoint.parse("127.0.0.1:8443") == Endpoint(host: "127.0.0.1", port: 8443))
        #expect(Endpoint.parse("[::1]:443") == Endpoint(host: "::1", port: 443))
        #expect(Endpoint.parse("[fd00::1]:1", sni: "a.test")?.sni == "a.test")
    }

    @Test("invalid targets", arguments: ["example.org", "::1:443", "[::1]443", "[::1]", "host:0", "host:70000", ":443", "a b:1", "[]:1", "host:-1", "[1.2.3.4]:5"])
    func invalid(text: String) {
        #expect(Endpoint.parse(text) == nil)
    }

    @Test("SNI: names are sent, IP literals are not; the expected name follows SNI")
    func sni() {
        #expect(Endpoint(host: "localhost", port: 1).serverNameToSend == "localhost")
        #expect(Endpoint(host: "127.0.0.1", port: 1).serverNameToSend == nil)
        #expect(Endpoint(host: "::1", port: 1).serverNameToSend == nil)
        #expect(Endpoint(host: "[fd77:1::1]", port: 1).serverNameToSend == nil)
        #expect(Endpoint(host: "www.example.org", port: 1, sni: "").serverNameToSend == "www.example.org")
        #expect(Endpoint(host: "::1", port: 443).description == "[::1]:443")
        #expect(Endpoint(host: "::1", port: 1, sni: "x.test").expectedName == "x.test")
        #expect(Endpoint(host: "::1", port: 443).display == "[::1]:443")
    }
}

@Suite("JSON contract")
struct ProbeJSONContractTests {
    @Test("every contract key is present, unknowns are null, checks carry status and reason")
    func keys() throws {
        var r = ProbeResult(target: .init(host: "::1", port: 443, sni: nil))
        r.checks["handshake"] = .error("timed out")
        r.checks["connect"] = .completed
        let data = Data(r.json.serialized().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["schemaVersion", "tls", "plaintextHttp", "protocols", "cipherSuites", "serverOrder", "groups", "dhBits",
                    "certificate", "alpn", "hsts", "checks", "handshakes", "secureRenegotiation", "compression",
                    "fallbackScsv", "ocspStapling", "httpStatus", "banner", "target"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["plaintextHttp"] is NSNull)
        #expect(object["hsts"] is NSNull)
        let protocols = try #require(object["protocols"] as? [String: Any])
        #expect(Set(protocols.keys) == ["ssl2", "ssl3", "tls1.0", "tls1.1", "tls1.2", "tls1.3"])
        let checks = try #require(object["checks"] as? [String: [String: String]])
        #expect(checks["handshake"] == ["status": "error", "reason": "timed out"])
        #expect(checks["connect"] == ["status": "completed"])
        let back = try JSONDecoder().decode(ProbeResult.self, from: data)
        #expect(back == r)
    }
}
