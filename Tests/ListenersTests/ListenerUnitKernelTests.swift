import Testing
import Foundation
import TestSupport
@testable import Listeners

/// systemd units come from the owning process's real cgroup. No systemd runs here, so the test
/// makes the cgroups a unit would have (in the `name=systemd` v1 hierarchy, or the unified one),
/// moves a listening process into each, and removes exactly the folders it made.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ListenerUnitKernelTests {
    /// The hierarchy systemd would name units in: v1 `name=systemd`, else the v2 root.
    static var hierarchy: String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: "/sys/fs/cgroup/systemd/cgroup.procs") { return "/sys/fs/cgroup/systemd" }
        if fm.fileExists(atPath: "/sys/fs/cgroup/cgroup.procs") && fm.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") { return "/sys/fs/cgroup" }
        return nil
    }

    /// Creates `relative` (and missing parents) under `root`; returns the folders made, deepest last.
    static func makeCgroup(_ root: String, _ relative: String) throws -> [String] {
        var made: [String] = []
        var path = root
        for component in relative.split(separator: "/") {
            path += "/\(component)"
            if !FileManager.default.fileExists(atPath: path) {
                guard mkdir(path, 0o755) == 0 else { throw NetnsSockets.Failure.socket("mkdir \(path)", errno) }
                made.append(path)
            }
        }
        return made
    }

    static func move(_ pid: pid_t, to cgroup: String) throws {
        try "\(pid)\n".write(toFile: cgroup + "/cgroup.procs", atomically: false, encoding: .utf8)
    }

    @Test func systemAndUserUnitsOfOwners() throws {
        let root = try #require(Self.hierarchy, "no writable systemd or unified cgroup hierarchy")
        let ns = TestEnvironment.uniqueName("lsd")
        try Subprocess.check(["ip", "netns", "add", ns])
        defer { _ = try? Subprocess.run(["ip", "netns", "del", ns], timeout: 10) }
        try Subprocess.check(["ip", "-n", ns, "link", "set", "lo", "up"])
        let tag = TestEnvironment.uniqueName("")
        let systemUnit = "pc-ls-\(tag).service"
        let userUnit = "pc-ls-\(tag)-app.service"
        let systemPath = "system.slice/\(systemUnit)"
        let userPath = "user.slice/user-4242.slice/user@4242.service/app.slice/\(userUnit)"

        var made: [String] = []
        var pids: [pid_t] = []
        defer {
            pids.forEach { Subprocess.terminate(pid: $0) }
            for dir in made.reversed() { rmdir(dir) }
        }
        made += try Self.makeCgroup(root, systemPath)
        made += try Self.makeCgroup(root, userPath)
        // A process that binds, then waits for its stdin to close (stdin is /dev/null: sleep instead).
        func server(port: Int) throws -> pid_t {
            try Subprocess.spawn(["ip", "netns", "exec", ns, "/usr/bin/python3", "-c",
                                  "import socket,time\ns=socket.socket()\ns.bind(('0.0.0.0',\(port)))\ns.listen()\ntime.sleep(60)"])
        }
        let a = try server(port: 7001)
        pids.append(a)
        let b = try server(port: 7002)
        pids.append(b)
        try Self.move(a, to: "\(root)/\(systemPath)")
        try Self.move(b, to: "\(root)/\(userPath)")

        var scan = ListenerScan(listeners: [], warnings: [])
        for _ in 0..<300 {
            scan = try ListenerScanner().scan(protocols: [.tcp], netns: ns)
            if scan.listeners.count == 2 && scan.listeners.allSatisfy({ !$0.processes.isEmpty }) { break }
            usleep(10_000)
        }
        let byPort = Dictionary(uniqueKeysWithValues: scan.listeners.map { ($0.port, $0) })
        #expect(byPort[7001]?.processes.map(\.pid) == [a])
        #expect(byPort[7001]?.processes.first?.unit == systemUnit)
        #expect(byPort[7002]?.processes.map(\.pid) == [b])
        #expect(byPort[7002]?.processes.first?.unit == userUnit)
    }
}
