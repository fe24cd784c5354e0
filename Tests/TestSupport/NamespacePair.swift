import Foundation
import CNetfilter

/// A server and a client network namespace joined by a veth pair, created for one test and
/// deleted by `destroy()` (call it in a `defer`). Nothing is created in the root namespace: the
/// veth ends are made directly inside the two namespaces.
///
/// Addresses (two source prefixes per family, so tests can tell sources apart):
/// - server `eth0`: 10.77.1.1/24, 10.77.2.1/24, fd77:1::1/64, fd77:2::1/64
/// - client `eth0`: 10.77.1.2/24, 10.77.2.2/24, fd77:1::2/64, fd77:2::2/64
public final class NamespacePair: @unchecked Sendable {
    public let server: String
    public let client: String
    public static let serverInterface = "eth0"
    public static let serverV4 = ["10.77.1.1", "10.77.2.1"]
    public static let clientV4 = ["10.77.1.2", "10.77.2.2"]
    public static let serverV6 = ["fd77:1::1", "fd77:2::1"]
    public static let clientV6 = ["fd77:1::2", "fd77:2::2"]

    public init(prefix: String = "pc") throws {
        let tag = TestEnvironment.uniqueName("")
        server = "\(prefix)s\(tag)"
        client = "\(prefix)c\(tag)"
        do {
            try Subprocess.check(["ip", "netns", "add", server])
            try Subprocess.check(["ip", "netns", "add", client])
            try Subprocess.check(["ip", "-n", server, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", client])
            for (ns, v4, v6) in [(server, Self.serverV4, Self.serverV6), (client, Self.clientV4, Self.clientV6)] {
                try Subprocess.check(["ip", "-n", ns, "link", "set", "lo", "up"])
                for a in v4 { try Subprocess.check(["ip", "-n", ns, "addr", "add", "\(a)/24", "dev", "eth0"]) }
                for a in v6 { try Subprocess.check(["ip", "-n", ns, "addr", "add", "\(a)/64", "dev", "eth0", "nodad"]) }
                try Subprocess.check(["ip", "-n", ns, "link", "set", "eth0", "up"])
            }
        } catch {
            destroy()
            throw error
        }
    }

    /// Loads an nft script (`nft -f -`) inside the server namespace.
    public func loadNft(_ script: String) throws {
        try Subprocess.check(["ip", "netns", "exec", server, "nft", "-f", "-"], input: script)
    }

    /// Runs a command inside namespace `ns`.
    @discardableResult
    public func exec(_ ns: String, _ arguments: [String], input: String? = nil, timeout: Double = 60) throws -> Subprocess.Result {
        try Subprocess.check(["ip", "netns", "exec", ns] + arguments, input: input, timeout: timeout)
    }

    public func destroy() {
        _ = try? Subprocess.run(["ip", "netns", "pids", server], timeout: 5).stdout
            .split(separator: "\n").compactMap { Int32($0) }.forEach { kill($0, SIGKILL) }
        _ = try? Subprocess.run(["ip", "netns", "pids", client], timeout: 5).stdout
            .split(separator: "\n").compactMap { Int32($0) }.forEach { kill($0, SIGKILL) }
        _ = try? Subprocess.run(["ip", "netns", "del", server], timeout: 10)
        _ = try? Subprocess.run(["ip", "netns", "del", client], timeout: 10)
    }

    deinit {}
}
