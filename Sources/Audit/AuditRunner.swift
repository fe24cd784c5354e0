import FoundationEssentials
import Glibc
import NftModel
import FirewallEvaluator
import NetlinkRuleset
import Listeners
import TLSProbe
import Policy
import Reports

/// Runs an audit: firewall → listeners with exposure → probe every TCP listener and extra target
/// (bounded concurrency) → facts → policy → report. Never stops at the first failure: a step that
/// fails is recorded with its reason and every rule that needed it comes out `incomplete`.
public struct AuditRunner: Sendable {
    public var options: AuditOptions
    public var toolVersion: String

    public init(options: AuditOptions, toolVersion: String) {
        self.options = options
        self.toolVersion = toolVersion
    }

    public func run(policy: ResolvedPolicy, now: @Sendable () -> Date = { Date() }) async -> AuditReport {
        let started = now()
        var warnings: [String] = []

        // 1. Firewall.
        var evaluator: FirewallEvaluator?
        var firewallError: String?
        do {
            let ruleset = try readRuleset()
            if options.rulesetFile == nil, let local = try? LocalInterfaces.read(netns: options.netns) {
                evaluator = FirewallEvaluator(ruleset: ruleset, localAddresses: local.addresses, interfaceIndexes: local.indexes)
            } else {
                evaluator = FirewallEvaluator(ruleset: ruleset)
            }
            warnings += evaluator!.warnings
        } catch {
            firewallError = "the firewall could not be read: \(error.description)"
            warnings.append(firewallError!)
        }
        let firewall: Observed<[PortFirewallFacts]>
        if let evaluator {
            firewall = .value(firewallPorts(policy).map { port in
                PortFirewallFacts(port: port.0, transport: port.1 == 17 ? .udp : .tcp, families: Dictionary(uniqueKeysWithValues: IPVersion.allCases.map {
                    (FirewallFactsBuilder.family($0), FirewallFactsBuilder.facts(evaluator.summarize(version: $0, l4proto: port.1, port: port.0, inputInterface: nil)))
                }))
            })
        } else {
            firewall = .unavailable(firewallError ?? "not read")
        }

        // 2. Listeners with exposure.
        var listeners: [Listener] = []
        let listenerFacts: Observed<[ListenerFacts]>
        do {
            var scan = try ListenerScanner().scan(protocols: [.tcp, .udp], netns: options.netns)
            if let evaluator {
                scan = ListenerExposureJoin.join(scan, oracle: evaluator)
            } else {
                scan = ListenerExposureJoin.undetermined(scan, reason: firewallError ?? "firewall not read")
            }
            warnings += scan.warnings
            listeners = scan.listeners
            listenerFacts = .value(scan.listeners.map { FirewallFactsBuilder.facts($0, firewallError: firewallError) })
        } catch {
            let why = "listeners could not be read: \(error.description)"
            warnings.append(why)
            listenerFacts = .unavailable(why)
        }

        // 3. Probe.
        let jobs = probeJobs(listeners: listeners, facts: listenerFacts.value ?? [], policy: policy)
        let endpoints = await probeAll(jobs)

        let facts = AuditFacts(hostname: Self.hostname(), netns: options.netns ?? ProcessInfo.processInfo.environment["PORTCULLIS_AUDIT_NETNS"],
                               firewall: firewall, listeners: listenerFacts, endpoints: endpoints)
        let evaluation = PolicyEngine(policy: policy).evaluate(facts, now: now())
        return AuditReport(toolVersion: toolVersion, startedAt: started, finishedAt: now(), facts: facts, policy: policy,
                           evaluation: evaluation, failOn: options.failOn, warnings: warnings)
    }

    func readRuleset() throws(RulesetReadError) -> Ruleset {
        if let file = options.rulesetFile {
            return try loadRuleset(file.hasSuffix(".nft") ? .nftScript(file) : .dumpFile(file))
        }
        return try NetlinkRulesetReader().read(netns: options.netns)
    }

    /// (port, l4proto) pairs the firewall is asked about: the options' ports and every port a
    /// `firewall.port-accepted` rule names.
    func firewallPorts(_ policy: ResolvedPolicy) -> [(UInt16, UInt8)] {
        var out: [(UInt16, UInt8)] = options.ports.map { ($0, 6) }
        for r in policy.enabledRules where r.check == .firewallPortAccepted {
            let pair = (UInt16(clamping: r.params.int("port")), UInt8(r.params.string("protocol") == "udp" ? 17 : 6))
            if !out.contains(where: { $0 == pair }) { out.append(pair) }
        }
        return out
    }

    struct ProbeJob: Sendable {
        var endpoint: Endpoint
        var context: ProbeFactsBuilder.Context
    }

    /// One job per TCP listener (connecting to loopback for wildcard sockets) and per extra target.
    func probeJobs(listeners: [Listener], facts: [ListenerFacts], policy: ResolvedPolicy) -> [ProbeJob] {
        var jobs: [ProbeJob] = []
        var seen = Set<String>()
        if options.probeListeners {
            for (l, f) in zip(listeners, facts) where l.protocol == .tcp {
                let host: String
                switch l.binding {
                case .wildcard: host = l.family == .ipv4 ? "127.0.0.1" : "::1"
                default: host = l.address
                }
                let key = "\(host)|\(l.port)"
                guard seen.insert(key).inserted else { continue }
                let interfaces = Array(Set((f.exposure.value ?? [:]).values.filter(\.isOpen).flatMap(\.interfaces))).sorted()
                jobs.append(ProbeJob(endpoint: Endpoint(host: host, port: l.port, sni: options.serverName),
                                     context: .init(addresses: [l.address, host].uniqued(), interfaces: interfaces,
                                                    processes: f.processes.map(\.name), exposed: f.isExposed,
                                                    exposureNote: FirewallFactsBuilder.note(f), nameKnown: options.serverName != nil)))
            }
        }
        for t in options.targets + policy.targets {
            let key = "\(t.host)|\(t.port)|\(t.sni ?? "")"
            guard seen.insert(key).inserted else { continue }
            // A target that is one of our own listeners inherits its exposure.
            let match = facts.first { f in
                f.transport == .tcp && f.port == t.port && (f.address == t.host || (f.binding == .wildcard && Self.isLocal(t.host, family: f.family)))
            }
            let context: ProbeFactsBuilder.Context
            if let m = match {
                let interfaces = Array(Set((m.exposure.value ?? [:]).values.filter(\.isOpen).flatMap(\.interfaces))).sorted()
                context = .init(addresses: [t.host, m.address].uniqued(), interfaces: interfaces, processes: m.processes.map(\.name),
                                exposed: m.isExposed, exposureNote: FirewallFactsBuilder.note(m), nameKnown: t.sni != nil || !Self.isIPLiteral(t.host))
            } else {
                context = .init(addresses: [t.host], interfaces: [], processes: [], exposed: true,
                                exposureNote: "extra target: reachable from the auditing host", nameKnown: t.sni != nil || !Self.isIPLiteral(t.host))
            }
            jobs.append(ProbeJob(endpoint: Endpoint(host: t.host, port: t.port, sni: t.sni), context: context))
        }
        return jobs
    }

    /// Probes every job, at most `endpointConcurrency` at once, keeping the jobs' order.
    func probeAll(_ jobs: [ProbeJob]) async -> [EndpointFacts] {
        let prober = TLSProber(options: options.probe)
        var results = [EndpointFacts?](repeating: nil, count: jobs.count)
        await withTaskGroup(of: (Int, EndpointFacts).self) { group in
            var next = 0
            func launch() {
                let i = next
                let job = jobs[i]
                next += 1
                group.addTask {
                    let r = await prober.probe(job.endpoint)
                    return (i, ProbeFactsBuilder.facts(r, context: job.context))
                }
            }
            while next < jobs.count && next < options.endpointConcurrency { launch() }
            for await (i, facts) in group {
                results[i] = facts
                if next < jobs.count { launch() }
            }
        }
        return results.compactMap { $0 }
    }

    static func hostname() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }  // leaves a NUL at the end
        return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func isIPLiteral(_ s: String) -> Bool { CIDR.parseAddress(s) != nil }

    static func isLocal(_ host: String, family: IPFamily) -> Bool {
        family == .ipv4 ? (host.hasPrefix("127.") || host == "localhost") : (host == "::1" || host == "localhost")
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
