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

    /// Enough bytes to classify: a complete HTTP head, or a first line of anything else.
    static func isEnough(_ data: [UInt8]) -> Bool {
        if data.starts(with: Array("HTTP/".utf8)) { return HTTPResponseHead.headerEnd(in: data) != nil }
        return data.contains(0x0A) || data.count >= 512
    }
}

/// Speaks cleartext to a port: sends `GET /` at once (services that talk first, like SSH or SMTP,
/// send their banner regardless) and reads the answer, bounded in bytes and time.
enum CleartextProbe {
    static func run(endpoint: Endpoint, options: ProbeOptions, deadline: Deadline) -> Result<CleartextOutcome, TransportError> {
        let socket: TCPTransport
        do {
            socket = try TCPTransport.connect(host: endpoint.host, port: endpoint.port, connectTimeout: options.timeout,
                                              operationTimeout: options.timeout, deadline: deadline)
        } catch {
            return .failure(error)
        }
        defer { socket.close() }
        do { try socket.send(Array(HTTPRequest.get(host: endpoint).utf8), deadline: deadline) } catch {
            // A service that talks first and closes may refuse our bytes: still read what it said.
            if case .timeout = error { return .failure(error) }
        }
        var data: [UInt8] = []
        while data.count < options.maxHTTPBytes, !CleartextOutcome.isEnough(data) {
            do {
                let chunk = try socket.receive(maximum: options.maxHTTPBytes - data.count, deadline: deadline)
                if chunk.isEmpty { break }
                data += chunk
            } catch {
                if data.isEmpty { return .failure(error) }
                break
            }
        }
        return .success(.classify(data))
    }
}
