import FoundationEssentials
import Glibc
import Policy
import TLSProbe

/// Turns one `ProbeResult` into the policy engine's `EndpointFacts`. A check the probe reports as
/// an error becomes `.unavailable(reason)`, so the rules that need it come out `incomplete`.
enum ProbeFactsBuilder {
    /// What the audit knows about an endpoint before probing it.
    struct Context {
        var addresses: [String]
        var interfaces: [String]
        var processes: [String]
        var exposed: Bool?
        var exposureNote: String
        /// A server name is known (given by the user or the policy): certificate name matching applies.
        var nameKnown: Bool
    }

    static func facts(_ r: ProbeResult, context c: Context) -> EndpointFacts {
        var e = EndpointFacts(host: r.target.host, port: r.target.port, sni: r.target.sni, addresses: c.addresses,
                              interfaces: c.interfaces, processes: c.processes, exposed: c.exposed,
                              exposureNote: c.exposureNote, kind: .unavailable("not probed"))
        func reason(_ name: String) -> String? {
            if case .error(let why)? = r.checks[name] { return why }
            return nil
        }
        guard r.reachable else {
            e.kind = .unavailable(reason(CheckName.connect) ?? "not reachable")
            return e
        }
        if r.tls {
            e.kind = .value(.tls)
            e.tls = tls(r, nameKnown: c.nameKnown, reason: reason)
            return e
        }
        switch r.plaintextHttp {
        case .redirect?:
            e.kind = .value(.httpRedirect)
        case .content?:
            e.kind = .value(.httpContent)
        case nil:
            if let b = r.banner {
                e.kind = .value(.other)
                e.banner = b.kind
            } else {
                let why = reason(CheckName.plaintext) ?? reason(CheckName.handshake) ?? reason(CheckName.deadline) ?? "neither TLS nor a recognised cleartext protocol"
                e.kind = .unavailable(why)
            }
        }
        e.httpStatus = r.httpStatus
        e.sni = nil  // no TLS: no server name was sent
        return e
    }

    static func tls(_ r: ProbeResult, nameKnown: Bool, reason: (String) -> String?) -> TLSFacts {
        var protocols: [TLSVersion: Bool] = [:]
        var protocolErrors: [String] = []
        for v in TLSVersion.allCases {
            if let supported = r.protocols[v.rawValue] ?? nil, reason(CheckName.protocolVersion(ProtocolKey(rawValue: v.rawValue)!)) == nil {
                protocols[v] = supported
            } else if let why = reason(CheckName.protocolVersion(ProtocolKey(rawValue: v.rawValue)!)) {
                protocolErrors.append("\(v.displayName): \(why)")
            }
        }
        let protocolsFact: Observed<[TLSVersion: Bool]> = protocols.isEmpty
            ? .unavailable(reason(CheckName.protocols) ?? protocolErrors.first ?? "protocol versions not tested")
            : .value(protocols)
        // Check names vary with the scanner's granularity ("groups" or "groups.tls1.2" …): a family
        // of checks counts as completed only when every member present completed.
        func family(_ name: String) -> (present: Bool, error: String?) {
            let members = r.checks.filter { $0.key == name || $0.key.hasPrefix(name + ".") }
            let error = members.sorted { $0.key < $1.key }.compactMap { m -> String? in
                if case .error(let why) = m.value { return "\(m.key): \(why)" }
                return nil
            }.first
            return (!members.isEmpty, error)
        }
        let suitesFact: Observed<[TLSVersion: [String]]>
        let suites = family(CheckName.cipherSuites)
        let supportedWithoutScan = protocols.filter { $0.value }.keys.filter { reason(CheckName.protocolVersion(ProtocolKey(rawValue: $0.rawValue)!)) != nil || r.checks[CheckName.protocolVersion(ProtocolKey(rawValue: $0.rawValue)!)] == nil }
        if let why = suites.error {
            suitesFact = .unavailable(why)
        } else if protocols.isEmpty || !protocolErrors.isEmpty && !suites.present {
            suitesFact = .unavailable(protocolErrors.first ?? reason(CheckName.protocols) ?? "cipher suites not enumerated")
        } else if !supportedWithoutScan.isEmpty {
            suitesFact = .unavailable("cipher suites of \(supportedWithoutScan.map(\.displayName).sorted().joined(separator: ", ")) not enumerated")
        } else {
            var m: [TLSVersion: [String]] = [:]
            for (k, v) in r.cipherSuites { if let version = TLSVersion(rawValue: k) { m[version] = v } }
            suitesFact = .value(m)
        }
        let groupsFact: Observed<[String]>
        let groups = family(CheckName.groups)
        if let why = groups.error ?? (groups.present ? nil : "key-exchange groups not enumerated") {
            groupsFact = .unavailable(why)
        } else {
            groupsFact = .value(r.groups)
        }
        let dh = family("dhBits")
        let dhFact: Observed<Int?> = dh.error.map { .unavailable($0) } ?? (dh.present || suitesFact.value != nil ? .value(r.dhBits) : .unavailable("DH parameters not checked"))
        let certFact: Observed<CertificateFacts>
        if let c = r.certificate {
            certFact = .value(CertificateFacts(
                subject: c.chain.first?.subject, trusted: c.trusted, trustError: c.verifyError, expired: c.expired,
                notYetValid: c.notYetValid, notAfter: c.notAfter, daysLeft: c.daysLeft, lifespanDays: c.lifespanDays, selfSigned: c.selfSigned,
                hostnameMatches: nameKnown ? c.hostnameMatches : nil, keyType: c.keyType, keyBits: c.keyBits,
                signatureAlgorithm: c.signatureAlgorithm))
        } else {
            certFact = .unavailable(reason(CheckName.certificate) ?? reason(CheckName.handshake) ?? "no certificate received")
        }
        let alpnFact: Observed<[String]> = reason(CheckName.handshake).map { .unavailable($0) } ?? .value(r.alpn.map { [$0] } ?? [])
        let httpFact: Observed<HTTPSFacts?>
        if let why = reason(CheckName.http) {
            // A TLS service that answers `GET /` with something that is not HTTP does not speak HTTP;
            // a timeout or a failed connection leaves the question open.
            let open = why.contains("timed out") || why.contains("failed") || why.contains("no TLS connection") || why.contains("second connection")
            httpFact = open ? .unavailable(why) : .value(nil)
        } else if let status = r.httpStatus {
            httpFact = .value(HTTPSFacts(status: status, hsts: r.hsts.map { HSTSFacts(maxAge: $0.maxAge, includeSubDomains: $0.includeSubDomains, preload: $0.preload) }))
        } else {
            httpFact = .unavailable("HTTP over TLS not checked")
        }
        return TLSFacts(protocols: protocolsFact, cipherSuites: suitesFact, groups: groupsFact, dhBits: dhFact,
                        certificate: certFact, alpn: alpnFact, http: httpFact)
    }
}
