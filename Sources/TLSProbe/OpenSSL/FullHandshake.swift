import COpenSSL
import COpenSSLShim
import CNetfilter
import Glibc

/// What one complete OpenSSL handshake (and the `GET /` sent over it) showed.
struct FullHandshakeOutcome: Sendable {
    var protocolKey: ProtocolKey?
    var protocolName: String
    var cipherSuite: String
    var alpn: String?
    var ocspStapled: Bool
    /// The server's ephemeral key: "X25519", "secp256r1", "DH 1024" …
    var keyExchange: String?
    /// Size of the finite-field DH group when the suite is DHE.
    var dhBits: Int?
    /// nil with `certificateError` set when the chain could not be analysed.
    var certificate: CertificateReport?
    var certificateError: String?
    var http: Result<HTTPResponseHead, HTTPFailure>
}

struct HTTPFailure: Error, Sendable, Equatable {
    var reason: String
    /// The attempt spoke HTTP/2 (ALPN chose h2); HTTP/1.1 on a connection without ALPN may still work.
    var overHTTP2 = false
}

/// Why a handshake did not complete.
enum HandshakeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case connection(TransportError)
    /// The peer answered but not with an acceptable TLS handshake; OpenSSL's reasons.
    case tls(String)
    case timedOut
    /// The extra CA file went bad between validation and use.
    case caFile(CAFileError)

    var description: String {
        switch self {
        case .connection(let e): e.description
        case .tls(let r): "TLS handshake failed: \(r)"
        case .timedOut: "TLS handshake timed out"
        case .caFile(let e): e.description
        }
    }

    var isTransient: Bool {
        switch self {
        case .connection(let e): e.isTransient
        case .timedOut: true
        default: false
        }
    }

    /// OpenSSL's reasons when the peer did not speak TLS at all (plaintext service on the port).
    var suggestsNotTLS: Bool {
        guard case .tls(let r) = self else {
            if case .connection(.closed) = self { return true }
            if case .connection(.reset) = self { return true }
            if case .connection(.tooMuchData) = self { return true }
            return false
        }
        return ["wrong version number", "packet length too long", "http request", "record layer failure",
                "unexpected eof", "record length mismatch", "unexpected message"].contains { r.contains($0) }
    }
}

/// One full TLS handshake with libssl as a modern-but-lenient client: SNI, ALPN (h2, http/1.1),
/// status_request, TLS 1.0–1.3 at security level 0 (so legacy servers still show their
/// certificate), then `GET /` over the same connection. Runs entirely on the calling thread;
/// every OpenSSL object but the shared `ProbeClientContext` is created, used and freed here.
enum FullHandshake {
    /// - Parameters:
    ///   - offerALPN: false for the second connection made only to speak HTTP/1.1 to an h2 server.
    ///   - deadline: monotonic seconds; nothing on this connection waits past it.
    static func run(endpoint: Endpoint, options: ProbeOptions, offerALPN: Bool = true, deadline: Deadline) -> Result<FullHandshakeOutcome, HandshakeFailure> {
        // First, before any other OpenSSL call: the process's one initialisation (OpenSSLRuntime).
        guard OpenSSLRuntime.initialized else { return .failure(.tls(OpenSSLErrors.drainText("OpenSSL initialisation failed"))) }
        let socket: TCPTransport
        do {
            socket = try TCPTransport.connect(host: endpoint.host, port: endpoint.port, connectTimeout: options.timeout,
                                              operationTimeout: options.timeout, deadline: deadline)
        } catch {
            return .failure(.connection(error))
        }
        defer { socket.close() }
        let ctx: OpaquePointer
        switch ProbeClientContext.shared {
        case .success(let c): ctx = c
        case .failure(let f): return .failure(f)
        }
        guard let ssl = SSL_new(ctx) else { return .failure(.tls(OpenSSLErrors.drainText("SSL_new failed"))) }
        defer { SSL_free(ssl) }
        if offerALPN {
            // SSL_set_alpn_protos returns 0 on success (unlike most of libssl).
            let alpn = ProbeClientContext.alpnOffer
            guard SSL_set_alpn_protos(ssl, alpn, UInt32(alpn.count)) == 0 else {
                return .failure(.tls(OpenSSLErrors.drainText("SSL_set_alpn_protos failed")))
            }
        }
        SSL_set_fd(ssl, socket.fd)
        if let name = endpoint.serverNameToSend { _ = pc_ssl_set_sni(ssl, name) }
        _ = pc_ssl_request_ocsp(ssl)
        ERR_clear_error()

        // Non-blocking handshake: each WANT_READ/WRITE waits at most the idle timeout and never
        // past the connection deadline.
        while true {
            errno = 0
            let rc = SSL_connect(ssl)
            if rc == 1 { break }
            let kind = SSL_get_error(ssl, rc)
            let savedErrno = errno
            let reasons = OpenSSLErrors.drain()
            switch kind {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                guard wait(socket, write: kind == SSL_ERROR_WANT_WRITE, options, deadline) else { return .failure(.timedOut) }
                continue
            case SSL_ERROR_SYSCALL:
                if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK {
                    guard wait(socket, write: false, options, deadline) else { return .failure(.timedOut) }
                    continue
                }
                if savedErrno == ECONNRESET { return .failure(.connection(.reset(operation: "TLS handshake"))) }
                if !reasons.isEmpty { return .failure(.tls(reasons.joined(separator: "; "))) }
                return .failure(.connection(.closed))
            case SSL_ERROR_ZERO_RETURN:
                return .failure(.connection(.closed))
            default:
                return .failure(.tls(reasons.isEmpty ? "handshake failure" : reasons.joined(separator: "; ")))
            }
        }

        let versionName = String(cString: SSL_get_version(ssl))
        let cipher = SSL_get_current_cipher(ssl)
        let suite = cipher.flatMap { SSL_CIPHER_standard_name($0) }.map { String(cString: $0) } ?? "unknown"
        var alpnPointer: UnsafePointer<UInt8>?
        var alpnLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &alpnPointer, &alpnLength)
        let alpn = alpnPointer.flatMap { p in alpnLength > 0 ? String(decoding: UnsafeBufferPointer(start: p, count: Int(alpnLength)), as: UTF8.self) : nil }
        let stapled = pc_ssl_ocsp_response_length(ssl) > 0
        var keyExchange: String?
        var dhBits: Int?
        if let tmp = pc_ssl_peer_tmp_key(ssl) {
            let id = EVP_PKEY_get_base_id(tmp)
            let bits = Int(EVP_PKEY_get_bits(tmp))
            if id == EVP_PKEY_DH || id == NID_dhKeyAgreement || id == NID_dhpublicnumber {
                dhBits = bits
                keyExchange = "DH \(bits)"
            } else {
                var buf = [CChar](repeating: 0, count: 80)
                var len = 0
                if EVP_PKEY_get_group_name(tmp, &buf, buf.count, &len) == 1 {
                    keyExchange = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                } else {
                    keyExchange = OBJ_nid2sn(id).map { String(cString: $0) }
                }
            }
            EVP_PKEY_free(tmp)
        }

        // `GET /` goes out before the certificate analysis, which then runs while the server
        // answers; the answer is read afterwards.
        let overHTTP2 = alpn == "h2"
        let request = overHTTP2
            ? HTTP2Exchange.request(authority: HTTPRequest.authority(endpoint), userAgent: HTTPRequest.userAgent)
            : Array(HTTPRequest.get(host: endpoint).utf8)
        let sendFailure = send(request, ssl: ssl, socket: socket, options: options, deadline: deadline)

        // The trust anchors (the extra CA file's certificates decoded) are needed only now.
        let anchors: TrustAnchors
        do { anchors = try TrustAnchors(trustStorePath: options.trustStorePath, caFile: options.caFile) } catch {
            return .failure(.caFile(error))
        }

        var certificate: CertificateReport?
        var certificateError: String?
        if let chain = SSL_get_peer_cert_chain(ssl) {
            certificate = CertificateAnalyzer.analyze(sentChain: chain, expectedName: endpoint.expectedName,
                                                      anchors: anchors, ocspStapled: stapled)
            if certificate == nil { certificateError = "server sent an empty certificate chain" }
        } else {
            certificateError = "server sent no certificate (anonymous suite or PSK)"
        }

        let http: Result<HTTPResponseHead, HTTPFailure>
        if let sendFailure {
            http = .failure(HTTPFailure(reason: sendFailure.reason, overHTTP2: overHTTP2))
        } else if overHTTP2 {
            http = readHTTP2(ssl: ssl, socket: socket, options: options, deadline: deadline)
        } else {
            http = readHTTP1(ssl: ssl, socket: socket, options: options, deadline: deadline)
        }
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
        return .success(FullHandshakeOutcome(protocolKey: ProtocolKey(openSSLName: versionName), protocolName: versionName,
                                             cipherSuite: suite, alpn: alpn, ocspStapled: stapled,
                                             keyExchange: keyExchange, dhBits: dhBits,
                                             certificate: certificate, certificateError: certificateError, http: http))
    }

    /// The answer to `GET /` over HTTP/1.1 (request already sent); reads the head only (bounded).
    static func readHTTP1(ssl: OpaquePointer, socket: TCPTransport, options: ProbeOptions, deadline: Deadline) -> Result<HTTPResponseHead, HTTPFailure> {
        var data: [UInt8] = []
        return read(ssl: ssl, socket: socket, options: options, deadline: deadline) { chunk, closed in
            data += chunk
            guard closed || data.count >= options.maxHTTPBytes || HTTPResponseHead.headerEnd(in: data) != nil else { return nil }
            return HTTPRequest.parse(data, limit: options.maxHTTPBytes)
        }
    }

    /// The answer to `GET /` over HTTP/2 (request already sent), for a connection where ALPN
    /// chose h2. A failure is marked `overHTTP2` so the caller can still ask over HTTP/1.1 on a
    /// connection without ALPN.
    static func readHTTP2(ssl: OpaquePointer, socket: TCPTransport, options: ProbeOptions, deadline: Deadline) -> Result<HTTPResponseHead, HTTPFailure> {
        var reader = HTTP2Exchange.ResponseReader()
        var received = 0
        let result = read(ssl: ssl, socket: socket, options: options, deadline: deadline) { chunk, closed in
            received += chunk.count
            switch reader.feed(chunk) {
            case .head(let head): return .success(head)
            case .failed(let why): return .failure(HTTPFailure(reason: why))
            case .needMore:
                if closed { return .failure(HTTPFailure(reason: "connection closed before the HTTP/2 response")) }
                if received >= options.maxHTTPBytes { return .failure(HTTPFailure(reason: "no HTTP/2 response head within \(options.maxHTTPBytes) bytes")) }
                return nil
            }
        }
        return result.mapError { HTTPFailure(reason: $0.reason, overHTTP2: true) }
    }

    /// Writes all of `request`; nil when sent, otherwise why not. Every wait is bounded by the
    /// idle timeout and the deadline.
    private static func send(_ request: [UInt8], ssl: OpaquePointer, socket: TCPTransport, options: ProbeOptions, deadline: Deadline) -> HTTPFailure? {
        while true {
            ERR_clear_error()
            let written = request.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            if written == Int32(request.count) { break }
            let kind = SSL_get_error(ssl, written)
            let reasons = OpenSSLErrors.drain()
            if kind == SSL_ERROR_WANT_WRITE || kind == SSL_ERROR_WANT_READ {
                guard wait(socket, write: kind == SSL_ERROR_WANT_WRITE, options, deadline) else {
                    return HTTPFailure(reason: "timed out sending the request")
                }
                continue
            }
            return HTTPFailure(reason: "sending the request failed: \(reasons.isEmpty ? "connection closed" : reasons.joined(separator: "; "))")
        }
        return nil
    }

    /// Reads until `answer` (given each chunk read, and whether the peer closed) returns a
    /// result. Every wait is bounded by the idle timeout and the deadline.
    private static func read(ssl: OpaquePointer, socket: TCPTransport, options: ProbeOptions, deadline: Deadline,
                             answer: ([UInt8], _ closed: Bool) -> Result<HTTPResponseHead, HTTPFailure>?) -> Result<HTTPResponseHead, HTTPFailure> {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n <= 0 {
                let kind = SSL_get_error(ssl, n)
                let savedErrno = errno
                let reasons = OpenSSLErrors.drain()
                if kind == SSL_ERROR_WANT_READ || kind == SSL_ERROR_WANT_WRITE || (kind == SSL_ERROR_SYSCALL && savedErrno == EAGAIN) {
                    guard wait(socket, write: kind == SSL_ERROR_WANT_WRITE, options, deadline) else {
                        return .failure(HTTPFailure(reason: "timed out reading the response"))
                    }
                    continue
                }
                if kind == SSL_ERROR_ZERO_RETURN || kind == SSL_ERROR_SYSCALL || reasons.contains(where: { $0.contains("unexpected eof") }) {
                    return answer([], true) ?? .failure(HTTPFailure(reason: "no HTTP response"))
                }
                return .failure(HTTPFailure(reason: reasons.isEmpty ? "reading the response failed" : reasons.joined(separator: "; ")))
            }
            if let result = answer(Array(buffer[0..<Int(n)]), false) { return result }
        }
    }
}

extension FullHandshake {
    /// Waits for the socket OpenSSL wants (at most the idle timeout, never past the deadline).
    static func wait(_ socket: TCPTransport, write: Bool, _ options: ProbeOptions, _ deadline: Deadline) -> Bool {
        let limit = deadline.capped(seconds: options.timeout)
        do {
            if write { try socket.waitWritable(deadline: limit) } else { try socket.waitReadable(deadline: limit) }
            return true
        } catch {
            return false
        }
    }
}

/// The request the probe sends and how it reads the answer.
enum HTTPRequest {
    static let userAgent = "portcullis-probe/1"

    /// The Host header (HTTP/1.1) or :authority (HTTP/2): the SNI name or address, with the port
    /// unless it is the scheme's default.
    static func authority(_ host: Endpoint) -> String {
        let name = host.sni ?? (host.host.contains(":") ? "[\(host.host)]" : host.host)
        return (host.port == 443 || host.port == 80) ? name : "\(name):\(host.port)"
    }

    static func get(host: Endpoint) -> String {
        "GET / HTTP/1.1\r\nHost: \(authority(host))\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    }

    static func parse(_ data: [UInt8], limit: Int) -> Result<HTTPResponseHead, HTTPFailure> {
        if data.isEmpty { return .failure(HTTPFailure(reason: "no HTTP response")) }
        do { return .success(try HTTPResponseHead.parse(data)) } catch {
            if error == .incomplete, data.count >= limit {
                return .failure(HTTPFailure(reason: "response headers exceed \(limit) bytes"))
            }
            return .failure(HTTPFailure(reason: error.description))
        }
    }
}
