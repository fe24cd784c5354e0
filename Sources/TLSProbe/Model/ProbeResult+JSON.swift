import JSONText

/// The JSON form of a probe result (the contract of `portcullis probe --format json`, read back
/// by the `Decodable` conformances): every key present, unknown values `null`, object keys in
/// alphabetical order so two runs diff cleanly.
///
/// Written as a `JSONValue` rather than through Foundation's `JSONEncoder`, whose first use in a
/// process instantiated enough generic metadata to cost about 1 ms of a 25 ms probe.
extension ProbeResult {
    public var json: JSONValue {
        .object([
            ("alpn", .opt(alpn)),
            ("banner", banner.map { .object([("kind", .string($0.kind)), ("text", .string($0.text))]) } ?? .null),
            ("certificate", certificate?.json ?? .null),
            ("checks", .object(checks.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })),
            ("cipherSuites", .object(cipherSuites.sorted { $0.key < $1.key }.map { ($0.key, .strings($0.value)) })),
            ("compression", .opt(compression)),
            ("dhBits", .opt(dhBits)),
            ("fallbackScsv", .opt(fallbackScsv)),
            ("groups", .strings(groups)),
            ("handshakes", .int(handshakes)),
            ("hsts", hsts.map { .object([("includeSubDomains", .bool($0.includeSubDomains)), ("maxAge", .int($0.maxAge)),
                                          ("preload", .bool($0.preload))]) } ?? .null),
            ("hstsProblem", .opt(hstsProblem)),
            ("httpStatus", .opt(httpStatus)),
            ("negotiated", negotiated.map { .object([("cipherSuite", .string($0.cipherSuite)), ("keyExchange", .opt($0.keyExchange)),
                                                     ("protocol", .string($0.protocol))]) } ?? .null),
            ("ocspStapling", .opt(ocspStapling)),
            ("plaintextHttp", .opt(plaintextHttp?.rawValue)),
            ("protocols", .object(protocols.sorted { $0.key < $1.key }.map { ($0.key, .opt($0.value)) })),
            ("reachable", .bool(reachable)),
            ("schemaVersion", .int(schemaVersion)),
            ("secureRenegotiation", .opt(secureRenegotiation)),
            ("serverOrder", .opt(serverOrder)),
            ("target", .object([("host", .string(target.host)), ("port", .int(Int(target.port))), ("sni", .opt(target.sni))])),
            ("tls", .bool(tls)),
        ])
    }
}

extension CertificateReport {
    public var json: JSONValue {
        .object([
            ("chain", .array(chain.map {
                .object([("issuer", .string($0.issuer)), ("keyBits", .int($0.keyBits)), ("keyType", .string($0.keyType)),
                         ("notAfter", .string($0.notAfter)), ("signatureAlgorithm", .string($0.signatureAlgorithm)),
                         ("subject", .string($0.subject))])
            })),
            ("chainComplete", .bool(chainComplete)),
            ("chainOrderCorrect", .bool(chainOrderCorrect)),
            ("curve", .opt(curve)),
            ("daysLeft", .int(daysLeft)),
            ("expired", .bool(expired)),
            ("hostnameMatches", .bool(hostnameMatches)),
            ("keyBits", .int(keyBits)),
            ("keyType", .string(keyType)),
            ("lifespanDays", .opt(lifespanDays)),
            ("notAfter", .string(notAfter)),
            ("notBefore", .string(notBefore)),
            ("notYetValid", .bool(notYetValid)),
            ("ocspStapled", .bool(ocspStapled)),
            ("selfSigned", .bool(selfSigned)),
            ("signatureAlgorithm", .string(signatureAlgorithm)),
            ("trusted", .bool(trusted)),
            ("verifyError", .opt(verifyError)),
            ("weakSignature", .bool(weakSignature)),
        ])
    }
}

extension CheckStatus {
    /// `{"status": "completed"}` or `{"reason": "…", "status": "error"}`.
    public var json: JSONValue {
        switch self {
        case .completed: .object([("status", .string("completed"))])
        case .error(let reason): .object([("reason", .string(reason)), ("status", .string("error"))])
        }
    }
}
