import NftModel

/// A region of the symbolic space: client addresses × inbound interface names.
struct Box: Sendable, Hashable {
    var clients: AddressSet
    var interfaces: AddressSet

    func overlaps(_ o: Box) -> Bool {
        !clients.intersection(o.clients).isEmpty && !interfaces.intersection(o.interfaces).isEmpty
    }
}

/// Folds the finished paths of one evaluation into exact answers.
///
/// Paths partition the space (client × interface) except where the evaluator followed both
/// outcomes of an unknowable condition (a `limit`, an unknown packet field): only leaves carrying
/// such assumptions can overlap. A region is certainly accepted only if no leaf that overlaps it
/// says otherwise; overlapping disagreement is undetermined — the answer never picks a guess.
struct Tally {
    enum Kind { case accept, drop, reject, undetermined, elsewhere }

    let version: IPVersion
    var leaves: [(Leaf, Kind)] = []
    var ports: Set<UInt16> = []

    init(version: IPVersion) { self.version = version }

    /// `deliveredTo`: count only connections delivered to this port as accepted (exposure).
    mutating func add(_ new: [Leaf], deliveredTo: UInt16? = nil) {
        for l in new where !l.clients.isEmpty && !l.interfaces.isEmpty {
            let kind: Kind
            switch l.outcome {
            case .accepted(let port):
                if let want = deliveredTo, want != port { kind = .elsewhere } else { kind = .accept; ports.insert(port) }
            case .dropped: kind = .drop
            case .rejected: kind = .reject
            case .undetermined: kind = .undetermined
            }
            leaves.append((l, kind))
        }
    }

    private func box(_ l: Leaf) -> Box { Box(clients: l.clients, interfaces: l.interfaces) }

    /// Accepted regions, minus whatever a disagreeing (forked) leaf also covers.
    var certainlyAccepted: [Box] {
        var out: [Box] = []
        let forked = leaves.filter { !$0.0.assumptions.isEmpty && $0.1 != .accept }
        for (l, k) in leaves where k == .accept {
            var b = box(l)
            if !l.assumptions.isEmpty {
                for (o, _) in forked where box(o).overlaps(b) {
                    b.clients = b.clients.subtracting(o.clients)
                    if b.clients.isEmpty { break }
                }
            }
            if !b.clients.isEmpty { out.append(b) }
        }
        return out
    }

    /// Regions whose fate depends on something the evaluator cannot know.
    var unsure: [Box] {
        var out = leaves.filter { $0.1 == .undetermined }.map { box($0.0) }
        let forked = leaves.filter { !$0.0.assumptions.isEmpty }
        for (a, ka) in forked where ka == .accept {
            for (o, ko) in forked where ko != .accept && ko != .undetermined {
                let ba = box(a), bo = box(o)
                if ba.overlaps(bo) {
                    out.append(Box(clients: ba.clients.intersection(bo.clients), interfaces: ba.interfaces.intersection(bo.interfaces)))
                }
            }
        }
        return out
    }

    func has(_ kind: Kind) -> Bool { leaves.contains { $0.1 == kind } }

    /// Why `boxes` are unsure: the unmodelled expressions and the assumptions that split them.
    func reasons(for boxes: [Box]) -> [String] {
        var out: [String] = []
        for (l, _) in leaves where boxes.contains(where: { $0.overlaps(box(l)) }) {
            if case .undetermined(let r) = l.outcome, !out.contains(r) { out.append(r) }
            for a in l.assumptions {
                let text = "depends on whether \(a.reason) matches"
                if !out.contains(text) { out.append(text) }
            }
        }
        return out
    }

    /// Trace steps of all leaves, in order, without repeats.
    func trace(limit: Int = 200) -> [TraceStep] {
        var out: [TraceStep] = []
        var seen = Set<TraceStep>()
        for (l, _) in leaves {
            for s in l.trace where !seen.contains(s) {
                seen.insert(s)
                out.append(s)
                if out.count >= limit { return out }
            }
        }
        return out
    }
}

/// A tally turned into one `FamilySummary`.
enum SymbolicSummary {
    /// `universe`: the interfaces the question covers (all but loopback, or the one asked about).
    static func summarize(_ t: Tally, universe: AddressSet, warnings: [String], what: String) -> FamilySummary {
        let version = t.version
        let accepted = t.certainlyAccepted
        let unsure = t.unsure
        let acceptedClients = accepted.reduce(AddressSet.empty(version)) { $0.union($1.clients) }
        let acceptedInterfaces = accepted.reduce(AddressSet.empty(.ipv6)) { $0.union($1.interfaces) }
        let unsureClients = unsure.reduce(AddressSet.empty(version)) { $0.union($1.clients) }
        let anyRefusal = t.has(.drop) || t.has(.reject) || t.has(.elsewhere) || t.has(.undetermined)
        let interfaces = acceptedInterfaces == universe || accepted.isEmpty ? [] : InterfaceSpace.labels(acceptedInterfaces)

        var verdict: SummaryVerdict
        var reason: String
        if !unsure.isEmpty {
            verdict = .undetermined
            reason = "\(what) is undetermined from \(unsureClients): " + t.reasons(for: unsure).joined(separator: "; ")
            if !acceptedClients.isEmpty { reason += ". Certainly accepted from \(acceptedClients)" }
        } else if !anyRefusal && !accepted.isEmpty {
            verdict = .accept
            reason = "\(what) is accepted from every source on every interface"
        } else if accepted.isEmpty {
            let onlyReject = t.has(.reject) && !t.has(.drop) && !t.has(.elsewhere)
            verdict = onlyReject ? .reject : .drop
            reason = "\(what) is \(onlyReject ? "rejected" : "dropped") from every source"
        } else {
            verdict = .conditional
            let byInterfaces = Dictionary(grouping: accepted, by: \.interfaces)
            if byInterfaces.count == 1 {
                reason = "\(what) is accepted only from \(acceptedClients)"
                if !interfaces.isEmpty { reason += " on \(interfaces.joined(separator: ", "))" }
            } else {
                let parts = byInterfaces.map { (ifs, boxes) in
                    "from \(boxes.reduce(AddressSet.empty(version)) { $0.union($1.clients) }) on \(InterfaceSpace.labels(ifs).joined(separator: ", "))"
                }.sorted()
                reason = "\(what) is accepted only " + parts.joined(separator: "; ")
            }
        }
        if !warnings.isEmpty {
            if verdict != .undetermined {
                reason = "nf_tables alone says: \(verdict.rawValue) — \(reason)"
                verdict = .undetermined
            }
            reason = warnings.joined(separator: "; ") + ". " + reason
        }
        return FamilySummary(family: version, verdict: verdict, acceptedFrom: acceptedClients.cidrs, interfaces: interfaces,
                             deliveredPorts: t.ports.sorted(), reason: reason, trace: t.trace())
    }
}
