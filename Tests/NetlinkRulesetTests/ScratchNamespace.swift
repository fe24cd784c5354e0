import Foundation
import TestSupport

/// One throwaway network namespace for a reader test, with `lo` up and a veth pair `eth0`/`eth1`
/// inside it (netdev ingress chains need a device). Deleted by `destroy()` (call it in a defer).
final class ScratchNamespace: @unchecked Sendable {
    let name: String

    init() throws {
        name = TestEnvironment.uniqueName("pcrd")
        try Subprocess.check(["ip", "netns", "add", name])
        do {
            try Subprocess.check(["ip", "-n", name, "link", "set", "lo", "up"])
            try Subprocess.check(["ip", "-n", name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"])
            try Subprocess.check(["ip", "-n", name, "link", "set", "eth0", "up"])
        } catch {
            destroy()
            throw error
        }
    }

    @discardableResult
    func exec(_ arguments: [String], input: String? = nil) throws -> Subprocess.Result {
        try Subprocess.check(["ip", "netns", "exec", name] + arguments, input: input, timeout: 120)
    }

    func loadNft(_ script: String) throws { try exec(["nft", "-f", "-"], input: script) }

    func destroy() {
        _ = try? Subprocess.run(["ip", "netns", "pids", name], timeout: 5).stdout
            .split(separator: "\n").compactMap { Int32($0) }.forEach { kill($0, SIGKILL) }
        _ = try? Subprocess.run(["ip", "netns", "del", name], timeout: 10)
    }
}
