import ArgumentParser

/// `portcullis`: is inbound HTTPS open, what is listening, what does every endpoint speak, and
/// does it meet policy?
@main
struct Portcullis: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portcullis",
        abstract: "Audit inbound HTTPS on a Linux host: firewall, listeners, TLS and policy.",
        version: "0.1.0",
        subcommands: [AuditCommand.self, FirewallCommand.self, ListenersCommand.self, ProbeCommand.self, ApplyCommand.self, PolicyCommand.self, RulesetCommand.self]
    )
}
