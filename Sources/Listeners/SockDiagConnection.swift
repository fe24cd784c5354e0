import Glibc
import CNetfilter

/// A NETLINK_SOCK_DIAG socket: sends inet_diag dump requests and collects the replies. Opened in
/// the caller's current network namespace (inside `NetworkNamespace.run` for another one). The
/// file descriptor is confined to the value that owns it and closed by `close()`.
struct SockDiagConnection {
    private let fd: Int32
    private var sequence: UInt32 = 0x5043_0000 // "PC": any value; replies are matched on it
    /// Large enough for the kernel's biggest dump skb (32 KiB) with room to spare.
    private static let receiveBufferSize = 64 * 1024

    init() throws(ListenerScanError) {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_SOCK_DIAG)
        guard fd >= 0 else { throw .netlink(operation: "socket", errno: errno) }
        var local = sockaddr_nl()
        local.nl_family = sa_family_t(AF_NETLINK)
        let rc = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_nl>.size)) }
        }
        guard rc == 0 else { let e = errno; Glibc.close(fd); throw .netlink(operation: "bind", errno: e) }
        // A 10,000-socket dump arrives fast; a bigger queue avoids ENOBUFS on a slow consumer.
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    func close() { Glibc.close(fd) }

    /// Every socket of `family`/`protocol` in the listening state. A protocol the kernel has no
    /// diag handler for (udp_diag not built or loadable) throws `.netlink(…, ENOENT)`.
    mutating func dump(family: InetDiagMessage.IPVersionNumber, protocol proto: TransportProtocol) throws(ListenerScanError) -> [InetDiagMessage.DiagSocket] {
        sequence &+= 1
        let seq = sequence
        let request = InetDiagMessage.dumpRequest(family: family, protocol: proto, sequence: seq)
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        let sent = request.withUnsafeBytes { req in
            withUnsafePointer(to: &kernel) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, req.baseAddress, req.count, 0, $0, socklen_t(MemoryLayout<sockaddr_nl>.size))
                }
            }
        }
        guard sent == request.count else { throw .netlink(operation: "send", errno: errno) }

        var sockets: [InetDiagMessage.DiagSocket] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.receiveBufferSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0 {
                if errno == EINTR { continue }
                throw .netlink(operation: "receive", errno: errno)
            }
            guard n > 0 else { throw .malformedReply("the kernel closed the dump without NLMSG_DONE") }
            let batch: InetDiagMessage.Batch
            do {
                batch = try InetDiagMessage.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), sequence: seq)
            } catch {
                throw .malformedReply(error.description)
            }
            sockets.append(contentsOf: batch.sockets)
            if let code = batch.error { throw .netlink(operation: "\(proto.rawValue)/\(family == .inet ? "ipv4" : "ipv6") dump", errno: -code) }
            if batch.done { return sockets }
        }
    }
}

func errnoDescription(_ e: Int32) -> String { String(cString: strerror(e)) }
