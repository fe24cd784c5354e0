import ArgumentParser
import FoundationEssentials
import Glibc
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
    var timeout: Double = ProbeRequest.Defaults.timeout

    @Option(help: "Pause between starting two connections (rate-limited servers), seconds.")
    var delay: Double = ProbeRequest.Defaults.delay

    @Option(help: "Connections open at once.")
    var concurrency: Int = ProbeRequest.Defaults.concurrency

    @Option(help: "Give up on the whole probe after this many seconds (partial results are reported).")
    var deadline: Double = ProbeRequest.Defaults.deadline

    @Option(help: "Output format: text or json.")
    var format: ProbeRequest.OutputFormat = ProbeRequest.Defaults.format

    var request: ProbeRequest {
        ProbeRequest(targets: targets, sni: sni, caFile: caFile, timeout: timeout, delay: delay,
                     concurrency: concurrency, deadline: deadline, format: format)
    }

    /// Usage errors exit 2 (ExitCodes.swift) with one line naming what is wrong.
    func validate() throws {
        if let problem = request.usageProblem() {
            Diagnostics.error(problem)
            throw PortcullisExit.usage
        }
    }

    func run() async throws {
        do { try await request.run() } catch { throw error.exitCode }
    }
}

extension ProbeRequest.OutputFormat: ExpressibleByArgument {}

extension ProbeRunFailure {
    var exitCode: ExitCode {
        switch self {
        case .usage: PortcullisExit.usage
        case .unreachable: PortcullisExit.unreachable
        }
    }
}
