/// Zero-copy views over netlink wire data: messages (`struct nlmsghdr`) in a receive buffer and
/// the attributes (`struct nlattr`, 4-byte aligned TLVs) inside them.
///
/// Everything here is pure and works over `UnsafeRawBufferPointer`s borrowed from the receive
/// buffer, so a 100,000-element set dump is walked without copying anything but the final keys.
/// Integer attributes of nf_tables are big-endian (network order); netlink headers are host order.

/// One attribute: its type (NLA_F_NESTED / NLA_F_NET_BYTEORDER stripped) and payload.
struct NetlinkAttribute {
    let type: UInt16
    let payload: UnsafeRawBufferPointer

    var u8: UInt8 { payload.count >= 1 ? payload[0] : 0 }
    var u16BE: UInt16 {
        guard payload.count >= 2 else { return 0 }
        return UInt16(payload[0]) << 8 | UInt16(payload[1])
    }
    var u32BE: UInt32 {
        guard payload.count >= 4 else { return UInt32(u16BE) }
        return UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
    }
    var i32BE: Int32 { Int32(bitPattern: u32BE) }
    var u64BE: UInt64 {
        guard payload.count >= 8 else { return UInt64(u32BE) }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(payload[i]) }
        return v
    }
    /// A NUL-terminated (or unterminated) string attribute.
    var string: String {
        let end = payload.firstIndex(of: 0) ?? payload.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: payload[0..<end]), as: UTF8.self)
    }
    var bytes: [UInt8] { Array(payload) }
    var nested: NetlinkAttributes { NetlinkAttributes(payload) }
}

/// The attributes in a buffer, in wire order. Truncated or malformed trailing data ends the walk
/// (the kernel never sends it; a hand-made buffer cannot make the reader crash).
struct NetlinkAttributes: Sequence {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    struct Iterator: IteratorProtocol {
        let buffer: UnsafeRawBufferPointer
        var offset = 0
        mutating func next() -> NetlinkAttribute? {
            guard offset + 4 <= buffer.count else { return nil }
            let len = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let type = buffer.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self) & 0x3fff
            guard len >= 4, offset + len <= buffer.count else { return nil }
            let payload = UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<(offset + len)])
            offset += (len + 3) & ~3
            return NetlinkAttribute(type: type, payload: payload)
        }
    }
    func makeIterator() -> Iterator { Iterator(buffer: buffer) }

    /// The first attribute of `type`, if any.
    func first(_ type: UInt16) -> NetlinkAttribute? {
        for a in self where a.type == type { return a }
        return nil
    }
}

/// One netlink message: header fields and the payload after the 16-byte header.
struct NetlinkMessage {
    let type: UInt16
    let flags: UInt16
    let sequence: UInt32
    let payload: UnsafeRawBufferPointer

    static let done: UInt16 = 3      // NLMSG_DONE
    static let error: UInt16 = 2     // NLMSG_ERROR
    static let dumpInterrupted: UInt16 = 0x10  // NLM_F_DUMP_INTR

    /// For an nfnetlink message: the family from `struct nfgenmsg` and the attributes after it.
    var nfgenFamily: UInt8 { payload.count >= 1 ? payload[0] : 0 }
    /// `nfgenmsg.res_id`: for nf_tables dumps, the low 16 bits of the ruleset generation.
    var nfgenResourceID: UInt16 {
        payload.count >= 4 ? UInt16(payload[2]) << 8 | UInt16(payload[3]) : 0
    }
    var nfAttributes: NetlinkAttributes {
        NetlinkAttributes(payload.count >= 4 ? UnsafeRawBufferPointer(rebasing: payload[4...]) : UnsafeRawBufferPointer(start: nil, count: 0))
    }
    /// For NLMSG_ERROR: the (negative) errno, 0 for an acknowledgement.
    var errorCode: Int32 { payload.count >= 4 ? payload.loadUnaligned(as: Int32.self) : 0 }
}

/// The messages in one received datagram.
struct NetlinkMessages: Sequence {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    struct Iterator: IteratorProtocol {
        let buffer: UnsafeRawBufferPointer
        var offset = 0
        mutating func next() -> NetlinkMessage? {
            guard offset + 16 <= buffer.count else { return nil }
            let len = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            guard len >= 16, offset + len <= buffer.count else { return nil }
            let message = NetlinkMessage(
                type: buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self),
                flags: buffer.loadUnaligned(fromByteOffset: offset + 6, as: UInt16.self),
                sequence: buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self),
                payload: UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<(offset + len)]))
            offset += (len + 3) & ~3
            return message
        }
    }
    func makeIterator() -> Iterator { Iterator(buffer: buffer) }
}
