import ChildProcess
import FoundationEssentials
import Glibc
import CNetfilter
import NftModel

/// Where a ruleset comes from: the live kernel (optionally another network namespace), a
/// Portcullis dump file, or an nft script that the kernel parses inside a throwaway namespace.
public enum RulesetSource: Sendable, Equatable {
    case live(netns: String?)
    case dumpFile(String)
    case nftScript(String)
}

public func loadRuleset(_ source: RulesetSource) throws(RulesetReadError) -> Ruleset {
    switch source {
    case .live(let netns): try NetlinkRulesetReader().read(netns: netns)
    case .dumpFile(let path): try RulesetDumpFile.read(path: path)
    case .nftScript(let path): try NftScriptLoader.load(path: path)
    }
}

/// Loads an nft script into a private, uniquely named network namespace (`ip netns add`), lets
/// the kernel parse it with `nft -f` inside that namespace, reads it back over netlink like a live
/// ruleset and deletes the namespace — always, also on failure. nft is only the script parser
/// here; the reading is the same netlink reader. The root namespace is never touched.
public enum NftScriptLoader {
    public static func load(path: String) throws(RulesetReadError) -> Ruleset {
        guard FileManager.default.isReadableFile(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw .unreadableFile(path: path, reason: reason)
        }
        guard geteuid() == 0 else {
            throw .permissionDenied("loading nft script \(path) needs root: it is parsed by the kernel inside a private network namespace (CAP_SYS_ADMIN and CAP_NET_ADMIN)")
        }
        for program in ["ip", "nft"] where !ChildProcess.isInstalled(program) {
            throw .namespace("loading nft script \(path) needs `\(program)` (packages iproute2 and nftables), which is not installed")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let name = "portcullis-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try run(["ip", "netns", "add", name], what: "creating network namespace \(name)")
        defer { _ = try? ChildProcess.run(["ip", "netns", "del", name], timeout: 30) }
        _ = try? ChildProcess.run(["ip", "-n", name, "link", "set", "lo", "up"], timeout: 30)
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(["ip", "netns", "exec", name, "nft", "-f", absolute], timeout: 300)
        } catch {
            throw .namespace("cannot run nft inside namespace \(name): \(error)")
        }
        guard result.status == 0 else { throw scriptError(result.stderr, path: path) }
        var ruleset = try NetlinkRulesetReader().read(netns: name)
        ruleset.legacyIptablesTables = []
        return ruleset
    }

    private static func run(_ arguments: [String], what: String) throws(RulesetReadError) {
        let r: ChildProcess.Result
        do { r = try ChildProcess.run(arguments, timeout: 30) } catch { throw .namespace("\(what): \(error)") }
        guard r.status == 0 else {
            throw .namespace("\(what) failed: \(r.stderr.split(whereSeparator: \.isNewline).first ?? "exit \(r.status)")")
        }
    }

    /// nft reports `FILE:LINE:COL-COL: Error: reason`; keep the first such line.
    static func scriptError(_ stderr: String, path: String) -> RulesetReadError {
        let lines = stderr.split(whereSeparator: \.isNewline).map(String.init)
        if let errorLine = lines.first(where: { $0.contains(": Error: ") }) {
            let parts = errorLine.components(separatedBy: ": Error: ")
            let location = parts[0].split(separator: ":")
            let line = location.count >= 2 ? Int(location[location.count - 2]) ?? Int(location[1]) : nil
            return .malformedFile(path: path, line: line, reason: "nft rejected the script: \(parts.dropFirst().joined(separator: ": Error: "))")
        }
        let reason = lines.first ?? "nft -f failed"
        return .malformedFile(path: path, line: nil, reason: "nft rejected the script: \(reason)")
    }
}
