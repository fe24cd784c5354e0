/// What a cleartext (non-TLS) conversation showed: an HTTP answer, or another service's banner.
public struct CleartextOutcome: Sendable, Equatable {
    /// "redirect" (only to https) or "content"; nil when the peer did not speak HTTP.
    public var plaintextHttp: ProbeResult.PlaintextHTTP?
    public var status: Int?
    /// Location header of a redirect.
    public var location: String?
    public var hsts: HSTSFinding
    /// Set when the answer was not HTTP.
    public var banner: ProbeResult.Banner?

    /// Classifies the bytes a peer sent after (or before) our `GET /`.
    public static func classify(_ bytes: [UInt8]) -> CleartextOutcome {
        if bytes.starts(with: Array("HTTP/".utf8)), let head = try? HTTPResponseHead.parse(bytes) {
            return CleartextOutcome(plaintextHttp: head.isRedirectToHTTPS ? .redirect : .content, status: head.status,
                                    location: head.values("Location").first, hsts: HSTSParser.finding(in: head), banner: nil)
        }
        return CleartextOutcome(plaintextHttp: nil, status: nil, location: nil, hsts: .absent, banner: BannerClassifier.classify(bytes))
    }
}

/// Speaks cleartext to a port: sends `GET /` at once (services that talk first, like SSH or SMTP,
/// send their banner regardless) and reads the answer, bounded in bytes and time.
enum CleartextProbe {
    static func run(endpoint: Endpoint, options: ProbeOptions, deadline: Double) -> Result<CleartextOutcome, ConnectionError> {
        let socket: ProbeSocket
        do { socket = try ProbeSocket.connect(host: endpoint.host, port: endpoint.port, timeout: min(options.timeout, max(0.05, deadline - MonotonicClock.now))) } catch {
            return .failure(error)
        }
        do { try socket.writeAll(Array(HTTPRequest.get(host: endpoint).utf8), idle: options.timeout, deadline: deadline) } catch {
            // A service that talks first and closes may refuse our bytes: still read what it said.
            if case .timedOut = error { return .failure(error) }
        }
        let (bytes, error) = socket.read(limit: options.maxHTTPBytes, idle: options.timeout, deadline: deadline) { data in
            if data.starts(with: Array("HTTP/".utf8)) { return HTTPResponseHead.headerEnd(in: data) != nil }
            return data.contains(0x0A) || data.count >= 512
        }
        if bytes.isEmpty, let error {
            if case .closed = error { return .success(.classify([])) }
            return .failure(error)
        }
        return .success(.classify(bytes))
    }
}
