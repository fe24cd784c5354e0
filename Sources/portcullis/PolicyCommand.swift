import ArgumentParser
import FoundationEssentials
import Glibc
import Policy
import Audit

/// `portcullis policy list | show NAME | check FILE | checks`: the policy language's tooling.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "List, show and check audit policies.",
        discussion: """
        Policies are YAML (language reference: policies/README.md). Built-in: default, \
        mozilla-intermediate, mozilla-modern, pci-dss-4. Exit status: 0 ok, 2 unknown policy or a \
        malformed policy file (FILE:LINE:COLUMN: what was expected).
        """,
        subcommands: [List.self, Show.self, Check.self, Checks.self]
    )

    static func load(_ reference: String) throws -> ResolvedPolicy {
        do { return try PolicyFiles.loader.load(reference) } catch {
            Diagnostics.error("\(error.description)")
            throw PortcullisExit.usage
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the built-in policies.")
        func run() throws {
            for name in BuiltinPolicies.names {
                let p = try PolicyCommand.load(name)
                let d = p.metadata.description
                var summary = d.firstRange(of: ": ").map { String(d[..<$0.lowerBound]) } ?? d
                if summary.count > 70 { summary = String(summary.prefix(69)) + "…" }
                print("\(TableText.column(name, 22)) \(p.enabledRules.count) rules  \(summary)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a policy's effective rules (after extends), or its YAML with --yaml.")
        @Argument(help: "Built-in policy name or policy file.") var policy: String
        @Flag(help: "Print the policy's YAML text instead.") var yaml = false

        func run() throws {
            if yaml {
                if let text = BuiltinPolicies.all[policy], !PolicyLoader.isPath(policy) { print(text); return }
                _ = try PolicyCommand.load(policy)
                print((try? String(contentsOfFile: policy, encoding: .utf8)) ?? "")
                return
            }
            let p = try PolicyCommand.load(policy)
            print("policy \(p.metadata.name) (\(p.origin))")
            if !p.metadata.description.isEmpty { print("  \(p.metadata.description)") }
            for s in p.metadata.source { print("  source: \(s)") }
            if p.chain.count > 1 { print("  extends: \(p.chain.dropLast().joined(separator: " → "))") }
            print("")
            for r in p.rules {
                print("\(r.enabled ? "" : "(disabled) ")\(r.id)  [\(r.severity.rawValue)] \(r.title)")
                print("    check: \(r.check.rawValue)" + (r.params.values.isEmpty ? "" : "  " + r.params.values.keys.sorted().map { "\($0)=\(r.params.values[$0]!)" }.joined(separator: " ")))
                if !r.scope.isEmpty { print("    scope: \(describe(r.scope))") }
                print("    defined at \(r.location)")
            }
            for w in p.waivers { print("waiver: \(w.rule) until \(w.expires)\(w.scope.isEmpty ? "" : " for " + describe(w.scope)): \(w.reason)") }
            for t in p.targets { print("target: \(t.host):\(t.port)\(t.sni.map { " sni=\($0)" } ?? "")") }
        }

        func describe(_ s: Scope) -> String {
            var parts: [String] = []
            if !s.ports.isEmpty { parts.append("ports " + s.ports.map(\.description).joined(separator: ",")) }
            if !s.addresses.isEmpty { parts.append("addresses " + s.addresses.map(\.description).joined(separator: ",")) }
            if !s.hosts.isEmpty { parts.append("hosts " + s.hosts.joined(separator: ",")) }
            if !s.interfaces.isEmpty { parts.append("interfaces " + s.interfaces.joined(separator: ",")) }
            if !s.processes.isEmpty { parts.append("processes " + s.processes.joined(separator: ",")) }
            if let e = s.exposed { parts.append(e ? "exposed" : "not exposed") }
            return parts.joined(separator: "; ")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check", abstract: "Check a policy file: syntax, keys, types, check parameters, extends, waivers.")
        @Argument(help: "Policy file (or built-in name).") var file: String

        func run() throws {
            let p = try PolicyCommand.load(file)
            let expired = p.waivers.filter { $0.isExpired(at: Date()) }
            print("\(file): ok — policy \(p.metadata.name), \(p.enabledRules.count) rules enabled (\(p.rules.count) defined), \(p.waivers.count) waivers\(expired.isEmpty ? "" : ", \(expired.count) expired")")
            for w in expired {
                StandardStreams.err("\(w.location): warning: waiver for \(w.rule) expired on \(w.expires)\n")
            }
        }
    }

    struct Checks: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "checks", abstract: "List the check kinds a rule can use, with their parameters.")
        func run() throws {
            for k in CheckKind.allCases {
                print("\(k.rawValue)  — \(k.summary)")
                for p in k.parameters {
                    print("    \(p.name): \(p.type.expectation)" + (p.defaultValue.map { " (default \($0))" } ?? " (required)") + " — \(p.help)")
                }
            }
        }
    }
}
