import Foundation
import Testing
import TestSupport
@testable import TLSProbe

/// OpenSSL starts without its error reason texts (`OpenSSLRuntime`); `OpenSSLErrors` loads them
/// when it first has an error to report, so messages still name the reason, not a bare code.
struct OpenSSLErrorsTests {
    @Test("a damaged CA file is reported with OpenSSL's reason text")
    func reasonTextOfADamagedPEM() throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-err")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("damaged.pem").path
        try "-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CAFileError.unreadable(path: path, reason: "malformed PEM (bad base64 decode)")) {
            _ = try CAFile.validate(path: path)
        }
    }

    @Test("the end-of-file 'no start line' after the last certificate is not an error")
    func endOfFileIsNotAnError() throws {
        let pki = try TLSCertificates.shared()
        #expect(try CAFile.validate(path: pki.caBundle) >= 1)
    }
}
