import FoundationEssentials
import Glibc
import NftModel
import FirewallEvaluator
import Listeners
import Policy

/// Translations from the firewall and listener vocabularies into the policy engine's facts.
enum FirewallFactsBuilder {
    static func family(_ v: IPVersion) -> IPFamily { v == .ipv4 ? .ipv4 : .ipv6 }

    static func render(_ t: TraceStep) -> String {
        let handle = t.handle.map { " handle \($0)" } ?? ""
        return "\(t.family) \(t.table) \(t.chain)\(handle): \(t.rule) → \(t.verdict)"
    }

    static func verdict(_ v: SummaryVerdict) -> FirewallVerdict {
        switch v {
        case .accept: .accept
        case .conditional: .conditional
        case .drop: .drop
        case .reject: .reject
        case .undetermined: .undetermined
        }
    }

    static func facts(_ s: FamilySummary) -> FamilyFirewallFacts {
        FamilyFirewallFacts(verdict: verdict(s.verdict), acceptedFrom: s.acceptedFrom, interfaces: s.interfaces,
                            deliveredPorts: s.deliveredPorts, reason: s.reason, trace: s.trace.map(render))
    }

    static func facts(_ e: Listeners.FamilyExposure) -> FamilyFirewallFacts {
        let v: FirewallVerdict
        switch e.verdict {
        case .accept: v = .accept
        case .conditional: v = .conditional
        case .drop: v = .drop
        case .reject: v = .reject
        case .undetermined: v = .undetermined
        case .notExposed: v = .notExposed
        }
        return FamilyFirewallFacts(verdict: v, acceptedFrom: e.acceptedFrom, interfaces: e.interfaces,
                                   deliveredPorts: e.viaPorts, reason: e.reason, trace: e.trace.map(render))
    }

    /// One listener as the policy engine sees it.
    static func facts(_ l: Listener, firewallError: String?) -> ListenerFacts {
        let exposure: Observed<[IPFamily: FamilyFirewallFacts]>
        if let e = l.exposure {
            exposure = .value([.ipv4: facts(e.ipv4), .ipv6: facts(e.ipv6)])
        } else {
            exposure = .unavailable(firewallError ?? "exposure not evaluated")
        }
        let binding: Policy.Binding
        switch l.binding {
        case .loopback: binding = .loopback
        case .wildcard: binding = .wildcard
        default: binding = .specific
        }
        return ListenerFacts(transport: l.protocol == .tcp ? .tcp : .udp, address: l.address, port: l.port, family: family(l.family),
                             binding: binding, processes: l.processes.map { ProcessFacts(pid: $0.pid, name: $0.name, unit: $0.unit) },
                             exposure: exposure)
    }

    /// "ipv4: accept from 0.0.0.0/0; ipv6: drop" — why a listener counts as exposed or not.
    static func note(_ l: ListenerFacts) -> String {
        if l.binding == .loopback { return "bound to loopback \(l.address): reachable only from this host" }
        guard let e = l.exposure.value else { return "exposure unknown: \(l.exposure.failureReason ?? "")" }
        return IPFamily.allCases.compactMap { f -> String? in
            guard let x = e[f] else { return nil }
            var s = "\(f.rawValue): \(x.verdict.rawValue)"
            if x.isOpen, !x.acceptedFrom.isEmpty { s += " from \(x.acceptedFrom.joined(separator: ", "))" }
            if x.isOpen, !x.interfaces.isEmpty { s += " on \(x.interfaces.joined(separator: ", "))" }
            if !x.deliveredPorts.isEmpty { s += " via port \(x.deliveredPorts.map(String.init).joined(separator: ", "))" }
            return s
        }.joined(separator: "; ")
    }
}
