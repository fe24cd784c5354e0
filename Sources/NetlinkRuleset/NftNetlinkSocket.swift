import FoundationEssentials
import Glibc
import CNetfilter
import NetNamespace

/// A NETLINK_NETFILTER socket (libmnl) bound to one network namespace, used for nf_tables dump
/// requests. Confined to the reading call that created it; not shared between threads.
final class NftNetlinkSocket {
    private let socket: OpaquePointer
    private let portID: UInt32
    private var sequence: UInt32
    /// One big receive buffer reused for every datagram: dumps arrive in up to 32 KiB skbs, and a
    /// large buffer lets the kernel fill each one fully.
    private let buffer: UnsafeMutableRawBufferPointer
    private static let bufferSize = 1 << 20

    /// What the namespace-side setup produced: the socket and the iptables-legacy tables seen
    /// through /proc/thread-self/net of that namespace.
    struct Opened {
        var socket: NftNetlinkSocket
        var legacyTables: [String]
    }

    /// Opens the socket inside `netns` (nil = the caller's namespace) and reads the legacy tables there.
    static func open(netns: String?) throws(RulesetReadError) -> Opened {
        let opened: (Int32, [String])
        do {
            opened = try NetworkNamespace.run(in: netns) { () throws -> (Int32, [String]) in
                let fd = Glibc.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_NETFILTER)
                guard fd >= 0 else { throw RulesetReadError.netlink("cannot open a NETLINK_NETFILTER socket: \(String(cString: strerror(errno)))") }
                return (fd, LegacyIptables.tables(procNet: "/proc/thread-self/net"))
            }
        } catch let e as RulesetReadError {
            throw e
        } catch let e as NetworkNamespace.Failure {
            throw RulesetReadError.namespace(e.description)
        } catch {
            throw RulesetReadError.namespace("\(error)")
        }
        let fd = opened.0
        var size: Int32 = 8 << 20
        // SO_RCVBUFFORCE needs CAP_NET_ADMIN; fall back to what an unprivileged process may set.
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard let nl = mnl_socket_fdopen(fd) else {
            close(fd)
            throw .netlink("mnl_socket_fdopen failed: \(String(cString: strerror(errno)))")
        }
        guard mnl_socket_bind(nl, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let e = errno
            mnl_socket_close(nl)
            throw .netlink("cannot bind the netlink socket: \(String(cString: strerror(e)))")
        }
        return Opened(socket: NftNetlinkSocket(socket: nl), legacyTables: opened.1)
    }

    private init(socket: OpaquePointer) {
        self.socket = socket
        self.portID = mnl_socket_get_portid(socket)
        self.sequence = UInt32(truncatingIfNeeded: time(nil))
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 8)
    }

    deinit {
        mnl_socket_close(socket)
        buffer.deallocate()
    }

    /// Outcome of a dump: whether the kernel flagged it as interrupted by a concurrent change.
    struct DumpResult { var interrupted = false }

    /// Sends one nf_tables request (`NLM_F_DUMP` unless `dump` is false) and hands every reply
    /// message to `handle` until NLMSG_DONE (or the single reply of a non-dump request).
    /// `attributes` adds request attributes (e.g. table and set names for GETSETELEM).
    @discardableResult
    func request(_ message: NFT.Message, family: UInt8 = 0, dump: Bool = true, what: String,
                 attributes: (UnsafeMutablePointer<nlmsghdr>) -> Void = { _ in },
                 handle: (NetlinkMessage) throws(RulesetReadError) -> Void) throws(RulesetReadError) -> DumpResult {
        sequence &+= 1
        let seq = sequence
        var request = [UInt8](repeating: 0, count: 1024)
        let sent: Int = request.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let nlh = nftnl_nlmsg_build_hdr(base, message.rawValue, UInt16(family),
                                            UInt16(dump ? NLM_F_DUMP : NLM_F_ACK), seq)!
            attributes(nlh)
            return mnl_socket_sendto(socket, nlh, Int(nlh.pointee.nlmsg_len))
        }
        guard sent >= 0 else { throw .netlink("\(what): send failed: \(String(cString: strerror(errno)))") }

        var result = DumpResult()
        while true {
            let n = mnl_socket_recvfrom(socket, buffer.baseAddress, buffer.count)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == ENOBUFS { throw .netlink("\(what): receive buffer overrun (ENOBUFS)") }
                throw RulesetReadError.fromKernel(errno: e, while: what)
            }
            var finished = false
            for m in NetlinkMessages(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) {
                guard m.sequence == seq else { continue }
                if m.flags & NetlinkMessage.dumpInterrupted != 0 { result.interrupted = true }
                switch m.type {
                case NetlinkMessage.done:
                    finished = true
                case NetlinkMessage.error:
                    let code = m.errorCode
                    if code != 0 { throw RulesetReadError.fromKernel(errno: -code, while: what) }
                    finished = true
                default:
                    try handle(m)
                }
            }
            if finished { return result }
        }
    }
}

/// iptables-legacy tables are invisible to nf_tables netlink; the kernel lists them per network
/// namespace in `ip_tables_names` / `ip6_tables_names` / `arp_tables_names` (files that exist only
/// once the legacy modules are loaded).
enum LegacyIptables {
    static func tables(procNet: String) -> [String] {
        var out: [String] = []
        for (file, family) in [("ip_tables_names", "ip"), ("ip6_tables_names", "ip6"), ("arp_tables_names", "arp")] {
            guard let text = try? String(contentsOfFile: "\(procNet)/\(file)", encoding: .utf8) else { continue }
            for name in text.split(whereSeparator: \.isNewline) where !name.isEmpty {
                out.append("\(family) \(name)")
            }
        }
        return out
    }
}
