import ArgumentParser
import TLSProbe

/// `portcullis`: is inbound HTTPS open, what is listening, what does every endpoint speak, and
/// does it meet policy?
@main
struct Portcullis: AsyncParsableCommand {
    /// The version reports carry (`--version` adds the OpenSSL inside the binary).
    static let toolVersion = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "Audit inbound HTTPS on a Linux host: firewall, listeners, TLS and policy.",
        version: "\(toolVersion) (\(LinkedOpenSSL.version), linked in)",
        subcommands: [AuditCommand.self, FirewallCommand.self, ListenersCommand.self, ProbeCommand.self, ApplyCommand.self, PolicyCommand.self, RulesetCommand.self]
    )
}
