import Testing
@testable import Listeners

/// sock_diag requests and replies, built and parsed from bytes (layouts of linux/inet_diag.h).
struct InetDiagMessageTests {
    /// A netlink message of type SOCK_DIAG_BY_FAMILY holding one inet_diag_msg (+ attributes).
    static func diagMessage(family: UInt8, state: UInt8, port: UInt16, address: [UInt8], ifindex: UInt32 = 0,
                            uid: UInt32, inode: UInt32, v6only: UInt8? = nil, sequence: UInt32) -> [UInt8] {
        var payload = [UInt8](repeating: 0, count: 72)
        payload[0] = family
        payload[1] = state
        payload[4] = UInt8(port >> 8)
        payload[5] = UInt8(port & 0xff)
        for (i, b) in address.enumerated() { payload[8 + i] = b }
        payload.storeHost(ifindex, at: 40)
        payload.storeHost(uid, at: 64)
        payload.storeHost(inode, at: 68)
        // An unrelated attribute first (INET_DIAG_SHUTDOWN = 8, u8, padded), as the kernel sends.
        payload += [5, 0, 8, 0, 0, 0, 0, 0]
        if let v6only { payload += [5, 0, 11, 0, v6only, 0, 0, 0] }
        return header(type: 20, length: 16 + payload.count, sequence: sequence) + payload
    }

    static func header(type: UInt16, length: Int, sequence: UInt32, flags: UInt16 = 2) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 16)
        h.storeHost(UInt32(length), at: 0)
        h.storeHost(type, at: 4)
        h.storeHost(flags, at: 6)
        h.storeHost(sequence, at: 8)
        return h
    }

    static func done(sequence: UInt32, code: Int32 = 0) -> [UInt8] {
        var m = header(type: 3, length: 20, sequence: sequence)
        m += [0, 0, 0, 0]
        m.storeHost(code, at: 16)
        return m
    }

    static func parse(_ bytes: [UInt8], sequence: UInt32) throws -> InetDiagMessage.Batch {
        try bytes.withUnsafeBytes { try InetDiagMessage.parse($0, sequence: sequence) }
    }

    @Test func requestAsksForListeningTCPAndUnconnectedUDP() {
        let tcp = InetDiagMessage.dumpRequest(family: .inet6, protocol: .tcp, sequence: 7)
        #expect(tcp.count == 72)
        tcp.withUnsafeBytes { b in
            #expect(b.loadHost(UInt32.self, at: 0) == 72)
            #expect(b.loadHost(UInt16.self, at: 4) == 20) // SOCK_DIAG_BY_FAMILY
            #expect(b.loadHost(UInt16.self, at: 6) == 0x301) // NLM_F_REQUEST | NLM_F_DUMP
            #expect(b.loadHost(UInt32.self, at: 8) == 7)
            #expect(b[16] == 10 && b[17] == 6)
            #expect(b.loadHost(UInt32.self, at: 20) == 1 << 10) // TCP_LISTEN
        }
        let udp = InetDiagMessage.dumpRequest(family: .inet, protocol: .udp, sequence: 8)
        udp.withUnsafeBytes { b in
            #expect(b[16] == 2 && b[17] == 17)
            #expect(b.loadHost(UInt32.self, at: 20) == 1 << 7) // TCP_CLOSE = unconnected UDP
        }
    }

    @Test func parsesIPv4AndIPv6SocketsWithV6OnlyAttribute() throws {
        let v4 = Self.diagMessage(family: 2, state: 10, port: 443, address: [10, 0, 0, 1], uid: 33, inode: 4242, sequence: 9)
        var v6addr = [UInt8](repeating: 0, count: 16)
        v6addr[15] = 1
        let v6 = Self.diagMessage(family: 10, state: 10, port: 8443, address: v6addr, ifindex: 3, uid: 0, inode: 99, v6only: 1, sequence: 9)
        let batch = try Self.parse(v4 + v6 + Self.done(sequence: 9), sequence: 9)
        #expect(batch.done)
        #expect(batch.error == nil)
        #expect(batch.sockets.count == 2)
        let a = batch.sockets[0]
        #expect(a.family == 2 && a.state == 10 && a.sourcePort == 443 && a.sourceAddress == [10, 0, 0, 1])
        #expect(a.uid == 33 && a.inode == 4242 && a.v6only == nil && a.interfaceIndex == 0)
        let b = batch.sockets[1]
        #expect(b.sourceAddress == v6addr && b.v6only == true && b.interfaceIndex == 3 && b.sourcePort == 8443)
    }

    @Test func v6onlyZeroIsFalse() throws {
        let v6 = Self.diagMessage(family: 10, state: 7, port: 53, address: [UInt8](repeating: 0, count: 16), uid: 0, inode: 1, v6only: 0, sequence: 1)
        #expect(try Self.parse(v6, sequence: 1).sockets.first?.v6only == false)
    }

    @Test func otherSequencesAreIgnored() throws {
        let stale = Self.diagMessage(family: 2, state: 10, port: 1, address: [1, 2, 3, 4], uid: 0, inode: 1, sequence: 3)
        let batch = try Self.parse(stale + Self.done(sequence: 3), sequence: 4)
        #expect(batch.sockets.isEmpty && !batch.done)
    }

    @Test func errorsAreReported() throws {
        var err = Self.header(type: 2, length: 36, sequence: 5)
        err += [UInt8](repeating: 0, count: 20)
        err.storeHost(Int32(-2), at: 16) // -ENOENT
        let batch = try Self.parse(err, sequence: 5)
        #expect(batch.done && batch.error == -2)
        let failedDone = try Self.parse(Self.done(sequence: 5, code: -16), sequence: 5)
        #expect(failedDone.done && failedDone.error == -16)
    }

    @Test func truncatedMessagesThrow() {
        let full = Self.diagMessage(family: 2, state: 10, port: 443, address: [10, 0, 0, 1], uid: 0, inode: 1, sequence: 1)
        #expect(throws: InetDiagMessage.ParseError.self) { try Self.parse(Array(full.prefix(40)), sequence: 1) }
        // Header claims fewer bytes than an inet_diag_msg.
        var short = Self.header(type: 20, length: 24, sequence: 1)
        short += [UInt8](repeating: 0, count: 8)
        #expect(throws: InetDiagMessage.ParseError.self) { try Self.parse(short, sequence: 1) }
        var bogus = Self.header(type: 20, length: 8, sequence: 1)
        bogus += [0, 0, 0, 0]
        #expect(throws: InetDiagMessage.ParseError.self) { try Self.parse(bogus, sequence: 1) }
    }

    @Test func damagedAttributeTailKeepsTheSocket() throws {
        var m = Self.diagMessage(family: 10, state: 10, port: 80, address: [UInt8](repeating: 0, count: 16), uid: 0, inode: 5, sequence: 1)
        m += [200, 0, 11, 0] // attribute longer than the message
        m.storeHost(UInt32(m.count), at: 0)
        let batch = try Self.parse(m, sequence: 1)
        #expect(batch.sockets.first?.inode == 5)
        #expect(batch.sockets.first?.v6only == nil)
    }
}
