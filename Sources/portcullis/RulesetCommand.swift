import ArgumentParser
import Audit
import FoundationEssentials
import Glibc
import NetlinkRuleset
import NftModel

/// `portcullis ruleset …`: offline workflow for the firewall reader.
struct RulesetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ruleset",
        abstract: "Read the nf_tables ruleset and save it for offline analysis.",
        subcommands: [Dump.self, Show.self]
    )

    /// `portcullis ruleset dump [--netns NAME] [--nft-script FILE] [--output FILE]`
    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dump",
            abstract: "Write the ruleset as Portcullis JSON ({\"schemaVersion\":1,\"ruleset\":…}) for `firewall --ruleset-file`.",
            discussion: """
            Reads the live ruleset over netlink (needs CAP_NET_ADMIN), or an nft script parsed by the \
            kernel inside a throwaway network namespace (needs root). Exit status: 0 written, \
            2 malformed or unreadable input file, 4 missing privilege or netlink failure, 6 output not writable.
            """
        )

        @Option(name: .long, help: "Read the ruleset of this network namespace (/run/netns/NAME or a path).")
        var netns: String?

        @Option(name: .customLong("nft-script"), help: "Load this nft script in a private network namespace and dump what the kernel made of it.")
        var nftScript: String?

        @Option(name: [.short, .long], help: "Write to FILE instead of standard output.")
        var output: String?

        @Flag(name: .long, help: "Indent the JSON.")
        var pretty = false

        func validate() throws {
            if netns != nil && nftScript != nil { throw ValidationError("--netns and --nft-script exclude each other") }
        }

        func run() throws {
            let source: RulesetSource = nftScript.map { .nftScript($0) } ?? .live(netns: netns)
            let ruleset: Ruleset
            do {
                ruleset = try loadRuleset(source)
            } catch {
                throw CommandFailure.report(error.description, exitCode: PortcullisExit.code(for: error))
            }
            let data: Data
            do {
                data = try RulesetDumpFile.encode(ruleset, pretty: pretty)
            } catch {
                throw CommandFailure.report("cannot encode the ruleset: \(error)", exitCode: PortcullisExit.ioFailure)
            }
            if let output {
                do throws(AtomicFileWriter.Failure) { try AtomicFileWriter.write(String(decoding: data, as: UTF8.self), to: output) } catch {
                    throw CommandFailure.report("\(error)", exitCode: PortcullisExit.ioFailure)
                }
            } else {
                StandardStreams.out(data)
                StandardStreams.out("\n")
            }
            for t in ruleset.legacyIptablesTables {
                Diagnostics.warning("iptables-legacy table \(t) exists and is invisible to nf_tables")
            }
        }
    }
}

extension RulesetCommand {
    /// `portcullis ruleset show [--netns NAME | --ruleset-file FILE | --nft-script FILE]`: the ruleset
    /// as Portcullis understood it, in nft syntax (what traces will quote).
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the ruleset as Portcullis read it, in nft syntax with rule handles."
        )
        @Option(name: .long, help: "Read the ruleset of this network namespace.")
        var netns: String?
        @Option(name: .customLong("ruleset-file"), help: "Read a ruleset dump written by `ruleset dump`.")
        var rulesetFile: String?
        @Option(name: .customLong("nft-script"), help: "Load this nft script in a private network namespace.")
        var nftScript: String?
        @Flag(name: .long, help: "Print only counts (tables, chains, rules, sets, elements) and warnings.")
        var summary = false

        func validate() throws {
            if [netns, rulesetFile, nftScript].compactMap({ $0 }).count > 1 {
                throw ValidationError("use only one of --netns, --ruleset-file, --nft-script")
            }
        }

        func run() throws {
            let source: RulesetSource = rulesetFile.map { .dumpFile($0) } ?? nftScript.map { .nftScript($0) } ?? .live(netns: netns)
            let ruleset: Ruleset
            do { ruleset = try loadRuleset(source) } catch {
                throw CommandFailure.report(error.description, exitCode: PortcullisExit.code(for: error))
            }
            if summary {
                let chains = ruleset.tables.flatMap(\.chains)
                let sets = ruleset.tables.flatMap(\.sets)
                print("tables \(ruleset.tables.count) chains \(chains.count) rules \(chains.reduce(0) { $0 + $1.rules.count })"
                      + " sets \(sets.count) elements \(sets.reduce(0) { $0 + $1.elements.count })"
                      + " generation \(ruleset.generation.map(String.init) ?? "-")")
                for t in ruleset.legacyIptablesTables { print("iptables-legacy table: \(t)") }
                for w in ruleset.readerWarnings { print("warning: \(w)") }
            } else {
                print(RulesetText.render(ruleset), terminator: "")
            }
        }
    }
}
