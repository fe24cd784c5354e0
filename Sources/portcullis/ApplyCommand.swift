import ArgumentParser
import FirewallEvaluator
import FoundationEssentials
import Glibc
import NetlinkRuleset
import NftModel

/// `portcullis apply`: open a port (443 by default) with the smallest change that works, in one
/// atomic netlink transaction, and prove it by reading the ruleset back.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Open inbound connections to a port with one atomic nf_tables transaction.",
        discussion: """
        Plans by simulation: evaluates the flow, and where a rule or chain policy drops or rejects one \
        of the connection's packets (SYN and ACK inbound, SYN-ACK outbound, IPv6 neighbor advertisements) \
        adds an accept rule for exactly that packet right before the deciding rule, or at the end of the \
        chain for a policy. Rules that come earlier (blocklists, rate limits) keep their effect. The rules \
        carry the comment "portcullis apply: tcp PORT".

        The insertions are committed in one batch that also carries the ruleset generation the plan was \
        made on: if anything changed the ruleset in between, the kernel refuses the whole batch and nothing \
        is written. Afterwards the ruleset is read back and evaluated again.

        Exit status: 0 open (or already open), 2 usage error, 3 no safe change found (the ruleset has \
        parts whose effect cannot be known; nothing written), 4 missing privilege, 6 the kernel refused \
        the batch or the read-back did not confirm the change.
        """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Port to open.")
    var port: Int = 443

    @Option(name: .customLong("protocol"), help: "tcp or udp.")
    var transport: FirewallCommand.TransportProtocol = .tcp

    @Option(help: "Open only for this source address or CIDR prefix.")
    var source: String?

    @Option(help: "Open only through this inbound interface.")
    var interface: String?

    @Option(help: "Change the ruleset of this network namespace.")
    var netns: String?

    @Option(name: .customLong("ruleset-file"), help: "Plan against a ruleset dump (implies --dry-run).")
    var rulesetFile: String?

    @Flag(name: .customLong("dry-run"), help: "Print the plan; change nothing.")
    var dryRun = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, not \(port)") }
        if let source, AddressSet.parseCIDR(source) == nil {
            throw ValidationError("--source '\(source)' is not an IPv4/IPv6 address or CIDR prefix")
        }
        if let interface, interface.isEmpty || interface.utf8.count > 15 || interface.contains("/") {
            throw ValidationError("--interface '\(interface)' is not a valid interface name")
        }
        if rulesetFile != nil && netns != nil { throw ValidationError("use only one of --netns, --ruleset-file") }
    }

    func run() throws {
        let live = rulesetFile == nil
        let ruleset: Ruleset
        do { ruleset = try loadRuleset(rulesetFile.map { .dumpFile($0) } ?? .live(netns: netns)) } catch {
            throw CommandFailure.report(error.description, exitCode: PortcullisExit.code(for: error))
        }
        var host = HostInterfaces()
        if live { host = (try? HostInterfaces.read(netns: netns)) ?? HostInterfaces() }
        let request = PortOpeningRequest(port: UInt16(port), l4proto: transport.number, source: parsedSource(),
                                         inputInterface: interface)
        let plan = PortOpeningPlanner.plan(ruleset: ruleset, request: request, localAddresses: host.addresses,
                                           interfaceIndexes: host.indexes)
        var report = ApplyReport(plan: plan, dryRun: dryRun || !live)
        if plan.refusal == nil && plan.changesSomething && live && !dryRun {
            do {
                try RulesetWriter().insert(plan.insertions, expectedGeneration: ruleset.generation, netns: netns)
            } catch {
                emit(report)
                let code = if case .permissionDenied = error { PortcullisExit.privilege } else { PortcullisExit.ioFailure }
                throw CommandFailure.report(error.description, exitCode: code)
            }
            report.committed = true
            // Prove it: read back and evaluate again.
            if let readBack = try? loadRuleset(.live(netns: netns)) {
                let evaluator = FirewallEvaluator(ruleset: readBack, localAddresses: host.addresses, interfaceIndexes: host.indexes)
                for version in request.versions {
                    report.verified[version.rawValue] = evaluator.summarize(version: version, l4proto: request.l4proto,
                                                                            port: request.port, inputInterface: interface)
                }
            }
        }
        emit(report)
        if let refusal = plan.refusal {
            throw CommandFailure.report("no safe change found: \(refusal); nothing was written", exitCode: PortcullisExit.incomplete)
        }
        if report.committed {
            let confirmed = request.versions.allSatisfy { v in
                report.verified[v.rawValue]?.verdict == plan.after[v]?.verdict
                    && report.verified[v.rawValue]?.acceptedFrom == plan.after[v]?.acceptedFrom
            }
            if !confirmed {
                throw CommandFailure.report("the ruleset read back does not show the planned effect", exitCode: PortcullisExit.ioFailure)
            }
        }
    }

    private func parsedSource() -> (IPVersion, [UInt8], Int)? {
        guard let source else { return nil }
        let parts = source.split(separator: "/", maxSplits: 1)
        guard let (version, bytes) = AddressSet.parse(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) ?? version.addressLength * 8 : version.addressLength * 8
        return (version, bytes, length)
    }

    private func emit(_ report: ApplyReport) {
        let out: String
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            out = ((try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        } else {
            out = report.text
        }
        StandardStreams.out(out)
    }
}

/// The JSON (schemaVersion 1) and text output of `apply`.
struct ApplyReport: Encodable {
    struct Insertion: Encodable {
        var family: String
        var table: String
        var chain: String
        var position: String
        var rule: String
    }
    struct FamilyState: Encodable {
        var verdict: String
        var acceptedFrom: [String]
    }

    var schemaVersion = 1
    var dryRun: Bool
    var committed = false
    var insertions: [Insertion]
    var before: [String: FamilyState]
    var planned: [String: FamilyState]
    var verified: [String: FamilySummary] = [:]
    var refusal: String?
    var notes: [String]

    init(plan: PortOpeningPlan, dryRun: Bool) {
        self.dryRun = dryRun
        insertions = plan.insertions.map {
            Insertion(family: $0.family.description, table: $0.table, chain: $0.chain, position: $0.position.description,
                      rule: $0.rendered)
        }
        before = Dictionary(uniqueKeysWithValues: plan.before.map { ($0.key.rawValue, FamilyState(verdict: $0.value.verdict.rawValue, acceptedFrom: $0.value.acceptedFrom)) })
        planned = Dictionary(uniqueKeysWithValues: plan.after.map { ($0.key.rawValue, FamilyState(verdict: $0.value.verdict.rawValue, acceptedFrom: $0.value.acceptedFrom)) })
        refusal = plan.refusal
        notes = plan.notes
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, dryRun, committed, insertions, before, planned, verified, refusal, notes
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(committed, forKey: .committed)
        try c.encode(insertions, forKey: .insertions)
        try c.encode(before, forKey: .before)
        try c.encode(planned, forKey: .planned)
        try c.encode(verified.mapValues { FamilyState(verdict: $0.verdict.rawValue, acceptedFrom: $0.acceptedFrom) }, forKey: .verified)
        try c.encode(refusal, forKey: .refusal)
        try c.encode(notes, forKey: .notes)
    }

    var text: String {
        var lines: [String] = []
        for key in before.keys.sorted() {
            let b = before[key]!, a = planned[key]
            lines.append("\(key): \(b.verdict) → \(a?.verdict ?? "?")" + (a.map { $0.acceptedFrom.isEmpty ? "" : " from \($0.acceptedFrom.joined(separator: ", "))" } ?? ""))
        }
        if insertions.isEmpty && refusal == nil { lines.append("already open: nothing to change") }
        for i in insertions {
            lines.append("  \(committed ? "added" : "would add") to \(i.family) \(i.table) \(i.chain) \(i.position): \(i.rule)")
        }
        if committed {
            lines.append("committed in one transaction; read back: " + verified.keys.sorted().map { "\($0) \(verified[$0]!.verdict.rawValue)" }.joined(separator: ", "))
        } else if dryRun && !insertions.isEmpty {
            lines.append("dry run: nothing written")
        }
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
