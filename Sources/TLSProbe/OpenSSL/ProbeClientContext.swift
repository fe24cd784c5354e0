import COpenSSL
import COpenSSLShim

/// The one `SSL_CTX` every full handshake of the process uses: a modern-but-lenient client
/// (TLS 1.0–1.3 at security level 0, so legacy servers still show their certificate; every
/// cipher but the anonymous and NULL ones; no verification in the handshake, the chain is judged
/// afterwards by `CertificateAnalyzer`).
///
/// Why shared: OpenSSL 3 fetches every algorithm it may need when a context is made, which cost
/// more CPU than the handshake itself; `TLSWarmUp` makes this context on another core while the
/// command line is parsed. A configured `SSL_CTX` may be used by many threads at once for
/// `SSL_new`; nothing changes it after it is made. Client sessions are not cached
/// (OpenSSL's default for clients), so no handshake resumes another.
enum ProbeClientContext {
    /// The context, or why libssl could not be initialised or the context not made.
    static var shared: Result<OpaquePointer, HandshakeFailure> { made.context }

    /// Holds the context for the process's lifetime. `@unchecked Sendable`: the pointer is
    /// written once, before any reader can see it (a `static let` initialiser), and the
    /// `SSL_CTX` behind it is only read afterwards, which OpenSSL allows from any thread.
    private final class Made: @unchecked Sendable {
        let context: Result<OpaquePointer, HandshakeFailure>
        init(_ context: Result<OpaquePointer, HandshakeFailure>) { self.context = context }
    }

    private static let made = Made(make())

    private static func make() -> Result<OpaquePointer, HandshakeFailure> {
        guard OpenSSLRuntime.initialized else { return .failure(.tls(OpenSSLErrors.drainText("OpenSSL initialisation failed"))) }
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return .failure(.tls(OpenSSLErrors.drainText("SSL_CTX_new failed"))) }
        SSL_CTX_set_security_level(ctx, 0)
        _ = pc_ssl_ctx_set_min_proto(ctx, TLS1_VERSION)
        _ = pc_ssl_ctx_set_max_proto(ctx, TLS1_3_VERSION)
        _ = SSL_CTX_set_cipher_list(ctx, "DEFAULT:ALL:!aNULL:!eNULL:@SECLEVEL=0")
        pc_ssl_ctx_set_probe_options(ctx)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        ERR_clear_error()
        return .success(ctx)
    }

    /// ALPN list offered when HTTP/2 is welcome: h2, then http/1.1 (RFC 7301 wire format).
    static let alpnOffer: [UInt8] = [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)
}
