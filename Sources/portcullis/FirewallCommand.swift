import ArgumentParser
import FirewallEvaluator
import FoundationEssentials
import Glibc
import NetNamespace
import NetlinkRuleset
import NftModel

/// `portcullis firewall`: is a new inbound connection to a port accepted by the nf_tables
/// ruleset — for one source (`--source`), or symbolically from every source per family.
struct FirewallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall",
        abstract: "Decide whether new inbound connections to a port are accepted by the firewall.",
        discussion: """
        Reads the live nf_tables ruleset over netlink (needs CAP_NET_ADMIN) — of another network \
        namespace with --netns — or a dump (--ruleset-file, from `portcullis ruleset dump`) or an nft \
        script (--nft-file, parsed by the kernel in a throwaway namespace; needs root).

        A connection counts as accepted only if its SYN is accepted inbound, the SYN-ACK outbound and \
        the client's ACK inbound. With --source: verdict accept|drop|reject|undetermined for that flow \
        and the port finally delivered after dnat/redirect. Without: per family accept (from everywhere), \
        conditional (exact prefixes/interfaces), drop, reject or undetermined, computed over the whole \
        source space. JSON: schemaVersion 1.

        Exit status: 0 answered (whatever the verdict), 2 usage error or malformed input file, \
        4 the ruleset could not be read (missing privilege, netlink failure).
        """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum TransportProtocol: String, ExpressibleByArgument, CaseIterable {
        case tcp, udp
        var number: UInt8 { self == .tcp ? 6 : 17 }
    }

    @Option(help: "Destination port of the inbound connection.")
    var port: Int = 443

    @Option(name: .customLong("protocol"), help: "Transport protocol (tcp or udp).")
    var transport: TransportProtocol = .tcp

    @Option(help: "Evaluate one concrete flow from this source address (IPv4 or IPv6).")
    var source: String?

    @Option(help: "The inbound interface (default: every interface class the ruleset distinguishes).")
    var interface: String?

    @Option(help: "Read the ruleset of this network namespace (/run/netns/NAME or a path).")
    var netns: String?

    @Option(name: .customLong("ruleset-file"), help: "Read a ruleset dump written by `portcullis ruleset dump`.")
    var rulesetFile: String?

    @Option(name: .customLong("nft-file"), help: "Load this nft script in a private network namespace and evaluate it.")
    var nftFile: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, not \(port)") }
        if [netns, rulesetFile, nftFile].compactMap({ $0 }).count > 1 {
            throw ValidationError("use only one of --netns, --ruleset-file, --nft-file")
        }
        if let source, AddressSet.parse(source) == nil {
            throw ValidationError("--source '\(source)' is not an IPv4 or IPv6 address")
        }
        if let interface, interface.isEmpty || interface.utf8.count > 15 || interface.contains("/") {
            throw ValidationError("--interface '\(interface)' is not a valid interface name")
        }
    }

    func run() throws {
        let source: RulesetSource = rulesetFile.map { .dumpFile($0) } ?? nftFile.map { .nftScript($0) } ?? .live(netns: netns)
        let ruleset: Ruleset
        do { ruleset = try loadRuleset(source) } catch {
            throw CommandFailure.report(error.description, exitCode: PortcullisExit.code(for: error))
        }
        // Addresses and interface indexes of the host whose ruleset this is (live reads only):
        // they tell whether a dnat target is local and what `meta iif` compares.
        var host = HostInterfaces()
        if rulesetFile == nil && nftFile == nil { host = (try? HostInterfaces.read(netns: netns)) ?? HostInterfaces() }
        let evaluator = FirewallEvaluator(ruleset: ruleset, localAddresses: host.addresses, interfaceIndexes: host.indexes)
        var warnings = evaluator.warnings + ruleset.readerWarnings
        if let interface, !host.indexes.isEmpty, host.indexes[interface] == nil {
            warnings.append("interface \(interface) does not exist in \(netns.map { "namespace \($0)" } ?? "this namespace")")
        }

        let output: String
        do {
            if let text = self.source, let (version, bytes) = AddressSet.parse(text) {
                let query = FlowQuery(version: version, l4proto: transport.number, destinationPort: UInt16(port), source: bytes,
                                      inputInterface: interface)
                let report = FirewallReport.Flow(evaluator.evaluate(query), warnings: warnings)
                output = format == .json ? String(decoding: try FirewallReport.json(report), as: UTF8.self) + "\n" : FirewallReport.text(report)
            } else {
                let summaries = IPVersion.allCases.map {
                    evaluator.summarize(version: $0, l4proto: transport.number, port: UInt16(port), inputInterface: interface)
                }
                let report = FirewallReport.Summary(ipv4: summaries[0], ipv6: summaries[1], warnings: warnings)
                output = format == .json ? String(decoding: try FirewallReport.json(report), as: UTF8.self) + "\n" : FirewallReport.text(report)
            }
        } catch {
            throw CommandFailure.report("cannot encode the answer: \(error)", exitCode: PortcullisExit.ioFailure)
        }
        StandardStreams.out(output)
    }
}

/// Local addresses and interface indexes of a network namespace (getifaddrs on a thread inside it).
struct HostInterfaces: Sendable {
    var addresses: [[UInt8]] = []
    var indexes: [String: UInt32] = [:]

    static func read(netns: String?) throws -> HostInterfaces {
        try NetworkNamespace.run(in: netns) {
            var result = HostInterfaces()
            var list: UnsafeMutablePointer<ifaddrs>?
            guard getifaddrs(&list) == 0, let first = list else { return result }
            defer { freeifaddrs(list) }
            var cursor: UnsafeMutablePointer<ifaddrs>? = first
            while let p = cursor {
                let name = String(cString: p.pointee.ifa_name)
                let index = if_nametoindex(p.pointee.ifa_name)
                if index != 0 { result.indexes[name] = index }
                if let sa = p.pointee.ifa_addr {
                    switch Int32(sa.pointee.sa_family) {
                    case AF_INET:
                        sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                            let a = $0.pointee.sin_addr.s_addr
                            result.addresses.append(withUnsafeBytes(of: a) { Array($0) })
                        }
                    case AF_INET6:
                        sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                            result.addresses.append(withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) })
                        }
                    default: break
                    }
                }
                cursor = p.pointee.ifa_next
            }
            return result
        }
    }
}
