import ArgumentParser
import FoundationEssentials
import Glibc
import TLSProbe

extension Portcullis {
    /// Usage errors exit with 2 (PortcullisExit.usage), the documented status, instead of
    /// ArgumentParser's default 64, with the one-line `portcullis: error: …` every command uses;
    /// everything else (help, version, command failures) is unchanged.
    static func main() async {
        // The TLS commands warm libssl up on another core while the arguments are parsed.
        if let command = CommandLine.arguments.dropFirst().first, command == "probe" || command == "audit" {
            TLSWarmUp.start()
        }
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "probe", let request = ProbeRequest(quickParsing: arguments.dropFirst()) {
            await runQuickly(request)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Diagnostics.error(message(for: error) + " (see --help)")
                Glibc.exit(PortcullisExit.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// `probe` parsed by `ProbeRequest(quickParsing:)`: the same validation, run and exit codes
    /// as through `ProbeCommand`, without ArgumentParser's start-up cost.
    private static func runQuickly(_ request: ProbeRequest) async -> Never {
        if let problem = request.usageProblem() {
            Diagnostics.error(problem)
            Glibc.exit(PortcullisExit.usage.rawValue)
        }
        do {
            try await request.run()
            Glibc.exit(PortcullisExit.ok.rawValue)
        } catch {
            Glibc.exit(error.exitCode.rawValue)
        }
    }
}
