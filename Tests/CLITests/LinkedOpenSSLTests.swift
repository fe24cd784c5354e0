import Testing
import Foundation
import TestSupport
import TLSProbe

/// Portcullis links OpenSSL from Debian's static archives: the real binary must carry no shared
/// libssl/libcrypto, say which OpenSSL it carries, and tell the user to rebuild once the system's
/// OpenSSL has changed after it was built — and only then.
struct LinkedOpenSSLTests {
    @Test func binaryNeedsNoSharedOpenSSL() throws {
        let r = try Subprocess.run(["/usr/bin/readelf", "-d", TestEnvironment.portcullisBinary.path], timeout: 60)
        #expect(r.status == 0)
        let needed = r.stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty)
        #expect(!needed.contains { $0.contains("libssl") || $0.contains("libcrypto") }, "\(needed)")
    }

    @Test func versionNamesTheOpenSSLInside() throws {
        let r = try Subprocess.run([TestEnvironment.portcullisBinary.path, "--version"], timeout: 30)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("0.1.0 (OpenSSL 3."), "\(r.stdout)")
        #expect(r.stdout.contains(", linked in)"))
    }

    /// A copy of the binary dated before and after the system's libcrypto was installed.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: LinkedOpenSSL.systemLibraryPath) || TestEnvironment.isCI,
                   "needs Debian's libssl3 (always runs under CI=true)"))
    func rebuildAdviceFollowsTheSystemOpenSSL() throws {
        let dir = try TestEnvironment.temporaryDirectory("pc-ossl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("portcullis")
        // Copied by `cp`, not by this process: a thread of ours forking while we held the copy
        // open for writing would hand the child that descriptor, and exec would then fail with
        // "Text file busy" (seen when the tests run in parallel).
        let cp = try Subprocess.run(["/bin/cp", TestEnvironment.portcullisBinary.path, copy.path], timeout: 60)
        #expect(cp.status == 0, "\(cp.stderr)")
        // Port 1 on loopback refuses at once: the probe ends with exit 5, after the advice.
        let probe = [copy.path, "probe", "127.0.0.1:1", "--timeout", "1", "--format", "json"]

        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 946_684_800)], ofItemAtPath: copy.path)
        let stale = try Subprocess.run(probe, timeout: 60)
        #expect(stale.status == 5)
        let advice = stale.stderr.split(separator: "\n").filter { $0.hasPrefix("portcullis: warning: the system's OpenSSL") }
        #expect(advice.count == 1, "\(stale.stderr)")
        #expect(advice.first?.contains("rm \(copy.path) && swift build -c release --static-swift-stdlib") == true)

        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 4_102_444_800)], ofItemAtPath: copy.path)
        let fresh = try Subprocess.run(probe, timeout: 60)
        #expect(fresh.status == 5)
        #expect(!fresh.stderr.contains("warning"), "\(fresh.stderr)")
    }
}
