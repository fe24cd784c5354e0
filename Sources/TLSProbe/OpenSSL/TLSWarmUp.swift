import COpenSSL
import TLSWire

/// Pays libssl's one-time costs on a pool thread while the command line is still being parsed,
/// so the first real handshake does not: reading the configuration and starting the providers,
/// making the shared `ProbeClientContext` (which fetches every algorithm), and loading the key
/// decoders (about 4 ms of CPU here, measured with a C program doing the same calls). Also
/// builds the cipher suite lookup tables the scanner uses. Harmless when the command turns out
/// not to need TLS.
public enum TLSWarmUp {
    public static func start() {
        BlockingThreadPool.shared.submit { run() }
    }

    static func run() {
        guard OpenSSLRuntime.initialized else { return }
        _ = ProbeClientContext.shared
        // A public key decode loads the decoders that every certificate's key needs later.
        publicKeyP256Generator.withUnsafeBufferPointer { der in
            var cursor: UnsafePointer<UInt8>? = der.baseAddress
            if let key = d2i_PUBKEY(nil, &cursor, der.count) { EVP_PKEY_free(key) }
        }
        ERR_clear_error()
        _ = CipherSuiteRegistry.suite(tls: 0x1301)
        _ = CipherSuiteRegistry.candidates(for: .tls12)
    }

    /// SubjectPublicKeyInfo of the P-256 base point (the public key of private key 1): a valid
    /// key to decode that needs no file and no randomness.
    private static let publicKeyP256Generator: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
        0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
        0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96,
        0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16,
        0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5,
    ]
}
