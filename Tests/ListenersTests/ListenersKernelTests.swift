import Testing
import Foundation
import NftModel
import NetNamespace
import CNetfilter
import TestSupport
@testable import Listeners

/// Real sockets in a namespace the test creates, enumerated through sock_diag and compared with
/// what `ss` (the kernel's own view, independently parsed) reports for the same namespace.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct ListenersKernelTests {
    /// A python3 process inside `namespace` holding several listeners; prints "ready" when bound.
    static let pythonListeners = """
    import socket, sys, time
    socks = []
    def sock(kind, fam, addr, port, v6only=None):
        s = socket.socket(fam, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if v6only is not None:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
        s.bind((addr, port))
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        socks.append(s)
    sock(socket.SOCK_STREAM, socket.AF_INET6, "::", 9443, 0)
    sock(socket.SOCK_STREAM, socket.AF_INET6, "fd77:1::1", 9444, 1)
    sock(socket.SOCK_STREAM, socket.AF_INET6, "::ffff:10.77.1.1", 9445, 0)
    sock(socket.SOCK_STREAM, socket.AF_INET6, "::1", 9446, 0)
    sock(socket.SOCK_DGRAM, socket.AF_INET6, "::", 9443, 0)
    sock(socket.SOCK_DGRAM, socket.AF_INET, "10.77.2.1", 9447)
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # connected UDP: not a listener
    c.connect(("10.77.1.2", 9))
    socks.append(c)
    print("ready", flush=True)
    time.sleep(120)
    """

    /// Starts the python listeners in `namespace` and waits until they are bound.
    static func startPython(in namespace: String, folder: URL) throws -> pid_t {
        let out = folder.appendingPathComponent("python.out").path
        let pid = try Subprocess.spawn(["ip", "netns", "exec", namespace, "/usr/bin/python3", "-c", pythonListeners],
                                       stdoutPath: out, stderrPath: folder.appendingPathComponent("python.err").path)
        for _ in 0..<400 {
            if (try? String(contentsOfFile: out, encoding: .utf8))?.contains("ready") == true { return pid }
            if Subprocess.wait(pid: pid, timeout: 0) != nil { break }
            usleep(10_000)
        }
        Subprocess.terminate(pid: pid)
        let err = (try? String(contentsOfFile: folder.appendingPathComponent("python.err").path, encoding: .utf8)) ?? ""
        throw SSSocket.ParseFailure(line: "python listeners did not start: \(err)")
    }

    struct Expected {
        var proto: TransportProtocol
        var family: IPVersion
        var address: String
        var port: UInt16
        var v6only: Bool
        var binding: BindingClass
        var accepted: [IPVersion]
        var owner: pid_t
    }

    @Test func enumerationMatchesSSAndTheSocketsWeOpened() throws {
        let pair = try NamespacePair(prefix: "ls")
        defer { pair.destroy() }
        let folder = try TestEnvironment.temporaryDirectory("pc-listeners")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ns = pair.server
        let me = getpid()

        // In-process sockets (owner: this test process).
        var fds: [Int32] = []
        defer { fds.forEach { close($0) } }
        fds.append(try NetnsSockets.listen(namespace: ns, v6: false, port: 443))
        fds.append(try NetnsSockets.listen(namespace: ns, v6: true, port: 443)) // v6only
        fds.append(try NetnsSockets.listen(namespace: ns, v6: false, port: 8080, address: "127.0.0.1"))
        fds.append(try NetnsSockets.listen(namespace: ns, v6: false, port: 8443, address: "10.77.1.1"))
        fds.append(try NetnsSockets.listen(namespace: ns, v6: false, port: 443, udp: true))
        // A separate process with several listeners.
        let python = try Self.startPython(in: ns, folder: folder)
        defer { Subprocess.terminate(pid: python) }

        let expected: [Expected] = [
            .init(proto: .tcp, family: .ipv4, address: "0.0.0.0", port: 443, v6only: false, binding: .wildcard, accepted: [.ipv4], owner: me),
            .init(proto: .tcp, family: .ipv6, address: "::", port: 443, v6only: true, binding: .wildcard, accepted: [.ipv6], owner: me),
            .init(proto: .tcp, family: .ipv4, address: "127.0.0.1", port: 8080, v6only: false, binding: .loopback, accepted: [], owner: me),
            .init(proto: .tcp, family: .ipv4, address: "10.77.1.1", port: 8443, v6only: false, binding: .specific, accepted: [.ipv4], owner: me),
            .init(proto: .udp, family: .ipv4, address: "0.0.0.0", port: 443, v6only: false, binding: .wildcard, accepted: [.ipv4], owner: me),
            .init(proto: .tcp, family: .ipv6, address: "::", port: 9443, v6only: false, binding: .wildcard, accepted: [.ipv4, .ipv6], owner: python),
            .init(proto: .tcp, family: .ipv6, address: "fd77:1::1", port: 9444, v6only: true, binding: .specific, accepted: [.ipv6], owner: python),
            .init(proto: .tcp, family: .ipv6, address: "::ffff:10.77.1.1", port: 9445, v6only: false, binding: .specific, accepted: [.ipv4], owner: python),
            // The kernel sets IPV6_V6ONLY itself when a socket binds a non-wildcard, non-mapped address.
            .init(proto: .tcp, family: .ipv6, address: "::1", port: 9446, v6only: true, binding: .loopback, accepted: [], owner: python),
            .init(proto: .udp, family: .ipv6, address: "::", port: 9443, v6only: false, binding: .wildcard, accepted: [.ipv4, .ipv6], owner: python),
            .init(proto: .udp, family: .ipv4, address: "10.77.2.1", port: 9447, v6only: false, binding: .specific, accepted: [.ipv4], owner: python),
        ]

        let scan = try ListenerScanner().scan(protocols: [.tcp, .udp], netns: ns)
        #expect(scan.listeners.count == expected.count, "\(scan.listeners.map { "\($0.protocol) \($0.address):\($0.port)" })")
        for e in expected {
            let found = scan.listeners.filter { $0.protocol == e.proto && $0.address == e.address && $0.port == e.port }
            guard found.count == 1, let l = found.first else {
                Issue.record("expected exactly one \(e.proto) \(e.address):\(e.port), found \(found.count)")
                continue
            }
            #expect(l.family == e.family, "\(e.address):\(e.port)")
            #expect(l.v6only == e.v6only, "\(e.address):\(e.port)")
            #expect(l.binding == e.binding, "\(e.address):\(e.port)")
            #expect(l.acceptedVersions == e.accepted, "\(e.address):\(e.port)")
            #expect(l.uid == 0)
            #expect(l.processes.map(\.pid) == [e.owner], "\(e.proto) \(e.address):\(e.port) owners \(l.processes)")
            if e.owner == python, let p = l.processes.first {
                #expect(p.name == "python3")
                #expect(p.cmdline.hasPrefix("/usr/bin/python3 -c import socket"))
            }
        }

        // The kernel's own view through ss, inode by inode.
        let reference = try SSSocket.list(namespace: ns)
        #expect(Set(reference.map(\.inode)) == Set(scan.listeners.map(\.inode)), "ss: \(reference)")
        for r in reference {
            guard let l = scan.listeners.first(where: { $0.inode == r.inode }) else { continue }
            #expect(l.protocol.rawValue == r.netid, "\(r)")
            #expect(l.port == r.port, "\(r)")
            #expect(l.address == r.normalizedAddress, "\(r)")
            #expect(Set(l.processes.map(\.pid)) == r.pids, "\(r)")
            if let v6only = r.v6only { #expect(l.v6only == v6only, "\(r)") }
            #expect(l.family == (r.v6only != nil ? .ipv6 : .ipv4), "\(r)")
        }

        // Narrowing by protocol.
        let tcpOnly = try ListenerScanner().scan(protocols: [.tcp], netns: ns)
        #expect(tcpOnly.listeners.allSatisfy { $0.protocol == .tcp })
        #expect(tcpOnly.listeners.count == expected.filter { $0.proto == .tcp }.count)
    }

    /// SO_BINDTODEVICE: the socket only takes packets from one interface; `ss` prints `%eth0`.
    @Test func boundInterfaceIsReported() throws {
        let pair = try NamespacePair(prefix: "lb")
        defer { pair.destroy() }
        let fd = try NetworkNamespace.run(in: pair.server) { () throws -> Int32 in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw NetnsSockets.Failure.socket("socket", errno) }
            let device = Array("eth0".utf8CString)
            guard setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, socklen_t(device.count)) == 0 else {
                let e = errno; close(fd); throw NetnsSockets.Failure.socket("SO_BINDTODEVICE", e)
            }
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = UInt16(5000).bigEndian
            let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0, Glibc.listen(fd, 8) == 0 else { let e = errno; close(fd); throw NetnsSockets.Failure.socket("bind/listen", e) }
            return fd
        }
        defer { close(fd) }
        let scan = try ListenerScanner().scan(protocols: [.tcp], netns: pair.server)
        let l = try #require(scan.listeners.first { $0.port == 5000 })
        #expect(l.boundInterface == "eth0")
        let reference = try #require(try SSSocket.list(namespace: pair.server).first { $0.inode == l.inode })
        #expect(reference.interface == "eth0")
    }

    @Test func missingNamespaceIsAnError() {
        #expect(throws: ListenerScanError.self) {
            _ = try ListenerScanner().scan(protocols: [.tcp], netns: "pc-no-such-ns-\(getpid())")
        }
    }
}
