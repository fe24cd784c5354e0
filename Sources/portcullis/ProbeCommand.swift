import ArgumentParser
import Foundation
import TLSProbe

/// `portcullis probe HOST:PORT…`: what endpoints speak (protocols, suites, certificate, HTTP).
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe endpoints: TLS protocols, cipher suites, certificate, ALPN, HSTS.",
        discussion: """
        Several endpoints are probed at once (four at a time, each with its own --concurrency \
        connections). JSON: one endpoint prints one result object; several print an array of \
        them, in the order given.

        Exit status: 0 answered (whatever the findings), 2 usage error (bad HOST:PORT, unreadable \
        or malformed CA file), 5 an endpoint could not be reached.
        """
    )

    @Argument(help: "HOST:PORT, one or more; IPv6 literals in brackets, e.g. [::1]:443.")
    var targets: [String]

    @Option(help: "Server name to send (SNI) and to check the certificate against.")
    var sni: String?

    @Option(name: .customLong("ca-file"), help: "Extra trust anchors (and intermediates), PEM.")
    var caFile: String?

    @Option(help: "Per-connection timeout, seconds.")
    var timeout: Double = 5

    @Option(help: "Pause between starting two connections (rate-limited servers), seconds.")
    var delay: Double = 0

    @Option(help: "Connections open at once.")
    var concurrency: Int = 8

    @Option(help: "Give up on the whole probe after this many seconds (partial results are reported).")
    var deadline: Double = 60

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    /// Usage errors exit 2 (ExitCodes.swift) with one line naming what is wrong.
    func validate() throws {
        func usage(_ message: String) -> ExitCode {
            Diagnostics.error("\(message)")
            return PortcullisExit.usage
        }
        guard !targets.isEmpty else { throw usage("missing HOST:PORT") }
        for target in targets where Endpoint.parse(target) == nil {
            throw usage("invalid target '\(target)': expected HOST:PORT or [IPv6]:PORT")
        }
        guard timeout > 0, timeout <= 300 else { throw usage("--timeout must be in (0, 300] seconds") }
        guard delay >= 0, delay <= 60 else { throw usage("--delay must be in [0, 60] seconds") }
        guard (1...64).contains(concurrency) else { throw usage("--concurrency must be in 1...64") }
        guard deadline > 0 else { throw usage("--deadline must be positive") }
    }

    func run() async throws {
        let endpoints = targets.map { Endpoint.parse($0, sni: sni)! }
        if let caFile {
            do { _ = try CAFile.validate(path: caFile) } catch {
                Diagnostics.error("\(error.description)")
                throw PortcullisExit.usage
            }
        }
        let prober = TLSProber(options: ProbeOptions(timeout: timeout, delay: delay, concurrency: concurrency,
                                                     deadline: deadline, caFile: caFile))
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (i, endpoint) in endpoints.enumerated() {
                group.addTask { (i, await prober.probe(endpoint)) }
            }
            var collected = [ProbeResult?](repeating: nil, count: endpoints.count)
            for await (i, result) in group { collected[i] = result }
            return collected.map { $0! }
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = results.count == 1 ? try encoder.encode(results[0]) : try encoder.encode(results)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .text:
            FileHandle.standardOutput.write(Data(results.map(ProbeTextRenderer.render).joined(separator: "\n").utf8))
        }
        let unreachable = zip(endpoints, results).filter { !$0.1.reachable }.map(\.0)
        for endpoint in unreachable {
            Diagnostics.error("\(endpoint.display) unreachable")
        }
        if !unreachable.isEmpty { throw PortcullisExit.unreachable }
    }
}
