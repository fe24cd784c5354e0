import COpenSSL
import COpenSSLShim
import CNetfilter
import Glibc

/// Why the extra CA file cannot be used. The CLI turns this into a one-line usage error.
public enum CAFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case noCertificates(path: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "cannot read CA file \(p): \(r)"
        case .noCertificates(let p): "CA file \(p) holds no PEM certificate"
        }
    }
}

/// The certificates of a PEM file, owned (X509_free on deinit). Confined to one thread.
final class PEMCertificates {
    let certificates: [OpaquePointer]

    private init(_ certificates: [OpaquePointer]) { self.certificates = certificates }
    deinit { certificates.forEach { X509_free($0) } }

    /// Loads every certificate of the PEM file at `path`; fails when it is unreadable, holds none,
    /// or a PEM block is damaged.
    static func load(path: String) throws(CAFileError) -> PEMCertificates {
        _ = OpenSSLRuntime.initialized
        guard let file = fopen(path, "r") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        ERR_clear_error()
        var certs: [OpaquePointer] = []
        while let x = PEM_read_X509(file, nil, nil, nil) { certs.append(x) }
        // The loop ends on an error; "no start line" at EOF is the normal end of file.
        let reasons = OpenSSLErrors.drain(ignoring: OpenSSLErrors.isPEMNoStartLine)
        if !reasons.isEmpty {
            certs.forEach { X509_free($0) }
            throw .unreadable(path: path, reason: "malformed PEM (\(reasons.joined(separator: "; ")))")
        }
        guard !certs.isEmpty else { throw .noCertificates(path: path) }
        return PEMCertificates(certs)
    }

    /// Checks a CA file without keeping it (for command-line validation).
    public static func validate(path: String) throws(CAFileError) -> Int {
        try load(path: path).certificates.count
    }
}

/// Public entry for the CLI: validates an extra CA file up front.
public enum CAFile {
    /// Number of certificates in the PEM file at `path`, or the reason it can't be used.
    public static func validate(path: String) throws(CAFileError) -> Int {
        try PEMCertificates.validate(path: path)
    }

    /// `validate` on a pool thread (it waits for libssl's start-up), so the caller's task can
    /// start probing meanwhile.
    public static func validatedInBackground(path: String) async -> Result<Int, CAFileError> {
        await BlockingWork.run { () -> Result<Int, CAFileError> in
            do throws(CAFileError) { return .success(try validate(path: path)) } catch { return .failure(error) }
        }
    }

    /// The checks that need no libssl, made before any connection: the file can be read and has
    /// a PEM certificate block. (Whether the blocks decode is `validate`'s part.)
    public static func precheck(path: String) throws(CAFileError) {
        guard let file = fopen(path, "r") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
                break
            }
        }
        // PEM_read_X509 accepts these two labels (PEM_STRING_X509, PEM_STRING_X509_OLD).
        let labels = ["-----BEGIN CERTIFICATE-----", "-----BEGIN X509 CERTIFICATE-----"].map { Array($0.utf8) }
        guard labels.contains(where: { bytes.contains(subsequence: $0) }) else { throw .noCertificates(path: path) }
    }
}

private extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard let first = needle.first, count >= needle.count else { return false }
        var i = startIndex
        while let hit = self[i...].firstIndex(of: first) {
            if hit + needle.count > count { return false }
            if self[hit..<hit + needle.count].elementsEqual(needle) { return true }
            i = hit + 1
        }
        return false
    }
}

/// An X509_STORE holding the trust anchors (system folder + self-signed certificates of the extra
/// CA file) and, separately, the non-self-signed certificates of the CA file, which may complete
/// a chain a server sent without its intermediate. Confined to one thread.
final class TrustAnchors {
    let store: OpaquePointer
    /// Intermediates from the extra CA file: never anchors, only chain helpers.
    let helpers: OpaquePointer
    private let extra: PEMCertificates?

    init(trustStorePath: String, caFile: String?) throws(CAFileError) {
        guard let store = X509_STORE_new(), let helpers = pc_sk_x509_new() else {
            fatalError("OpenSSL out of memory")
        }
        self.store = store
        self.helpers = helpers
        _ = X509_STORE_load_path(store, trustStorePath)
        ERR_clear_error()
        if let caFile {
            let pem: PEMCertificates
            do { pem = try PEMCertificates.load(path: caFile) } catch {
                X509_STORE_free(store)
                pc_sk_x509_free(helpers)
                throw error
            }
            extra = pem
            for cert in pem.certificates {
                if X509_self_signed(cert, 0) == 1 {
                    X509_STORE_add_cert(store, cert)
                } else {
                    pc_sk_x509_push(helpers, cert)
                }
            }
            ERR_clear_error()
        } else {
            extra = nil
        }
    }

    deinit {
        X509_STORE_free(store)
        pc_sk_x509_free(helpers)
    }
}
