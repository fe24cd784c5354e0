/// Renders a `ProbeResult` for people: grouped sections, weak or failing items marked with `!`,
/// checks that could not run marked with `?` and their reason.
public enum ProbeTextRenderer {
    /// Suites considered weak: no forward secrecy (static RSA), CBC in TLS ≤ 1.2, 3DES/DES, RC4,
    /// NULL, export, anonymous, MD5/SHA-1 MAC with CBC.
    public static func isWeakSuite(_ name: String) -> Bool {
        let n = name.uppercased()
        if n.hasPrefix("TLS_AES_") || n.hasPrefix("TLS_CHACHA20_") { return false }
        let weakMarks = ["_NULL_", "_EXPORT", "_anon_".uppercased(), "_RC4_", "_DES_", "3DES", "_IDEA_", "_RC2_", "_CBC_", "_MD5"]
        if weakMarks.contains(where: { n.contains($0) }) { return true }
        if n.hasPrefix("TLS_RSA_WITH_") || n.hasPrefix("SSL_") { return true }
        return false
    }

    public static func render(_ r: ProbeResult) -> String {
        var out: [String] = []
        let target = r.target.host.contains(":") ? "[\(r.target.host)]:\(r.target.port)" : "\(r.target.host):\(r.target.port)"
        out.append("Endpoint \(target)" + (r.target.sni.map { " (SNI \($0))" } ?? ""))
        if !r.reachable {
            out.append("  ! unreachable: \(r.checks[CheckName.connect].flatMap(reason) ?? "no connection")")
            return out.joined(separator: "\n") + "\n"
        }
        if !r.tls {
            out.append("  ! does not speak TLS")
            switch r.plaintextHttp {
            case .redirect?: out.append("    cleartext HTTP: redirects to https (status \(r.httpStatus.map(String.init) ?? "?"))")
            case .content?: out.append("  ! cleartext HTTP serving content (status \(r.httpStatus.map(String.init) ?? "?"))")
            case nil:
                if let b = r.banner { out.append("    service: \(b.kind)" + (b.text.isEmpty ? "" : " — \(b.text)")) }
            }
            appendChecks(r, to: &out)
            return out.joined(separator: "\n") + "\n"
        }

        out.append("Protocols")
        for key in ProtocolKey.allCases {
            let value = r.protocols[key.rawValue] ?? nil
            let status = r.checks[CheckName.protocolVersion(key)]
            let text: String
            var mark = " "
            switch value {
            case true?: text = "offered"; if key.isWeak { mark = "!" }
            case false?: text = "not offered"
            case nil: text = "unknown (\(status.flatMap(reason) ?? "not checked"))"; mark = "?"
            }
            out.append("  \(mark) \(key.rawValue.padding(7)) \(text)")
        }
        if let n = r.negotiated { out.append("    negotiated: \(n.protocol) \(n.cipherSuite)") }

        if !r.cipherSuites.isEmpty {
            out.append("Cipher suites" + (r.serverOrder.map { $0 ? " (server order)" : " (client order)" } ?? ""))
            for key in ProtocolKey.allCases.reversed() {
                guard let suites = r.cipherSuites[key.rawValue], !suites.isEmpty else { continue }
                out.append("  \(key.rawValue)")
                for s in suites { out.append("  \(isWeakSuite(s) ? "!" : " ")   \(s)") }
            }
        }
        if !r.groups.isEmpty || r.dhBits != nil {
            out.append("Key exchange")
            if !r.groups.isEmpty { out.append("    groups: \(r.groups.joined(separator: ", "))") }
            if let dh = r.dhBits { out.append("  \(dh < 2048 ? "!" : " ") DHE parameters: \(dh) bits") }
        }

        if let c = r.certificate {
            out.append("Certificate")
            out.append("  \(c.trusted ? " " : "!") trusted: \(c.trusted ? "yes" : "no — \(c.verifyError ?? "not verified")")")
            out.append("  \(c.hostnameMatches ? " " : "!") name matches \(r.target.sni ?? r.target.host): \(c.hostnameMatches ? "yes" : "no")")
            let expiryMark = c.expired || c.notYetValid || c.daysLeft < 30 ? "!" : " "
            let expiry = c.expired ? "EXPIRED" : c.notYetValid ? "NOT YET VALID" : "\(c.daysLeft) days left"
            out.append("  \(expiryMark) valid until \(c.notAfter) (\(expiry))")
            if let days = c.lifespanDays {
                // 398 days: the longest validity browsers accept for public certificates (CA/B BR 6.3.2).
                out.append("  \(days > 398 ? "!" : " ") issued for \(days) days (from \(c.notBefore))")
            }
            out.append("  \(c.weakKey ? "!" : " ") key: \(c.keyType) \(c.keyBits) bits" + (c.curve.map { " (\($0))" } ?? ""))
            out.append("  \(c.weakSignature ? "!" : " ") signature: \(c.signatureAlgorithm)")
            if c.selfSigned { out.append("  ! self-signed") }
            if !c.chainOrderCorrect { out.append("  ! chain sent out of order") }
            if !c.chainComplete { out.append("  ! incomplete chain: intermediate certificate missing") }
            out.append("    OCSP staple: \(c.ocspStapled ? "yes" : "no")")
            out.append("    chain:")
            for (i, cert) in c.chain.enumerated() {
                out.append("      \(i) \(cert.subject)")
                out.append("        issuer \(cert.issuer); until \(cert.notAfter); \(cert.keyType) \(cert.keyBits); \(cert.signatureAlgorithm)")
            }
        }

        out.append("Features")
        out.append("    ALPN: \(r.alpn ?? "none selected")")
        out.append(feature("secure renegotiation", r.secureRenegotiation, good: true))
        out.append(feature("TLS compression", r.compression, good: false))
        out.append(feature("fallback SCSV", r.fallbackScsv, good: true))

        out.append("HTTP")
        if let s = r.httpStatus { out.append("    GET / → \(s)") }
        if let h = r.hsts {
            out.append("  \(h.maxAge < 15_552_000 ? "!" : " ") HSTS: max-age=\(h.maxAge)\(h.includeSubDomains ? "; includeSubDomains" : "")\(h.preload ? "; preload" : "")")
        } else if let problem = r.hstsProblem {
            out.append("  ! HSTS header malformed: \(problem)")
        } else if r.checks[CheckName.http] == .completed {
            out.append("  ! no HSTS")
        }
        appendChecks(r, to: &out)
        out.append("Connections: \(r.handshakes)")
        return out.joined(separator: "\n") + "\n"
    }

    private static func feature(_ name: String, _ value: Bool?, good: Bool) -> String {
        guard let value else { return "  ? \(name): unknown" }
        return "  \(value == good ? " " : "!") \(name): \(value ? "yes" : "no")"
    }

    private static func appendChecks(_ r: ProbeResult, to out: inout [String]) {
        let failed = r.checks.filter { !$0.value.isCompleted }.sorted { $0.key < $1.key }
        guard !failed.isEmpty else { return }
        out.append("Checks that did not complete")
        for (name, status) in failed { out.append("  ? \(name): \(reason(status) ?? "")") }
    }

    private static func reason(_ s: CheckStatus) -> String? {
        if case .error(let why) = s { return why }
        return nil
    }
}

extension String {
    fileprivate func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
