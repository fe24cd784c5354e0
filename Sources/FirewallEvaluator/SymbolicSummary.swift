import NftModel

/// Folds the finished paths of one evaluation run into exact per-address answers.
///
/// Paths partition the client space except where the evaluator followed both outcomes of an
/// unknowable condition (a `limit`, an unknown packet field): there an address can sit in several
/// leaves. An address is certainly accepted only if every leaf holding it accepts; leaves that
/// disagree make it undetermined — the answer never picks one outcome of a guess.
struct Tally {
    enum Category { case accept, drop, reject, undetermined, elsewhere }

    let version: IPVersion
    var accept: AddressSet
    var drop: AddressSet
    var reject: AddressSet
    var undetermined: AddressSet
    /// Accepted, but delivered to a port other than the one asked about (exposure).
    var elsewhere: AddressSet
    var leaves: [Leaf] = []
    var ports: Set<UInt16> = []

    init(version: IPVersion) {
        self.version = version
        accept = .empty(version)
        drop = .empty(version)
        reject = .empty(version)
        undetermined = .empty(version)
        elsewhere = .empty(version)
    }

    /// `deliveredTo`: count only connections delivered to this port as accepted (exposure).
    mutating func add(_ leaves: [Leaf], deliveredTo: UInt16? = nil) {
        for l in leaves where !l.clients.isEmpty {
            self.leaves.append(l)
            switch l.outcome {
            case .accepted(let port):
                if let want = deliveredTo, want != port {
                    elsewhere = elsewhere.union(l.clients)
                } else {
                    accept = accept.union(l.clients)
                    ports.insert(port)
                }
            case .dropped: drop = drop.union(l.clients)
            case .rejected: reject = reject.union(l.clients)
            case .undetermined: undetermined = undetermined.union(l.clients)
            }
        }
    }

    var notAccepted: AddressSet { drop.union(reject).union(undetermined).union(elsewhere) }
    var certainlyAccepted: AddressSet { accept.subtracting(notAccepted) }
    /// Addresses whose fate depends on something the evaluator cannot know.
    var unsure: AddressSet { undetermined.union(accept.intersection(drop.union(reject).union(elsewhere))) }

    /// Why `addresses` are unsure: the unmodelled expressions and the assumptions that split them.
    func reasons(for addresses: AddressSet) -> [String] {
        var out: [String] = []
        for l in leaves where !l.clients.intersection(addresses).isEmpty {
            if case .undetermined(let r) = l.outcome, !out.contains(r) { out.append(r) }
            for a in l.assumptions {
                let text = "depends on whether \(a.reason) matches"
                if !out.contains(text) { out.append(text) }
            }
        }
        return out
    }

    /// Trace steps of the leaves touching `addresses`, in order, without repeats.
    func trace(for addresses: AddressSet, limit: Int = 200) -> [TraceStep] {
        var out: [TraceStep] = []
        var seen = Set<TraceStep>()
        for l in leaves where !l.clients.intersection(addresses).isEmpty {
            for s in l.trace where !seen.contains(s) {
                seen.insert(s)
                out.append(s)
                if out.count >= limit { return out }
            }
        }
        return out
    }
}

/// The per-interface-class results of a summary, combined into one `FamilySummary`.
enum SymbolicSummary {
    static func combine(version: IPVersion, classes: [(InterfaceClass, Tally)], warnings: [String], what: String) -> FamilySummary {
        let all = AddressSet.all(version)
        var acceptedUnion = AddressSet.empty(version)
        var unsureUnion = AddressSet.empty(version)
        var ports = Set<UInt16>()
        var trace: [TraceStep] = []
        var reasons: [String] = []
        var acceptingClasses: [InterfaceClass] = []
        var everyClassAll = true
        var sameSet: AddressSet? = nil
        var allSame = true
        var onlyReject = true
        for (cls, t) in classes {
            let acc = t.certainlyAccepted
            let unsure = t.unsure
            acceptedUnion = acceptedUnion.union(acc)
            unsureUnion = unsureUnion.union(unsure)
            ports.formUnion(t.ports)
            if !acc.isEmpty { acceptingClasses.append(cls) }
            if !acc.isAll { everyClassAll = false }
            if let s = sameSet { if s != acc { allSame = false } } else { sameSet = acc }
            if !t.drop.subtracting(t.accept).isEmpty || !t.undetermined.isEmpty { onlyReject = false }
            for r in t.reasons(for: unsure) where !reasons.contains(r) { reasons.append(r) }
            for s in t.trace(for: all) where !trace.contains(s) { trace.append(s) }
        }
        let interfaces: [String] = acceptingClasses.count == classes.count ? [] : acceptingClasses.map(\.label)
        var verdict: SummaryVerdict
        var reason: String
        if !unsureUnion.isEmpty {
            verdict = .undetermined
            reason = "\(what) is undetermined from \(unsureUnion): " + reasons.joined(separator: "; ")
            if !acceptedUnion.isEmpty { reason += ". Certainly accepted from \(acceptedUnion)" }
        } else if everyClassAll {
            verdict = .accept
            reason = "\(what) is accepted from every source on every interface"
        } else if acceptedUnion.isEmpty {
            verdict = onlyReject ? .reject : .drop
            reason = "\(what) is \(onlyReject ? "rejected" : "dropped") from every source"
        } else {
            verdict = .conditional
            if allSame {
                reason = "\(what) is accepted only from \(acceptedUnion)"
            } else {
                let per = classes.filter { !$0.1.certainlyAccepted.isEmpty }
                    .map { "\($0.0.label): \($0.1.certainlyAccepted)" }
                reason = "\(what) is accepted only " + per.joined(separator: "; ")
            }
            if !interfaces.isEmpty { reason += " (interfaces: \(interfaces.joined(separator: ", ")))" }
        }
        if !warnings.isEmpty {
            if verdict != .undetermined {
                reason = "nf_tables alone says: \(verdict.rawValue) — \(reason)"
                verdict = .undetermined
            }
            reason = warnings.joined(separator: "; ") + ". " + reason
        }
        return FamilySummary(family: version, verdict: verdict, acceptedFrom: acceptedUnion.cidrs, interfaces: interfaces,
                             deliveredPorts: ports.sorted(), reason: reason, trace: trace)
    }
}
