/// nf_tables netlink numbers (linux/netfilter/nf_tables.h, nfnetlink.h, libnftnl/udata.h) that the
/// decoders use, named as in the kernel so each can be checked against the header. The imported
/// C enums are awkward to use as `UInt16` attribute types, hence this mirror.
enum NFT {
    static let subsystem: UInt16 = 10  // NFNL_SUBSYS_NFTABLES

    enum Message: UInt16 {
        case newTable = 0, getTable = 1
        case newChain = 3, getChain = 4
        case newRule = 6, getRule = 7
        case newSet = 9, getSet = 10
        case newSetElement = 12, getSetElement = 13
        case newGeneration = 15, getGeneration = 16
        /// The full nlmsghdr type: subsystem in the high byte.
        var netlinkType: UInt16 { NFT.subsystem << 8 | rawValue }
    }

    enum Table { static let name: UInt16 = 1, flags: UInt16 = 2, handle: UInt16 = 4, userdata: UInt16 = 6
        static let dormantFlag: UInt32 = 1 }
    enum Chain { static let table: UInt16 = 1, handle: UInt16 = 2, name: UInt16 = 3, hook: UInt16 = 4, policy: UInt16 = 5,
                 type: UInt16 = 7, flags: UInt16 = 10, userdata: UInt16 = 12 }
    enum Hook { static let number: UInt16 = 1, priority: UInt16 = 2, device: UInt16 = 3, devices: UInt16 = 4 }
    static let deviceName: UInt16 = 1     // NFTA_DEVICE_NAME
    static let listElement: UInt16 = 1    // NFTA_LIST_ELEM
    enum Rule { static let table: UInt16 = 1, chain: UInt16 = 2, handle: UInt16 = 3, expressions: UInt16 = 4, userdata: UInt16 = 7 }
    enum Expr { static let name: UInt16 = 1, data: UInt16 = 2 }
    enum Data { static let value: UInt16 = 1, verdict: UInt16 = 2 }
    enum VerdictAttr { static let code: UInt16 = 1, chain: UInt16 = 2 }
    enum Set { static let table: UInt16 = 1, name: UInt16 = 2, flags: UInt16 = 3, keyType: UInt16 = 4, keyLength: UInt16 = 5,
               dataType: UInt16 = 6, dataLength: UInt16 = 7, desc: UInt16 = 9, id: UInt16 = 10, userdata: UInt16 = 13,
               objectType: UInt16 = 15, handle: UInt16 = 16 }
    enum SetDesc { static let size: UInt16 = 1, concat: UInt16 = 2 }
    static let setFieldLength: UInt16 = 1  // NFTA_SET_FIELD_LEN
    enum SetElementList { static let table: UInt16 = 1, set: UInt16 = 2, elements: UInt16 = 3 }
    enum SetElement { static let key: UInt16 = 1, data: UInt16 = 2, flags: UInt16 = 3, timeout: UInt16 = 4, expiration: UInt16 = 5,
                      userdata: UInt16 = 6, objref: UInt16 = 9, keyEnd: UInt16 = 10
        static let intervalEndFlag: UInt32 = 1  // NFT_SET_ELEM_INTERVAL_END
        static let catchallFlag: UInt32 = 2     // NFT_SET_ELEM_CATCHALL
    }
    static let generationID: UInt16 = 1  // NFTA_GEN_ID

    /// libnftnl userdata TLV types (u8 type, u8 length, value).
    enum Udata {
        static let tableComment: UInt8 = 0, chainComment: UInt8 = 0, ruleComment: UInt8 = 0
        static let setComment: UInt8 = 7, setElementComment: UInt8 = 0
    }
}

/// Reads libnftnl userdata (a list of u8 type / u8 length / value TLVs, no alignment).
enum Userdata {
    static func string(_ type: UInt8, in buffer: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset + 2 <= buffer.count {
            let t = buffer[offset], len = Int(buffer[offset + 1])
            guard offset + 2 + len <= buffer.count else { return nil }
            if t == type {
                let value = UnsafeRawBufferPointer(rebasing: buffer[(offset + 2)..<(offset + 2 + len)])
                let end = value.firstIndex(of: 0) ?? value.count
                return String(decoding: UnsafeRawBufferPointer(rebasing: value[0..<end]), as: UTF8.self)
            }
            offset += 2 + len
        }
        return nil
    }
}
