import Foundation
import Testing
import FirewallEvaluator
import NetlinkRuleset
import NftModel
import TestSupport

/// What the kernel did with a connection, in the evaluator's vocabulary.
enum KernelOutcome: String, Sendable, CustomStringConvertible {
    /// Handshake completed and the listener accepted it.
    case accept
    /// No answer (timeout), or the handshake never completed on the server side.
    case drop
    /// TCP reset or ICMP unreachable/prohibited.
    case reject

    var description: String { rawValue }
    var flowVerdict: FlowVerdict {
        switch self {
        case .accept: .accept
        case .drop: .drop
        case .reject: .reject
        }
    }
}

/// How a ruleset gets into the server namespace.
enum OracleLoader: Sendable {
    /// An nft script (`nft -f -`).
    case nft(String)
    /// Commands run inside the server namespace (iptables-nft, ip6tables-nft …).
    case commands([[String]])
    /// ufw commands (without `ufw`), then `ufw --force enable`, against a private copy of ufw's
    /// configuration (`--rootdir/--datadir`), never the host's /etc/ufw.
    case ufw([[String]])
}

/// One kernel-oracle case: a ruleset, the port to connect to, and what the kernel is expected to
/// do for the four flows (v4 from 10.77.1.2 and 10.77.2.2, v6 from fd77:1::2 and fd77:2::2).
struct OracleCase: Sendable, CustomTestStringConvertible {
    var name: String
    var loader: OracleLoader
    var port: UInt16 = 443
    /// Ports to listen on (default: `port`).
    var listen: [UInt16] = []
    /// Expected kernel outcome and delivered port per flow, "a:8443 d r a" style (v4a v4b v6a v6b).
    var expected: String
    /// Stateful rulesets: the kernel outcome is not asserted; the evaluator must not be certain.
    var stateful = false

    var testDescription: String { name }

    /// Per flow: the kernel's outcome, the delivered port, and whether the evaluator is expected to
    /// say undetermined ("d?": the kernel drops for a reason the ruleset alone cannot settle).
    var expectations: [(KernelOutcome, UInt16?, Bool)] {
        expected.split(separator: " ").map { raw in
            let unsure = raw.hasSuffix("?")
            let token = unsure ? raw.dropLast() : raw
            let parts = token.split(separator: ":")
            let outcome: KernelOutcome = switch parts[0] {
            case "a": .accept
            case "d": .drop
            default: .reject
            }
            return (outcome, parts.count > 1 ? UInt16(parts[1]) : nil, unsure)
        }
    }
}

/// Runs a case: loads the ruleset in a fresh namespace pair, connects for real, reads the ruleset
/// back through the netlink reader and compares the evaluator's verdicts with the kernel's.
enum OracleHarness {
    struct Flow {
        var version: IPVersion
        var source: String
        var destination: String
    }

    static let flows = [
        Flow(version: .ipv4, source: NamespacePair.clientV4[0], destination: NamespacePair.serverV4[0]),
        Flow(version: .ipv4, source: NamespacePair.clientV4[1], destination: NamespacePair.serverV4[1]),
        Flow(version: .ipv6, source: NamespacePair.clientV6[0], destination: NamespacePair.serverV6[0]),
        Flow(version: .ipv6, source: NamespacePair.clientV6[1], destination: NamespacePair.serverV6[1]),
    ]

    static func run(_ c: OracleCase) throws {
        let pair = try NamespacePair(prefix: "or")
        defer { pair.destroy() }
        try load(c.loader, into: pair)

        let ports = c.listen.isEmpty ? [c.port] : c.listen
        var listeners: [IPVersion: [UInt16: Int32]] = [.ipv4: [:], .ipv6: [:]]
        defer { for (_, byPort) in listeners { for (_, fd) in byPort { close(fd) } } }
        for p in ports {
            listeners[.ipv4]![p] = try NetnsSockets.listen(namespace: pair.server, v6: false, port: p)
            listeners[.ipv6]![p] = try NetnsSockets.listen(namespace: pair.server, v6: true, port: p)
        }

        let ruleset = try NetlinkRulesetReader().read(netns: pair.server)
        let indexes = try NetnsSockets.inNamespace(pair.server) {
            ["eth0": if_nametoindex("eth0"), "lo": if_nametoindex("lo")]
        }
        let local = (NamespacePair.serverV4 + NamespacePair.serverV6).map { AddressSet.parse($0)!.1 }
        let evaluator = FirewallEvaluator(ruleset: ruleset, localAddresses: local, interfaceIndexes: indexes)
        let expectations = c.expectations
        #expect(expectations.count == 4, "case \(c.name): four expectations")

        var kernel: [KernelOutcome] = []
        for (i, flow) in flows.enumerated() {
            let expectedPort = expectations[i].1 ?? c.port
            // IPv6: an ICMPv6 error to a client not yet in the server's neighbor cache arrives only
            // with the SYN retransmission (~1 s), so IPv6 waits longer before calling it a drop.
            let outcome = try NetnsSockets.connect(namespace: pair.client, source: flow.source, destination: flow.destination,
                                                   port: c.port, timeout: flow.version == .ipv4 ? 0.8 : 1.6)
            var observed: KernelOutcome
            switch outcome {
            case .connected:
                // The server must see the completed connection on the port it was delivered to.
                let fd = listeners[flow.version]![expectedPort] ?? listeners[flow.version]![c.port]!
                observed = NetnsSockets.acceptOne(fd, timeout: 0.8) ? .accept : .drop
            case .timeout: observed = .drop
            case .reset, .unreachable: observed = .reject
            }
            kernel.append(observed)

            let query = FlowQuery(version: flow.version, l4proto: 6, destinationPort: c.port, source: AddressSet.parse(flow.source)!.1,
                                  inputInterface: "eth0", destination: AddressSet.parse(flow.destination)!.1)
            let answer = evaluator.evaluate(query)
            let context = "case \(c.name), \(flow.source) → \(flow.destination):\(c.port): kernel \(outcome.rawValue)/\(observed), evaluator \(answer.verdict) (\(answer.reason)) trace: \(answer.trace.map { "\($0.chain) \($0.handle.map(String.init) ?? "policy") \($0.rule) → \($0.verdict)" })"
            if c.stateful {
                #expect(answer.verdict == .undetermined, "\(context): a stateful ruleset must not get a certain answer")
                continue
            }
            #expect(observed == expectations[i].0, "\(context): the case's expectation of the kernel")
            if expectations[i].2 {
                #expect(answer.verdict == .undetermined, "\(context): must not be certain")
                continue
            }
            #expect(answer.verdict == observed.flowVerdict, "\(context)")
            if observed == .accept {
                #expect(answer.deliveredPort == expectedPort, "\(context): delivered port")
            }
        }

        // A socket reached through dnat/redirect is exposed to the sources the kernel delivered to it.
        if !c.stateful {
            for version in IPVersion.allCases {
                let delivered = flows.indices.filter { flows[$0].version == version && kernel[$0] == .accept }
                for port in Set(delivered.compactMap { expectations[$0].1 }) where port != c.port {
                    let x = evaluator.exposure(localPort: port, l4proto: 6, version: version, inputInterface: "eth0")
                    let exposed = x.acceptedFrom.compactMap(AddressSet.parseCIDR).reduce(AddressSet.empty(version)) { $0.union($1) }
                    for i in delivered where expectations[i].1 == port {
                        #expect(exposed.contains(AddressSet.integer(AddressSet.parse(flows[i].source)!.1)),
                                "case \(c.name): exposure of port \(port) (\(x.verdict): \(x.reason)) misses \(flows[i].source)")
                    }
                }
            }
        }

        // The symbolic summary must agree with the kernel for both sources of each family.
        for version in IPVersion.allCases {
            let summary = evaluator.summarize(version: version, l4proto: 6, port: c.port, inputInterface: "eth0")
            let context = "case \(c.name) \(version) summary \(summary.verdict) from \(summary.acceptedFrom): \(summary.reason)"
            let accepted = summary.acceptedFrom.compactMap(AddressSet.parseCIDR).reduce(AddressSet.empty(version)) { $0.union($1) }
            if c.stateful {
                #expect(summary.verdict == .undetermined, "\(context): stateful")
                continue
            }
            for (i, flow) in flows.enumerated() where flow.version == version {
                let inSummary = accepted.contains(AddressSet.integer(AddressSet.parse(flow.source)!.1))
                switch summary.verdict {
                case .accept: #expect(kernel[i] == .accept, "\(context): \(flow.source)")
                case .drop, .reject: #expect(kernel[i] != .accept, "\(context): \(flow.source)")
                case .conditional: #expect(inSummary == (kernel[i] == .accept), "\(context): \(flow.source)")
                case .undetermined: #expect(kernel[i] == .accept || !inSummary, "\(context): \(flow.source) listed as certainly accepted")
                }
                if summary.verdict == .reject { #expect(kernel[i] == .reject, "\(context): \(flow.source)") }
            }
        }
    }

    static func load(_ loader: OracleLoader, into pair: NamespacePair) throws {
        switch loader {
        case .nft(let script):
            try pair.loadNft(script)
        case .commands(let commands):
            for c in commands { try pair.exec(pair.server, c) }
        case .ufw(let commands):
            let sandbox = try UfwSandbox()
            defer { sandbox.remove() }
            for c in commands { try pair.exec(pair.server, sandbox.command(c)) }
            try pair.exec(pair.server, sandbox.command(["--force", "enable"]))
        }
    }
}

/// A private copy of ufw's configuration, so ufw run inside a test namespace never reads or writes
/// the host's /etc/ufw: ufw 0.36 relocates its config (`--datadir`: DIR/etc/ufw, DIR/etc/default/ufw,
/// lock in DIR/lib/ufw) and its init script (`--rootdir`: DIR/lib/ufw/ufw-init). The sysctl file is
/// blanked so ufw-init changes no kernel setting. The folder is root-owned (ufw refuses
/// world-writable paths), under /run.
struct UfwSandbox {
    let root: String

    init() throws {
        root = "/run/portcullis-ufw-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/lib/ufw", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/etc/default", withIntermediateDirectories: true)
        chmod(root, 0o755)
        for f in ["ufw-init", "ufw-init-functions"] {
            try fm.copyItem(atPath: "/lib/ufw/\(f)", toPath: root + "/lib/ufw/\(f)")
        }
        try fm.copyItem(atPath: "/etc/ufw", toPath: root + "/etc/ufw")
        // Start from ufw's pristine rule templates, not whatever the host has added.
        for f in ["user.rules", "user6.rules"] {
            try? fm.removeItem(atPath: root + "/etc/ufw/\(f)")
            try fm.copyItem(atPath: "/usr/share/ufw/iptables/\(f)", toPath: root + "/etc/ufw/\(f)")
        }
        var defaults = try String(contentsOfFile: "/etc/default/ufw", encoding: .utf8)
        defaults = defaults.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("IPT_SYSCTL=") ? "IPT_SYSCTL=" : $0.hasPrefix("IPT_MODULES=") ? "IPT_MODULES=\"\"" : String($0)
        }.joined(separator: "\n")
        try defaults.write(toFile: root + "/etc/default/ufw", atomically: true, encoding: .utf8)
    }

    func command(_ args: [String]) -> [String] { ["ufw", "--rootdir=\(root)", "--datadir=\(root)"] + args }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
