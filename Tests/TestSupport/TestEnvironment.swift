import Foundation
import CNetfilter

/// Whether kernel-backed tests (namespaces, nftables, real servers) can run here.
///
/// Under CI (`CI=true`) they always run, so a missing privilege or program is a failure, never a
/// silent skip. On a laptop without root they are skipped with a visible reason.
public enum TestEnvironment {
    public static var isCI: Bool {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return v == "true" || v == "1"
    }

    public static var isRoot: Bool { geteuid() == 0 }

    /// Use as `.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)")`.
    public static var kernelTestsEnabled: Bool { isCI || isRoot }

    /// Absolute path of a program in the usual sbin/bin folders, or nil.
    public static func which(_ program: String) -> String? {
        for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let p = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Root of the package checkout (the folder holding Package.swift), found from this file.
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The built `portcullis` binary next to the test bundle (debug build folder).
    public static var portcullisBinary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("portcullis"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("portcullis"),
        ]
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        // Fall back to a search of the scratch folders.
        let root = packageRoot
        if let items = try? FileManager.default.contentsOfDirectory(atPath: root.path) {
            for d in items where d.hasPrefix(".build") {
                let p = root.appendingPathComponent(d).appendingPathComponent("debug/portcullis")
                if FileManager.default.isExecutableFile(atPath: p.path) { return p }
            }
        }
        return candidates[0]
    }

    /// A short unique name (for namespaces, interfaces: ≤ 15 chars with a prefix of ≤ 6).
    public static func uniqueName(_ prefix: String) -> String {
        let chars = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let suffix = String((0..<7).map { _ in chars.randomElement()! })
        return prefix + suffix
    }

    /// A fresh temporary folder.
    public static func temporaryDirectory(_ prefix: String = "pc") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
