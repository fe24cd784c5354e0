import Glibc
import Dispatch
import CNetfilter
import NftModel
import NetNamespace

/// Enumerates listening sockets (TCP LISTEN, unconnected bound UDP; IPv4 and IPv6) through
/// NETLINK_SOCK_DIAG, and their owners through one walk of /proc.
///
/// With `netns`, only the netlink queries run inside that namespace (on a private thread, see
/// `NetworkNamespace`); the /proc walk is global, because processes of every namespace are visible
/// from here.
public struct ListenerScanner: Sendable {
    public init() {}

    public func scan(protocols: Set<TransportProtocol> = [.tcp, .udp], netns: String? = nil) throws(ListenerScanError) -> ListenerScan {
        // The /proc walk (every socket's holders) and the netlink dump are independent: run them
        // at once, the walk on another core, and keep only the listening inodes afterwards.
        let walk = ProcWalk()
        let walked = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            var o = ProcSocketOwners()
            o.scan(wanted: nil)
            walk.owners = o
            walked.signal()
        }
        let kernel: KernelSockets
        do throws(ListenerScanError) {
            kernel = try kernelSockets(protocols: protocols, netns: netns)
        } catch {
            walked.wait()
            throw error
        }
        walked.wait()
        let owners = walk.owners
        var warnings = kernel.warnings
        let listening = Set(kernel.sockets.map(\.socket.inode))
        let pidsByInode = Self.owningPIDs(holders: owners.holders.filter { listening.contains($0.key) },
                                          targetNamespace: kernel.namespaceInode,
                                          namespaceOf: { owners.networkNamespace(of: $0) })
        var processes: [Int32: ListeningProcess] = [:]
        for pid in Set(pidsByInode.values.joined()) {
            if let p = owners.process(pid) { processes[pid] = p }
        }

        // Sorted as the small kernel records, `ss`-like: protocol, port, family, address, inode.
        let ordered = kernel.sockets.sorted(by: Self.displayOrder)
        let listeners: [Listener] = ordered.compactMap { s -> Listener? in
            let family: IPVersion
            switch s.socket.family {
            case InetDiagMessage.afInet: family = .ipv4
            case InetDiagMessage.afInet6: family = .ipv6
            default: return nil
            }
            let proto = s.protocolKind
            let pids = pidsByInode[s.socket.inode] ?? []
            return Listener(protocol: proto,
                            address: BoundAddressClassifier.format(s.socket.sourceAddress),
                            port: s.socket.sourcePort,
                            family: family,
                            v6only: s.socket.v6only ?? false,
                            inode: s.socket.inode,
                            uid: s.socket.uid,
                            boundInterface: s.socket.interfaceIndex == 0 ? nil : (kernel.interfaceNames[s.socket.interfaceIndex] ?? "if\(s.socket.interfaceIndex)"),
                            processes: pids.sorted().compactMap { processes[$0] },
                            binding: BoundAddressClassifier.classify(s.socket.sourceAddress))
        }

        let ownerless = listeners.filter { $0.processes.isEmpty }.count
        if ownerless > 0 && owners.unreadableProcesses > 0 {
            warnings.append("socket owners are not visible without root: /proc/PID/fd of \(owners.unreadableProcesses) processes (other users', kernel threads) is unreadable; \(ownerless) of \(listeners.count) sockets are listed without a process")
        } else if ownerless > 0 {
            warnings.append("\(ownerless) of \(listeners.count) sockets have no visible owner (held by a process in another PID namespace, or by the kernel)")
        }
        return ListenerScan(listeners: listeners, warnings: warnings)
    }

    /// The result of the /proc walk, handed from its thread after `walked` is signalled.
    private final class ProcWalk: @unchecked Sendable {
        var owners = ProcSocketOwners()
    }

    /// Sockets as the kernel reported them, tagged with the protocol they were dumped for.
    struct KernelSockets {
        struct Tagged { var socket: InetDiagMessage.DiagSocket; var protocolKind: TransportProtocol }
        var sockets: [Tagged] = []
        var warnings: [String] = []
        var interfaceNames: [UInt32: String] = [:]
        /// Inode of the network namespace the sockets live in (`/proc/thread-self/ns/net` there).
        var namespaceInode: UInt64?
    }

    private func kernelSockets(protocols: Set<TransportProtocol>, netns: String?) throws(ListenerScanError) -> KernelSockets {
        let body = { () throws(ListenerScanError) -> KernelSockets in
            var result = KernelSockets()
            result.namespaceInode = ProcFiles.readLink("/proc/thread-self/ns/net").flatMap(ProcParsing.namespaceInode(link:))
            var connection = try SockDiagConnection()
            defer { connection.close() }
            for proto in protocols.sorted() {
                for family in InetDiagMessage.IPVersionNumber.allCases {
                    do throws(ListenerScanError) {
                        let sockets = try connection.dump(family: family, protocol: proto)
                        let state = InetDiagMessage.listeningState(of: proto)
                        result.sockets += sockets.filter { $0.state == state && $0.sourcePort != 0 }.map { KernelSockets.Tagged(socket: $0, protocolKind: proto) }
                    } catch .netlink(let op, let e) where e == ENOENT {
                        // No diag handler for this protocol in this kernel (e.g. udp_diag missing).
                        result.warnings.append("\(proto.rawValue.uppercased()) sockets cannot be listed: the kernel has no sock_diag handler for them (\(op): \(errnoDescription(e)); is the \(proto.rawValue)_diag module available?)")
                        break
                    }
                }
            }
            for index in Set(result.sockets.map(\.socket.interfaceIndex)) where index != 0 {
                var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
                if if_indextoname(index, &name) != nil { result.interfaceNames[index] = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            }
            return result
        }
        guard let netns else { return try body() }
        do {
            return try NetworkNamespace.run(in: netns) { try body() }
        } catch let e as ListenerScanError {
            throw e
        } catch let e as NetworkNamespace.Failure {
            throw .namespace(name: netns, reason: e.description)
        } catch {
            throw .namespace(name: netns, reason: "cannot enter network namespace '\(netns)': \(error)")
        }
    }

    /// Chooses the owners of each socket among the processes holding a descriptor with its inode.
    ///
    /// Holders whose network namespace is the scanned one are taken. Only when none is (a process
    /// that opened the socket from a thread that had entered the namespace, as `ip netns exec`-less
    /// tools and our own tests do) are holders from other namespaces accepted: inode numbers are
    /// unique in the one sockfs unless the counter wrapped, so this never lets a namesake socket of
    /// another namespace hide the real owner.
    static func owningPIDs(holders: [UInt32: [Int32]], targetNamespace: UInt64?,
                           namespaceOf: (Int32) -> UInt64?) -> [UInt32: [Int32]] {
        guard let targetNamespace else { return holders }
        var cache: [Int32: UInt64?] = [:]
        func ns(_ pid: Int32) -> UInt64? {
            if let known = cache[pid] { return known }
            let v = namespaceOf(pid)
            cache[pid] = v
            return v
        }
        return holders.mapValues { pids in
            let inside = pids.filter { ns($0) == targetNamespace }
            return inside.isEmpty ? pids : inside
        }
    }

    /// `ss`-like order: protocol, port, family (IPv4 first), address bytes, inode.
    static func displayOrder(_ a: KernelSockets.Tagged, _ b: KernelSockets.Tagged) -> Bool {
        if a.protocolKind != b.protocolKind { return a.protocolKind < b.protocolKind }
        if a.socket.sourcePort != b.socket.sourcePort { return a.socket.sourcePort < b.socket.sourcePort }
        if a.socket.family != b.socket.family { return a.socket.family < b.socket.family }
        if a.socket.sourceAddress != b.socket.sourceAddress { return a.socket.sourceAddress.lexicographicallyPrecedes(b.socket.sourceAddress) }
        return a.socket.inode < b.socket.inode
    }
}
