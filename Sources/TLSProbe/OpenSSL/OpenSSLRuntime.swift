import COpenSSL

/// One-time libssl setup for the process.
enum OpenSSLRuntime {
    /// Initialises libcrypto/libssl, with three of OpenSSL's defaults turned off:
    /// - the atexit cleanup: freeing every provider and table at exit took ~10 ms of a ~100 ms
    ///   probe, and the kernel frees the memory anyway;
    /// - registering every legacy `EVP_CIPHER` under its names (`OPENSSL_init_ssl` asks for it):
    ///   only `EVP_get_cipherbyname` reads that table (encrypted PEM keys, PKCS#12), which
    ///   Portcullis never calls; libssl fetches its ciphers from the providers. It cost 0.7 ms of
    ///   CPU on the way to the first handshake (a C program doing only this initialisation and
    ///   the client context, `perf stat -r 30`, six interleaved rounds: 4.6 → 3.8 ms). The digest
    ///   table stays: X509 signature info still looks digests up by name.
    /// - loading the reason texts of every error (`OPENSSL_INIT_NO_LOAD_*_STRINGS`):
    ///   `OpenSSLErrors` loads them the first time it has an error to report.
    /// Only effective when it runs before any other OpenSSL call, so every path into OpenSSL
    /// starts here (`TLSWarmUp`, `FullHandshake.run`, `ProbeClientContext`, `PEMCertificates.load`)
    /// — not `TLSProber.init`, where waiting for it held up the wire scan, which needs no OpenSSL.
    static let initialized: Bool = {
        let crypto = UInt64(OPENSSL_INIT_NO_ATEXIT) | UInt64(OPENSSL_INIT_NO_ADD_ALL_CIPHERS) | UInt64(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS)
        let ssl = UInt64(OPENSSL_INIT_NO_ADD_ALL_CIPHERS) | UInt64(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS) | UInt64(OPENSSL_INIT_NO_LOAD_SSL_STRINGS)
        return OPENSSL_init_crypto(crypto, nil) == 1 && OPENSSL_init_ssl(ssl, nil) == 1
    }()
}
