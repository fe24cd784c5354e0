import ArgumentParser
import Testing
@testable import portcullis

/// `ProbeRequest(quickParsing:)` skips ArgumentParser for the plain command lines a probe is
/// usually given; it must read them exactly as `ProbeCommand` does, and leave everything else
/// (help, errors, unusual forms) to ArgumentParser.
@Suite("probe's quick argument parser")
struct ProbeQuickParsingTests {
    static let plain: [[String]] = [
        ["127.0.0.1:443"],
        ["[::1]:8443", "example.test:443", "10.0.0.1:1"],
        ["127.0.0.1:443", "--sni", "www.example.test", "--ca-file", "/tmp/x.pem", "--format", "json"],
        ["--format=json", "127.0.0.1:443", "--timeout=2.5", "--delay", "0.1"],
        ["127.0.0.1:443", "--concurrency", "3", "--deadline", "90", "host:1"],
        ["127.0.0.1:443", "--timeout", "1e1", "--format", "text"],
    ]

    @Test("plain command lines parse as ProbeCommand parses them", arguments: plain)
    func sameAsArgumentParser(arguments: [String]) throws {
        let quick = try #require(ProbeRequest(quickParsing: arguments))
        let command = try ProbeCommand.parse(arguments)
        #expect(quick == command.request)
    }

    static let leftToArgumentParser: [[String]] = [
        [],
        ["--help"],
        ["-h"],
        ["127.0.0.1:443", "--format", "xml"],
        ["127.0.0.1:443", "--timeout", "soon"],
        ["127.0.0.1:443", "--concurrency", "2.5"],
        ["127.0.0.1:443", "--timeout"],
        ["127.0.0.1:443", "--timeout", "-1"],
        ["127.0.0.1:443", "--sni", "a", "--sni", "b"],
        ["127.0.0.1:443", "--no-such-option", "1"],
        ["--", "127.0.0.1:443"],
        ["-", "127.0.0.1:443"],
        ["--sni=", "127.0.0.1:443"],
    ]

    @Test("anything else is left to ArgumentParser", arguments: leftToArgumentParser)
    func fallsBack(arguments: [String]) {
        #expect(ProbeRequest(quickParsing: arguments) == nil)
    }

    @Test("defaults are ProbeCommand's")
    func defaults() throws {
        let quick = try #require(ProbeRequest(quickParsing: ["h:1"]))
        #expect(quick == (try ProbeCommand.parse(["h:1"])).request)
        #expect(quick.timeout == 5 && quick.delay == 0 && quick.concurrency == 8 && quick.deadline == 60 && quick.format == .text)
    }
}
