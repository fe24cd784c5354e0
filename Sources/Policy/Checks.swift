import FoundationEssentials
import Glibc

/// What one check concluded about one subject.
struct CheckOutcome {
    var status: ResultStatus
    var message: String
    var evidence: [String] = []

    static func pass(_ m: String, _ e: [String] = []) -> Self { .init(status: .pass, message: m, evidence: e) }
    static func fail(_ m: String, _ e: [String] = []) -> Self { .init(status: .fail, message: m, evidence: e) }
    static func incomplete(_ m: String, _ e: [String] = []) -> Self { .init(status: .incomplete, message: m, evidence: e) }
    static func notApplicable(_ m: String) -> Self { .init(status: .notApplicable, message: m) }
}

/// The check implementations, one function per `CheckKind`. Each one turns a missing or errored
/// input into `incomplete` with the reason, never into a pass.
enum Checks {
    static func run(_ rule: PolicyRule, on item: PolicyEngine.Item, facts: AuditFacts) -> CheckOutcome {
        let p = rule.params
        switch (rule.check, item) {
        case (.firewallPortAccepted, .port(let port, let transport)):
            return firewallPortAccepted(port: port, transport: transport, params: p, facts: facts)
        case (.listenerPresent, .port(let port, let transport)):
            return listenerPresent(port: port, transport: transport, facts: facts)
        case (.listenerLoopbackOnly, .listener(let l)):
            return l.binding == .loopback
                ? .pass("bound to loopback \(l.address)")
                : .fail("bound to \(l.binding.rawValue) address \(l.address), reachable beyond this host", exposureEvidence(l))
        case (.listenerNotExposed, .listener(let l)):
            switch l.isExposed {
            case false?: return .pass(l.binding == .loopback ? "bound to loopback" : "the firewall does not accept new connections to it")
            case true?: return .fail("reachable from outside through the firewall", exposureEvidence(l))
            case nil: return .incomplete("exposure unknown: \(l.exposure.failureReason ?? "the firewall verdict is undetermined")", exposureEvidence(l))
            }
        case (.httpCleartextExposed, .endpoint(let e)):
            return cleartextHTTP(e, allowRedirect: p.bool("allowRedirectToHttps"))
        case (.tlsRequired, .endpoint(let e)):
            guard let kind = e.kind.value else { return .incomplete("not classified: \(e.kind.failureReason ?? "")") }
            if kind == .tls { return .pass("speaks TLS") }
            return .fail("does not speak TLS (found \(describe(kind, e)))")
        case (_, .endpoint(let e)):
            guard let tls = e.tls else { return .incomplete("no TLS facts recorded for this endpoint") }
            return tlsCheck(rule.check, tls: tls, endpoint: e, params: p)
        default:
            return .incomplete("check \(rule.check.rawValue) does not apply to this subject")
        }
    }

    // MARK: Firewall and listeners

    static func firewallPortAccepted(port: UInt16, transport: Transport, params: CheckParams, facts: AuditFacts) -> CheckOutcome {
        guard let ports = facts.firewall.value else {
            return .incomplete("the firewall could not be read: \(facts.firewall.failureReason ?? "unknown")")
        }
        guard let pf = ports.first(where: { $0.port == port && $0.transport == transport }) else {
            return .incomplete("the firewall was not evaluated for \(transport.rawValue)/\(port)")
        }
        let families = params.list("families").compactMap(IPFamily.init(rawValue:))
        let allowConditional = params.bool("allowConditional")
        var ok: [IPFamily] = [], no: [IPFamily] = [], unknown: [IPFamily] = []
        var evidence: [String] = []
        for f in families {
            guard let s = pf.families[f] else { unknown.append(f); evidence.append("\(f.rawValue): not evaluated"); continue }
            var line = "\(f.rawValue): \(s.verdict.rawValue)"
            if s.verdict == .conditional {
                line += " from \(s.acceptedFrom.isEmpty ? "-" : s.acceptedFrom.joined(separator: ", "))"
                if !s.interfaces.isEmpty { line += " on \(s.interfaces.joined(separator: ", "))" }
            }
            if !s.reason.isEmpty { line += " — \(s.reason)" }
            evidence.append(line)
            evidence += s.trace.map { "  \($0)" }
            switch s.verdict {
            case .accept: ok.append(f)
            case .conditional: if allowConditional { ok.append(f) } else { no.append(f) }
            case .drop, .reject, .notExposed: no.append(f)
            case .undetermined: unknown.append(f)
            }
        }
        let names = { (l: [IPFamily]) in l.map(\.rawValue).joined(separator: ", ") }
        if params.string("require") == "all" {
            if !no.isEmpty { return .fail("new inbound \(transport.rawValue)/\(port) connections are not accepted over \(names(no))", evidence) }
            if !unknown.isEmpty { return .incomplete("firewall verdict undetermined for \(names(unknown))", evidence) }
            return .pass("accepted over \(names(ok))", evidence)
        }
        if !ok.isEmpty { return .pass("accepted over \(names(ok))", evidence) }
        if !unknown.isEmpty { return .incomplete("firewall verdict undetermined for \(names(unknown))", evidence) }
        return .fail("new inbound \(transport.rawValue)/\(port) connections are not accepted (\(names(no)))", evidence)
    }

    static func listenerPresent(port: UInt16, transport: Transport, facts: AuditFacts) -> CheckOutcome {
        guard let listeners = facts.listeners.value else {
            return .incomplete("listeners could not be read: \(facts.listeners.failureReason ?? "unknown")")
        }
        let found = listeners.filter { $0.port == port && $0.transport == transport }
        if found.isEmpty { return .fail("nothing listens on \(transport.rawValue)/\(port)") }
        return .pass("listening: " + found.map { PolicyEngine.subject($0).name }.joined(separator: "; "))
    }

    static func exposureEvidence(_ l: ListenerFacts) -> [String] {
        guard let e = l.exposure.value else { return [] }
        return IPFamily.allCases.compactMap { f in
            e[f].map { "\(f.rawValue): \($0.verdict.rawValue)" + ($0.acceptedFrom.isEmpty ? "" : " from \($0.acceptedFrom.joined(separator: ", "))") }
        }
    }

    static func describe(_ kind: EndpointKind, _ e: EndpointFacts) -> String {
        switch kind {
        case .tls: "TLS"
        case .httpRedirect: "cleartext HTTP redirecting to \(e.httpLocation ?? "?")"
        case .httpContent: "cleartext HTTP serving content" + (e.httpStatus.map { " (status \($0))" } ?? "")
        case .other: "a non-TLS protocol" + (e.banner.map { " (\($0))" } ?? "")
        case .unreachable: "nothing reachable"
        }
    }

    static func cleartextHTTP(_ e: EndpointFacts, allowRedirect: Bool) -> CheckOutcome {
        let evidence = [e.exposureNote].filter { !$0.isEmpty }
            + (e.httpStatus.map { ["GET / → \($0)" + (e.httpLocation.map { " Location: \($0)" } ?? "")] } ?? [])
        switch e.exposed {
        case nil: return .incomplete("cleartext HTTP found; whether it is exposed is unknown", evidence)
        case false?: return .pass("cleartext HTTP, not exposed beyond this host", evidence)
        case true?:
            if e.kind.value == .httpRedirect {
                return allowRedirect ? .pass("exposed cleartext HTTP only redirects to https", evidence)
                                     : .fail("exposed cleartext HTTP (redirect to https)", evidence)
            }
            return .fail("exposed cleartext HTTP serves content", evidence)
        }
    }

    // MARK: TLS

    static func tlsCheck(_ kind: CheckKind, tls: TLSFacts, endpoint e: EndpointFacts, params p: CheckParams) -> CheckOutcome {
        switch kind {
        case .tlsMinVersion:
            guard let protos = tls.protocols.value else { return .incomplete("protocol versions unknown: \(tls.protocols.failureReason!)") }
            let min = TLSVersion(rawValue: p.string("min")) ?? .tls12
            let below = TLSVersion.allCases.filter { $0 < min }
            let accepted = below.filter { protos[$0] == true }
            let untested = below.filter { protos[$0] == nil }
            let evidence = ["versions accepted: " + versionsList(protos)]
            if !accepted.isEmpty { return .fail("accepts \(accepted.map(\.displayName).joined(separator: ", ")) (minimum \(min.displayName))", evidence) }
            if !untested.isEmpty { return .incomplete("not tested: \(untested.map(\.displayName).joined(separator: ", "))", evidence) }
            return .pass("nothing below \(min.displayName) accepted", evidence)
        case .tlsVersions:
            guard let protos = tls.protocols.value else { return .incomplete("protocol versions unknown: \(tls.protocols.failureReason!)") }
            let allowed = Set(p.list("allowed").compactMap(TLSVersion.init(rawValue:)))
            let required = p.list("required").compactMap(TLSVersion.init(rawValue:))
            let evidence = ["versions accepted: " + versionsList(protos)]
            let extra = TLSVersion.allCases.filter { protos[$0] == true && !allowed.contains($0) }
            let missing = required.filter { protos[$0] == false }
            var problems: [String] = []
            if !extra.isEmpty { problems.append("accepts \(extra.map(\.displayName).joined(separator: ", ")), not allowed") }
            if !missing.isEmpty { problems.append("does not accept required \(missing.map(\.displayName).joined(separator: ", "))") }
            if !problems.isEmpty { return .fail(problems.joined(separator: "; "), evidence) }
            let untested = TLSVersion.allCases.filter { protos[$0] == nil && (!allowed.contains($0) || required.contains($0)) }
            if !untested.isEmpty { return .incomplete("not tested: \(untested.map(\.displayName).joined(separator: ", "))", evidence) }
            return .pass("versions as allowed", evidence)
        case .tlsForbiddenSuites:
            guard let suites = tls.cipherSuites.value else { return .incomplete("cipher suites unknown: \(tls.cipherSuites.failureReason!)") }
            let cats = Set(p.list("categories").compactMap(SuiteCategory.init(rawValue:)))
            let names = Set(p.list("names").map { $0.uppercased() })
            var bad: [String] = []
            for v in TLSVersion.allCases {
                for s in suites[v] ?? [] {
                    let hit = SuiteCategory.categories(of: s).intersection(cats)
                    if !hit.isEmpty || names.contains(s.uppercased()) {
                        let why = hit.map(\.rawValue).sorted().joined(separator: ", ")
                        bad.append("\(v.displayName): \(s)" + (why.isEmpty ? "" : " (\(why))"))
                    }
                }
            }
            if !bad.isEmpty { return .fail("accepts \(bad.count) forbidden suite\(bad.count == 1 ? "" : "s")", bad) }
            return .pass("no forbidden suite accepted", [suiteSummary(suites)])
        case .tlsAllowedSuites:
            guard let suites = tls.cipherSuites.value else { return .incomplete("cipher suites unknown: \(tls.cipherSuites.failureReason!)") }
            let allowed = Set(p.list("names").map { $0.uppercased() })
            var bad: [String] = []
            for v in TLSVersion.allCases { for s in suites[v] ?? [] where !allowed.contains(s.uppercased()) { bad.append("\(v.displayName): \(s)") } }
            if !bad.isEmpty { return .fail("accepts \(bad.count) suite\(bad.count == 1 ? "" : "s") outside the allowed list", bad) }
            return .pass("only allowed suites accepted", [suiteSummary(suites)])
        case .tlsGroups:
            guard let groups = tls.groups.value else { return .incomplete("key-exchange groups unknown: \(tls.groups.failureReason!)") }
            let allowed = Set(p.list("allowed").map(normalizeGroup))
            var problems: [String] = []
            let extra = groups.filter { !allowed.contains(normalizeGroup($0)) }
            if !extra.isEmpty { problems.append("offers groups not allowed: \(extra.joined(separator: ", "))") }
            var evidence = ["groups: \(groups.isEmpty ? "none" : groups.joined(separator: ", "))"]
            let minDh = p.int("minDhBits")
            if minDh > 0 {
                switch tls.dhBits {
                case .unavailable(let r): return .incomplete("DH parameter size unknown: \(r)", evidence)
                case .value(let bits?):
                    evidence.append("DHE parameters: \(bits) bits")
                    if bits < minDh { problems.append("DHE parameters of \(bits) bits (minimum \(minDh))") }
                case .value(nil): break
                }
            }
            if !problems.isEmpty { return .fail(problems.joined(separator: "; "), evidence) }
            return .pass("key exchange as allowed", evidence)
        case .tlsALPN:
            guard let alpn = tls.alpn.value else { return .incomplete("ALPN unknown: \(tls.alpn.failureReason!)") }
            let missing = p.list("required").filter { !alpn.contains($0) }
            let evidence = ["ALPN: \(alpn.isEmpty ? "none" : alpn.joined(separator: ", "))"]
            return missing.isEmpty ? .pass("negotiates \(p.list("required").joined(separator: ", "))", evidence)
                                   : .fail("does not negotiate \(missing.joined(separator: ", "))", evidence)
        case .certTrusted, .certHostname, .certExpiry, .certLifespan, .certKey, .certSignature:
            guard let cert = tls.certificate.value else { return .incomplete("certificate unknown: \(tls.certificate.failureReason!)") }
            return certificateCheck(kind, cert, endpoint: e, params: p)
        case .hstsRequired:
            switch tls.http {
            case .unavailable(let r): return .incomplete("HTTP response over TLS unknown: \(r)")
            case .value(nil): return .notApplicable("does not speak HTTP over TLS")
            case .value(let http?):
                guard let h = http.hsts else { return .fail("no Strict-Transport-Security header (GET / → \(http.status))") }
                let evidence = ["Strict-Transport-Security: max-age=\(h.maxAge)\(h.includeSubDomains ? "; includeSubDomains" : "")\(h.preload ? "; preload" : "")"]
                var problems: [String] = []
                if h.maxAge < p.int("minMaxAge") { problems.append("max-age \(h.maxAge) is below \(p.int("minMaxAge"))") }
                if p.bool("includeSubDomains") && !h.includeSubDomains { problems.append("includeSubDomains missing") }
                if p.bool("preload") && !h.preload { problems.append("preload missing") }
                return problems.isEmpty ? .pass("HSTS as required", evidence) : .fail(problems.joined(separator: "; "), evidence)
            }
        default:
            return .incomplete("check \(kind.rawValue) does not apply to a TLS endpoint")
        }
    }

    static func certificateCheck(_ kind: CheckKind, _ c: CertificateFacts, endpoint e: EndpointFacts, params p: CheckParams) -> CheckOutcome {
        let who = c.subject.map { ["subject: \($0)"] } ?? []
        switch kind {
        case .certTrusted:
            if c.trusted { return .pass("chains to a trusted root", who) }
            var why = c.trustError ?? "does not chain to a trusted root"
            if c.selfSigned { why += " (self-signed)" }
            return .fail("certificate not trusted: \(why)", who)
        case .certHostname:
            switch c.hostnameMatches {
            case true?: return .pass("matches \(e.sni ?? e.host)", who)
            case false?: return .fail("certificate does not match \(e.sni ?? e.host)", who)
            case nil:
                return e.sni == nil ? .notApplicable("no server name known for this endpoint (give one with --sni or --target HOST:PORT,sni=NAME)")
                                    : .incomplete("name match for \(e.sni!) not established")
            }
        case .certExpiry:
            let evidence = who + (c.notAfter.map { ["notAfter: \($0)"] } ?? [])
            if c.expired { return .fail("certificate expired" + (c.notAfter.map { " on \($0)" } ?? ""), evidence) }
            if c.notYetValid { return .fail("certificate not yet valid", evidence) }
            guard let days = c.daysLeft else { return .incomplete("days left unknown", evidence) }
            let min = p.int("minDays")
            return days < min ? .fail("certificate expires in \(days) days (minimum \(min))", evidence)
                              : .pass("\(days) days left", evidence)
        case .certLifespan:
            let max = p.int("maxDays")
            guard let days = c.lifespanDays else { return .incomplete("validity period unknown", who) }
            let evidence = who + ["validity: \(days) days" + (c.notAfter.map { ", notAfter \($0)" } ?? "")]
            return days > max ? .fail("certificate valid for \(days) days (maximum \(max))", evidence)
                              : .pass("valid for \(days) days", evidence)
        case .certKey:
            let type = normalizeKeyType(c.keyType)
            let evidence = who + ["key: \(c.keyType) \(c.keyBits) bits"]
            if !p.list("allowedTypes").contains(type) { return .fail("key type \(c.keyType) not allowed (allowed: \(p.list("allowedTypes").joined(separator: ", ")))", evidence) }
            if type == "rsa", c.keyBits < p.int("minRsaBits") { return .fail("RSA key of \(c.keyBits) bits (minimum \(p.int("minRsaBits")))", evidence) }
            if type == "ec", c.keyBits < p.int("minEcBits") { return .fail("EC key of \(c.keyBits) bits (minimum \(p.int("minEcBits")))", evidence) }
            return .pass("\(c.keyType) \(c.keyBits) bits", evidence)
        case .certSignature:
            let alg = c.signatureAlgorithm.lowercased()
            let evidence = who + ["signature: \(c.signatureAlgorithm)"]
            if let bad = p.list("forbidden").first(where: { alg.contains($0) }) {
                return .fail("certificate signed with \(bad.uppercased()) (\(c.signatureAlgorithm))", evidence)
            }
            let allowed = p.list("allowed").map { $0.lowercased() }
            if !allowed.isEmpty, !allowed.contains(alg) {
                return .fail("signature algorithm \(c.signatureAlgorithm) not in \(p.list("allowed").joined(separator: ", "))", evidence)
            }
            return .pass(c.signatureAlgorithm, evidence)
        default:
            return .incomplete("not a certificate check")
        }
    }

    static func versionsList(_ protos: [TLSVersion: Bool]) -> String {
        let on = TLSVersion.allCases.filter { protos[$0] == true }.map(\.displayName)
        return on.isEmpty ? "none" : on.joined(separator: ", ")
    }

    static func suiteSummary(_ suites: [TLSVersion: [String]]) -> String {
        TLSVersion.allCases.compactMap { v in suites[v].flatMap { $0.isEmpty ? nil : "\(v.displayName): \($0.count) suites" } }.joined(separator: "; ")
    }

    /// Group names as the IANA registry spells them (OpenSSL says prime256v1, X25519).
    static func normalizeGroup(_ g: String) -> String {
        switch g.lowercased() {
        case "prime256v1", "p-256", "p256": "secp256r1"
        case "p-384", "p384": "secp384r1"
        case "p-521", "p521": "secp521r1"
        default: g.lowercased()
        }
    }

    static func normalizeKeyType(_ t: String) -> String {
        switch t.lowercased() {
        case "rsa", "rsaencryption", "rsa-pss", "rsassa-pss": "rsa"
        case "ec", "ecdsa", "id-ecpublickey": "ec"
        default: t.lowercased()
        }
    }
}
