import COpenSSL

/// One-time libssl setup for the process.
enum OpenSSLRuntime {
    /// Initialises libcrypto/libssl without OpenSSL's atexit cleanup: freeing every provider and
    /// table at exit took ~10 ms of a ~100 ms probe, and the kernel frees the memory anyway. Only
    /// effective when it runs before any other OpenSSL call, so every path into OpenSSL starts
    /// here (`TLSWarmUp`, `FullHandshake.run`, `ProbeClientContext`, `PEMCertificates.load`) —
    /// not `TLSProber.init`, where waiting for it held up the wire scan, which needs no OpenSSL.
    static let initialized: Bool = {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1 && OPENSSL_init_ssl(0, nil) == 1
    }()
}
