import NftModel

/// What a rule can read from the packet being evaluated: header bytes, meta and ct keys, as
/// `Cell`s (concrete, client-address or unknown with a reason).
struct PacketView {
    let context: FlowContext
    let position: PacketPosition
    let path: PathState

    private var version: IPVersion { context.version }

    /// The packet's L4 protocol (ICMPv6 for a neighbor advertisement).
    var l4proto: UInt8 { position.packet == .neighborAdvert ? 58 : context.l4proto }

    /// The local address as the packet shows it (original destination or dnat target).
    func localAddress(translated: Bool, _ regs: inout RegisterFile) -> [Cell] {
        if translated, let a = path.dnatAddress { return RegisterFile.bytes(a) }
        if translated && path.redirected {
            return regs.unknownCells(version.addressLength, "the address `redirect` chose (primary address of the interface)")
        }
        if let d = context.destination { return RegisterFile.bytes(d) }
        return regs.unknownCells(version.addressLength, "the destination address (the question names none)")
    }

    func localPort(translated: Bool) -> UInt16 {
        translated ? (path.dnatPort ?? context.port) : context.port
    }

    func clientAddress() -> [Cell] {
        (0..<version.addressLength).map { .sym(.client, index: UInt8($0), mask: 0xff) }
    }

    /// The inbound interface's name (the symbolic interface variable).
    func interfaceName() -> [Cell] {
        if let n = InterfaceSpace.onlyName(path.interfaces) { return ifname(n) }
        return (0..<16).map { .sym(.interface, index: UInt8($0), mask: 0xff) }
    }

    /// The inbound interface's index, when the path is down to one name whose index is known.
    func interfaceIndex(_ regs: inout RegisterFile, _ what: String) -> [Cell] {
        guard let n = InterfaceSpace.onlyName(path.interfaces) else {
            return regs.unknownCells(4, "\(what) (an interface index, for an unnamed interface)")
        }
        guard let idx = context.interfaceIndexes[n] else {
            return regs.unknownCells(4, "\(what) (interface index of \(n) unknown)")
        }
        return u32(idx)
    }

    func clientPort(_ regs: inout RegisterFile) -> [Cell] {
        if let p = context.sourcePort { return RegisterFile.bytes([UInt8(p >> 8), UInt8(p & 0xff)]) }
        return regs.unknownCells(2, "the client's source port (any in a summary)")
    }

    func addresses(_ regs: inout RegisterFile) -> (source: [Cell], destination: [Cell]) {
        if position.packet.isInbound {
            return (clientAddress(), localAddress(translated: path.translatedView, &regs))
        }
        return (localAddress(translated: path.translatedView, &regs), clientAddress())
    }

    func ports(_ regs: inout RegisterFile) -> (source: [Cell], destination: [Cell]) {
        let local = localPort(translated: path.translatedView)
        let localCells = RegisterFile.bytes([UInt8(local >> 8), UInt8(local & 0xff)])
        if position.packet.isInbound { return (clientPort(&regs), localCells) }
        return (localCells, clientPort(&regs))
    }

    func networkHeader(_ regs: inout RegisterFile) -> [Cell] {
        let (s, d) = addresses(&regs)
        if version == .ipv4 {
            var h = regs.unknownCells(20, "an IPv4 header field other than protocol and addresses")
            h[0] = .byte(0x45)
            h[9] = .byte(l4proto)
            h.replaceSubrange(12..<16, with: s)
            h.replaceSubrange(16..<20, with: d)
            return h
        }
        var h = regs.unknownCells(40, "an IPv6 header field other than next header and addresses")
        h[6] = .byte(l4proto)
        if position.packet == .neighborAdvert { h[7] = .byte(255) }  // ND messages carry hop limit 255
        h.replaceSubrange(8..<24, with: s)
        h.replaceSubrange(24..<40, with: d)
        return h
    }

    func transportHeader(_ regs: inout RegisterFile) -> [Cell] {
        if position.packet == .neighborAdvert {
            var h = regs.unknownCells(24, "an ICMPv6 neighbor advertisement field other than type and code")
            h[0] = .byte(136)
            h[1] = .byte(0)
            return h
        }
        let (s, d) = ports(&regs)
        if context.l4proto == 6 {
            var h = regs.unknownCells(20, "a TCP header field other than ports and flags")
            h.replaceSubrange(0..<2, with: s)
            h.replaceSubrange(2..<4, with: d)
            h[13] = .byte(position.packet.tcpFlags)
            return h
        }
        if context.l4proto == 17 {
            var h = regs.unknownCells(8, "a UDP header field other than ports")
            h.replaceSubrange(0..<2, with: s)
            h.replaceSubrange(2..<4, with: d)
            return h
        }
        return regs.unknownCells(8, "the transport header of protocol \(l4proto)")
    }

    /// `payload load`: nil result means "no such header" (the kernel breaks the rule).
    func payload(_ p: Payload, _ regs: inout RegisterFile) -> [Cell] {
        let header: [Cell]
        switch p.base {
        case .network: header = networkHeader(&regs)
        case .transport: header = transportHeader(&regs)
        case .link: return regs.unknownCells(Int(p.length), "payload link-layer offset \(p.offset) (ether header)")
        case .inner, .tunnel: return regs.unknownCells(Int(p.length), "payload \(p.base) offset \(p.offset)")
        }
        let start = Int(p.offset), end = start + Int(p.length)
        guard end <= header.count else {
            return regs.unknownCells(Int(p.length), "payload \(p.base) offset \(p.offset) length \(p.length)")
        }
        return Array(header[start..<end])
    }

    private func u32(_ v: UInt32) -> [Cell] {
        // Host byte order (little-endian on the machines Portcullis supports), as the kernel stores meta/ct u32s.
        withUnsafeBytes(of: v.littleEndian) { RegisterFile.bytes(Array($0)) }
    }

    private func ifname(_ name: String) -> [Cell] {
        var b = Array(name.utf8.prefix(15))
        b += Array(repeating: 0, count: 16 - b.count)
        return RegisterFile.bytes(b)
    }

    enum Load {
        case cells([Cell])
        /// The kernel breaks the rule (e.g. a ct key without conntrack).
        case breakRule
    }

    func meta(_ key: MetaKey, _ regs: inout RegisterFile) -> Load {
        let inbound = position.packet.isInbound
        switch key {
        case .protocol:
            return .cells(RegisterFile.bytes(version == .ipv4 ? [0x08, 0x00] : [0x86, 0xdd]))
        case .nfproto:
            let v: UInt8 = position.tableFamily == .netdev ? Family.netdev.rawValue : version.nfproto
            return .cells([.byte(v)])
        case .l4proto:
            return .cells([.byte(l4proto)])
        case .iifname:
            return .cells(inbound ? interfaceName() : ifname(""))
        case .oifname:
            // Replies leave through the interface the connection came in on.
            return .cells(inbound ? ifname("") : interfaceName())
        case .iif:
            return .cells(inbound ? interfaceIndex(&regs, "meta iif") : u32(0))
        case .oif:
            return .cells(inbound ? u32(0) : interfaceIndex(&regs, "meta oif"))
        case .mark:
            guard let m = path.mark else { return .cells(regs.unknownCells(4, "meta mark (set from an unknown value)")) }
            return .cells(u32(m))
        case .pkttype:
            if inbound { return .cells([.byte(0)]) }  // PACKET_HOST
            return .cells(regs.unknownCells(1, "meta pkttype on an output packet"))
        case .sdif:
            return .cells(u32(0))
        case .sdifname:
            return .cells(ifname(""))
        case .skuid, .skgid:
            if inbound && position.hook != .output { return .breakRule }  // no socket on an inbound packet
            return .cells(regs.unknownCells(4, "meta skuid/skgid of the replying socket"))
        default:
            return .cells(regs.unknownCells(4, "meta key \(key.rawValue)"))
        }
    }

    private var ctState: UInt32 { position.packet == .syn ? CtStateBit.new : CtStateBit.established }

    func ct(_ c: Ct, _ regs: inout RegisterFile) -> Load {
        if position.packet == .neighborAdvert {
            // Neighbor discovery is not tracked: ct state untracked, every other ct key breaks.
            return c.key == .state ? .cells(u32(CtStateBit.untracked)) : .breakRule
        }
        guard position.conntrackAvailable else {
            if c.key == .state { return .cells(u32(CtStateBit.invalid)) }
            return .breakRule
        }
        let replyPacket = !position.packet.isInbound
        switch c.key {
        case .state: return .cells(u32(ctState))
        case .direction: return .cells([.byte(replyPacket ? 1 : 0)])
        case .mark:
            guard let m = path.ctMark else { return .cells(regs.unknownCells(4, "ct mark (set from an unknown value)")) }
            return .cells(u32(m))
        case .l3protocol: return .cells([.byte(version.nfproto)])
        case .protocol: return .cells([.byte(l4proto)])
        case .zone: return .cells(RegisterFile.bytes([0, 0]))
        case .src, .dst, .srcIP, .dstIP, .srcIP6, .dstIP6:
            let dir = c.direction ?? (replyPacket ? 1 : 0)
            let isSrc = c.key == .src || c.key == .srcIP || c.key == .srcIP6
            // Original tuple: client → original destination; reply tuple: nat target → client.
            if (dir == 0) == isSrc { return .cells(clientAddress()) }
            return .cells(localAddress(translated: dir == 1, &regs))
        case .protoSrc, .protoDst:
            let dir = c.direction ?? (replyPacket ? 1 : 0)
            let isSrc = c.key == .protoSrc
            if (dir == 0) == isSrc { return .cells(clientPort(&regs)) }
            let p = localPort(translated: dir == 1)
            return .cells(RegisterFile.bytes([UInt8(p >> 8), UInt8(p & 0xff)]))
        default:
            return .cells(regs.unknownCells(4, "ct key \(c.key.rawValue)"))
        }
    }

    /// Whether an address (4/16 bytes) is local to this host, when the evaluator can tell.
    func isLocal(_ address: [UInt8]) -> Bool? {
        if address == context.destination { return true }
        if context.localAddresses.contains(address) { return true }
        if address.count == 4 && address[0] == 127 { return true }
        if address.count == 16 && address == [UInt8](repeating: 0, count: 15) + [1] { return true }
        return context.localAddresses.isEmpty ? nil : false
    }

    /// `fib daddr type` for an inbound packet: the destination is local unless dnat sent it elsewhere.
    func fib(_ f: Fib, _ regs: inout RegisterFile) -> Load {
        let daddrOnly = f.flags & 2 != 0 && f.flags & (1 | 4 | 8 | 16 | 32) == 0
        guard f.result == 3, daddrOnly, position.packet.isInbound else {
            return .cells(regs.unknownCells(4, "fib lookup (flags \(f.flags), result \(f.result))"))
        }
        if path.translatedView && path.redirected { return .cells(u32(2)) }
        if path.translatedView, let a = path.dnatAddress {
            guard let local = isLocal(a) else {
                return .cells(regs.unknownCells(4, "fib daddr type of the dnat target \(AddressSet.format(bytes: a))"))
            }
            return .cells(u32(local ? 2 : 1))
        }
        return .cells(u32(2))  // RTN_LOCAL: the question is about connections to this host
    }
}
