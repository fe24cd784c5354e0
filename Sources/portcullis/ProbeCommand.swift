import ArgumentParser
import Foundation
import TLSProbe

/// `portcullis probe HOST:PORT`: what one endpoint speaks (protocols, suites, certificate, HTTP).
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe one endpoint: TLS protocols, cipher suites, certificate, ALPN, HSTS.",
        discussion: """
        Exit status: 0 answered (whatever the findings), 2 usage error (bad HOST:PORT, unreadable \
        or malformed CA file), 5 the endpoint could not be reached.
        """
    )

    @Argument(help: "HOST:PORT; IPv6 literals in brackets, e.g. [::1]:443.")
    var target: String

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
            FileHandle.standardError.write(Data("portcullis probe: \(message)\n".utf8))
            return PortcullisExit.usage
        }
        guard Endpoint.parse(target) != nil else {
            throw usage("invalid target '\(target)': expected HOST:PORT or [IPv6]:PORT")
        }
        guard timeout > 0, timeout <= 300 else { throw usage("--timeout must be in (0, 300] seconds") }
        guard delay >= 0, delay <= 60 else { throw usage("--delay must be in [0, 60] seconds") }
        guard (1...64).contains(concurrency) else { throw usage("--concurrency must be in 1...64") }
        guard deadline > 0 else { throw usage("--deadline must be positive") }
    }

    func run() async throws {
        let endpoint = Endpoint.parse(target, sni: sni)!
        if let caFile {
            do { _ = try CAFile.validate(path: caFile) } catch {
                FileHandle.standardError.write(Data("portcullis probe: \(error.description)\n".utf8))
                throw PortcullisExit.usage
            }
        }
        let prober = TLSProber(options: ProbeOptions(timeout: timeout, delay: delay, concurrency: concurrency,
                                                     deadline: deadline, caFile: caFile))
        let result = await prober.probe(endpoint)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(result)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .text:
            FileHandle.standardOutput.write(Data(ProbeTextRenderer.render(result).utf8))
        }
        if !result.reachable {
            FileHandle.standardError.write(Data("portcullis probe: \(endpoint.display) unreachable\n".utf8))
            throw PortcullisExit.unreachable
        }
    }
}
