/// Pure encoding and decoding of NETLINK_SOCK_DIAG / inet_diag messages (linux/inet_diag.h).
///
/// The NLMSG_* macros do not import into Swift, and the kernel structs are plain fixed layouts, so
/// messages are built and parsed by offset here: testable from bytes, no socket needed.
public enum InetDiagMessage {
    // linux/netlink.h
    static let nlmsgHeaderLength = 16
    static let nlmsgNoop: UInt16 = 1
    static let nlmsgError: UInt16 = 2
    static let nlmsgDone: UInt16 = 3
    static let nlmFRequest: UInt16 = 0x01
    static let nlmFDump: UInt16 = 0x300 // NLM_F_ROOT | NLM_F_MATCH
    // linux/sock_diag.h
    static let sockDiagByFamily: UInt16 = 20
    // linux/inet_diag.h
    /// struct inet_diag_req_v2: family, protocol, ext, pad, states (u32), inet_diag_sockid (48).
    static let requestLength = 56
    /// struct inet_diag_msg: 4 bytes, inet_diag_sockid (48), expires, rqueue, wqueue, uid, inode.
    static let diagMessageLength = 72
    static let attributeSKV6Only: UInt16 = 11 // INET_DIAG_SKV6ONLY
    // include/net/tcp_states.h
    public static let tcpStateEstablished: UInt8 = 1
    /// Unconnected UDP sockets sit in TCP_CLOSE (`ss` prints UNCONN).
    public static let tcpStateClose: UInt8 = 7
    public static let tcpStateListen: UInt8 = 10

    static let afInet: UInt8 = 2
    static let afInet6: UInt8 = 10

    /// The state a listening socket of `proto` is in.
    public static func listeningState(of proto: TransportProtocol) -> UInt8 {
        proto == .tcp ? tcpStateListen : tcpStateClose
    }

    /// A dump request (`NLM_F_REQUEST | NLM_F_DUMP`) for every socket of one family and protocol
    /// in the listening state (TCP LISTEN, UDP unconnected).
    public static func dumpRequest(family: IPVersionNumber, protocol proto: TransportProtocol, sequence: UInt32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: nlmsgHeaderLength + requestLength)
        let total = UInt32(bytes.count)
        bytes.storeHost(total, at: 0)
        bytes.storeHost(sockDiagByFamily, at: 4)
        bytes.storeHost(nlmFRequest | nlmFDump, at: 6)
        bytes.storeHost(sequence, at: 8)
        bytes.storeHost(UInt32(0), at: 12) // pid: the kernel fills in the port id
        let r = nlmsgHeaderLength
        bytes[r] = family.rawValue
        bytes[r + 1] = proto.ipProtocolNumber
        bytes[r + 2] = 0 // idiag_ext: nothing extra; INET_DIAG_SKV6ONLY is always sent for AF_INET6
        bytes.storeHost(UInt32(1) << UInt32(listeningState(of: proto)), at: r + 4)
        // inet_diag_sockid: all zero = no filter; cookie = INET_DIAG_NOCOOKIE is not needed for dumps.
        return bytes
    }

    /// Address family numbers the kernel uses in sock_diag.
    public enum IPVersionNumber: UInt8, Sendable, CaseIterable {
        case inet = 2
        case inet6 = 10
    }

    /// One socket as the kernel described it.
    public struct DiagSocket: Sendable, Hashable {
        public var family: UInt8
        public var state: UInt8
        public var sourcePort: UInt16
        /// 16 bytes; an AF_INET socket uses the first 4.
        public var sourceAddress: [UInt8]
        public var interfaceIndex: UInt32
        public var uid: UInt32
        public var inode: UInt32
        /// INET_DIAG_SKV6ONLY, present only for AF_INET6 sockets.
        public var v6only: Bool?

        public init(family: UInt8, state: UInt8, sourcePort: UInt16, sourceAddress: [UInt8], interfaceIndex: UInt32,
                    uid: UInt32, inode: UInt32, v6only: Bool?) {
            self.family = family
            self.state = state
            self.sourcePort = sourcePort
            self.sourceAddress = sourceAddress
            self.interfaceIndex = interfaceIndex
            self.uid = uid
            self.inode = inode
            self.v6only = v6only
        }
    }

    /// What one received datagram held.
    public struct Batch: Sendable, Equatable {
        public var sockets: [DiagSocket] = []
        /// NLMSG_DONE was seen: the dump is complete.
        public var done = false
        /// A negative errno from NLMSG_ERROR (or a failing NLMSG_DONE); nil when none.
        public var error: Int32?
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case truncated(offset: Int, needed: Int, available: Int)
        case badLength(offset: Int, length: Int)
        public var description: String {
            switch self {
            case .truncated(let o, let n, let a): "message at byte \(o) needs \(n) bytes, \(a) left"
            case .badLength(let o, let l): "netlink message at byte \(o) has impossible length \(l)"
            }
        }
    }

    /// Parses every netlink message in one datagram. Messages of other sequence numbers are
    /// ignored (a stale reply must not be mistaken for ours).
    public static func parse(_ buffer: UnsafeRawBufferPointer, sequence: UInt32) throws(ParseError) -> Batch {
        var batch = Batch()
        var offset = 0
        while buffer.count - offset >= nlmsgHeaderLength {
            let length = Int(buffer.loadHost(UInt32.self, at: offset))
            let type = buffer.loadHost(UInt16.self, at: offset + 4)
            let seq = buffer.loadHost(UInt32.self, at: offset + 8)
            guard length >= nlmsgHeaderLength else { throw .badLength(offset: offset, length: length) }
            guard length <= buffer.count - offset else {
                throw .truncated(offset: offset, needed: length, available: buffer.count - offset)
            }
            let payload = UnsafeRawBufferPointer(rebasing: buffer[(offset + nlmsgHeaderLength)..<(offset + length)])
            if seq == sequence {
                switch type {
                case nlmsgDone:
                    batch.done = true
                    if payload.count >= 4 {
                        let code = payload.loadHost(Int32.self, at: 0)
                        if code < 0 { batch.error = code }
                    }
                case nlmsgError:
                    guard payload.count >= 4 else { throw .truncated(offset: offset, needed: nlmsgHeaderLength + 4, available: length) }
                    let code = payload.loadHost(Int32.self, at: 0)
                    if code != 0 { batch.error = code }
                    batch.done = true
                case sockDiagByFamily:
                    batch.sockets.append(try parseDiagMessage(payload, at: offset))
                default:
                    break // NLMSG_NOOP, NLMSG_OVERRUN and future types carry no socket
                }
            }
            offset += align4(length)
        }
        return batch
    }

    /// One `struct inet_diag_msg` followed by its rtattr-style attributes.
    static func parseDiagMessage(_ p: UnsafeRawBufferPointer, at messageOffset: Int) throws(ParseError) -> DiagSocket {
        guard p.count >= diagMessageLength else {
            throw .truncated(offset: messageOffset, needed: nlmsgHeaderLength + diagMessageLength, available: nlmsgHeaderLength + p.count)
        }
        let family = p[0]
        let state = p[1]
        // inet_diag_sockid at 4: sport (be16), dport (be16), src[16], dst[16], if (u32), cookie[2] (u32)
        let sport = UInt16(p[4]) << 8 | UInt16(p[5])
        let src = Array(p[8..<24])
        let ifindex = p.loadHost(UInt32.self, at: 40)
        let uid = p.loadHost(UInt32.self, at: 64)
        let inode = p.loadHost(UInt32.self, at: 68)
        var v6only: Bool?
        var a = diagMessageLength
        while p.count - a >= 4 {
            let len = Int(p.loadHost(UInt16.self, at: a))
            let type = p.loadHost(UInt16.self, at: a + 2) & 0x3fff // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
            guard len >= 4, len <= p.count - a else { break } // a damaged tail: keep what was read
            if type == attributeSKV6Only, len >= 5 { v6only = p[a + 4] != 0 }
            a += align4(len)
        }
        return DiagSocket(family: family, state: state, sourcePort: sport,
                          sourceAddress: family == afInet ? Array(src[0..<4]) : src,
                          interfaceIndex: ifindex, uid: uid, inode: inode, v6only: v6only)
    }

    static func align4(_ n: Int) -> Int { (n + 3) & ~3 }
}

extension UnsafeRawBufferPointer {
    /// Host-endian load at any alignment (netlink buffers are 4-aligned, tuples inside are not).
    func loadHost<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}

extension Array where Element == UInt8 {
    /// Stores an integer in host byte order (netlink headers and inet_diag counters are host order).
    mutating func storeHost<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: offset, as: T.self) }
    }
}
