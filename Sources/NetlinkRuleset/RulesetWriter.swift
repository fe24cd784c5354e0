import FoundationEssentials
import Glibc
import CNetfilter
import NetNamespace
import NftModel

/// Why a change could not be committed. Nothing is ever half-applied: the batch is atomic.
public enum RulesetWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    case permissionDenied(String)
    /// The ruleset changed since it was read (the batch carried the generation it was planned on).
    case changedSinceRead(UInt32)
    /// An expression the writer cannot encode (only those `apply` generates are supported).
    case unsupportedExpression(String)
    case kernel(String)
    case namespace(String)

    public var description: String {
        switch self {
        case .permissionDenied(let m): m
        case .changedSinceRead(let g): "the ruleset changed after it was read (planned on generation \(g)); nothing was written — run again"
        case .unsupportedExpression(let e): "cannot encode expression '\(e)' for writing"
        case .kernel(let m): "netlink: \(m); nothing was written"
        case .namespace(let m): m
        }
    }
}

/// Commits rule insertions in ONE nf_tables batch (BEGIN … END): the kernel applies all of them
/// or none. With `expectedGeneration` the batch carries NFNL_BATCH_GENID, so the kernel refuses it
/// (ERESTART) if anything changed the ruleset after it was read and planned on.
public struct RulesetWriter {
    public init() {}

    public func insert(_ insertions: [RuleInsertion], expectedGeneration: UInt32?, netns: String? = nil) throws(RulesetWriteError) {
        guard !insertions.isEmpty else { return }
        let fd: Int32
        do {
            fd = try NetworkNamespace.run(in: netns) { () -> Int32 in
                Glibc.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_NETFILTER)
            }
        } catch {
            throw .namespace("\(error)")
        }
        guard fd >= 0 else { throw .kernel("cannot open a NETLINK_NETFILTER socket: \(String(cString: strerror(errno)))") }
        guard let nl = mnl_socket_fdopen(fd) else { close(fd); throw .kernel("mnl_socket_fdopen failed") }
        defer { mnl_socket_close(nl) }
        guard mnl_socket_bind(nl, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else { throw .kernel("cannot bind the netlink socket") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let batch = nftnl_batch_alloc(UInt32(page), UInt32(page * 8)) else { throw .kernel("out of memory") }
        defer { nftnl_batch_free(batch) }
        var seq = UInt32(truncatingIfNeeded: time(nil))
        let firstSeq = seq
        let begin = nftnl_batch_begin(UnsafeMutablePointer(mutating: nftnl_batch_buffer(batch)!.assumingMemoryBound(to: CChar.self)), seq)!
        if let gen = expectedGeneration { mnl_attr_put_u32(begin, UInt16(NFNL_BATCH_GENID.rawValue), gen.bigEndian) }
        seq &+= 1
        nftnl_batch_update(batch)
        var ruleSeqs: Set<UInt32> = []
        for ins in insertions {
            guard let rule = nftnl_rule_alloc() else { throw .kernel("out of memory") }
            defer { nftnl_rule_free(rule) }
            nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_TABLE.rawValue), ins.table)
            nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_CHAIN.rawValue), ins.chain)
            nftnl_rule_set_u32(rule, UInt16(NFTNL_RULE_FAMILY.rawValue), UInt32(ins.family.rawValue))
            var flags = UInt16(NLM_F_CREATE | NLM_F_ACK)
            switch ins.position {
            case .before(let handle): nftnl_rule_set_u64(rule, UInt16(NFTNL_RULE_POSITION.rawValue), handle)
            case .end: flags |= UInt16(NLM_F_APPEND)
            }
            if let comment = ins.rule.comment { try Self.setComment(rule, comment) }
            for e in ins.rule.expressions { nftnl_rule_add_expr(rule, try Self.build(e)) }
            let buf = UnsafeMutablePointer(mutating: nftnl_batch_buffer(batch)!.assumingMemoryBound(to: CChar.self))
            let nlh = nftnl_nlmsg_build_hdr(buf, UInt16(NFT_MSG_NEWRULE.rawValue), UInt16(ins.family.rawValue), flags, seq)!
            nftnl_rule_nlmsg_build_payload(nlh, rule)
            ruleSeqs.insert(seq)
            seq &+= 1
            nftnl_batch_update(batch)
        }
        nftnl_batch_end(UnsafeMutablePointer(mutating: nftnl_batch_buffer(batch)!.assumingMemoryBound(to: CChar.self)), seq)
        nftnl_batch_update(batch)

        // The batch may span several pages: send them as one datagram through an iovec.
        let iovCount = nftnl_batch_iovec_len(batch)
        var iov = [iovec](repeating: iovec(), count: Int(iovCount))
        nftnl_batch_iovec(batch, &iov, UInt32(iovCount))
        let total = iov.reduce(0) { $0 + $1.iov_len }
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        let sent = iov.withUnsafeMutableBufferPointer { iovs in
            withUnsafeMutablePointer(to: &address) { addr in
                var msg = msghdr()
                msg.msg_name = UnsafeMutableRawPointer(addr)
                msg.msg_namelen = socklen_t(MemoryLayout<sockaddr_nl>.size)
                msg.msg_iov = iovs.baseAddress
                msg.msg_iovlen = iovs.count
                return sendmsg(fd, &msg, 0)
            }
        }
        guard sent == total else {
            throw .kernel("sending the batch failed: \(String(cString: strerror(errno)))")
        }
        try Self.awaitAcks(nl, portID: mnl_socket_get_portid(nl), expecting: ruleSeqs, batchSeqs: firstSeq...seq,
                           generation: expectedGeneration)
    }

    /// Reads the per-message acks; the first error aborts (the kernel has then applied nothing).
    private static func awaitAcks(_ nl: OpaquePointer, portID: UInt32, expecting: Set<UInt32>, batchSeqs: ClosedRange<UInt32>,
                                  generation: UInt32?) throws(RulesetWriteError) {
        var pending = expecting
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !pending.isEmpty {
            let n = buffer.withUnsafeMutableBytes { mnl_socket_recvfrom(nl, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .kernel("no answer to the batch: \(String(cString: strerror(errno)))")
            }
            var offset = 0
            while offset + MemoryLayout<nlmsghdr>.size <= n {
                let (len, type, seq, code): (Int, UInt16, UInt32, Int32) = buffer.withUnsafeBytes { raw in
                    let h = raw.load(fromByteOffset: offset, as: nlmsghdr.self)
                    var code: Int32 = 0
                    if h.nlmsg_type == UInt16(NLMSG_ERROR) && Int(h.nlmsg_len) >= MemoryLayout<nlmsghdr>.size + 4 {
                        code = raw.load(fromByteOffset: offset + MemoryLayout<nlmsghdr>.size, as: Int32.self)
                    }
                    return (Int(h.nlmsg_len), h.nlmsg_type, h.nlmsg_seq, code)
                }
                guard len >= MemoryLayout<nlmsghdr>.size else { break }
                if type == UInt16(NLMSG_ERROR) && batchSeqs.contains(seq) {
                    if code == 0 {
                        pending.remove(seq)
                    } else {
                        let e = -code
                        if e == EPERM || e == EACCES {
                            throw .permissionDenied("permission denied: changing the nf_tables ruleset needs CAP_NET_ADMIN (run as root)")
                        }
                        if e == 85 /* ERESTART */, let generation { throw .changedSinceRead(generation) }
                        throw .kernel("the kernel refused the change: \(String(cString: strerror(e)))")
                    }
                }
                offset += (len + 3) & ~3
            }
        }
    }

    private static func setComment(_ rule: OpaquePointer, _ comment: String) throws(RulesetWriteError) {
        guard let udata = nftnl_udata_buf_alloc(UInt32(NFT_USERDATA_MAXLEN)) else { throw .kernel("out of memory") }
        defer { nftnl_udata_buf_free(udata) }
        guard nftnl_udata_put_strz(udata, UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue), comment) else {
            throw .unsupportedExpression("comment too long")
        }
        nftnl_rule_set_data(rule, UInt16(NFTNL_RULE_USERDATA.rawValue), nftnl_udata_buf_data(udata),
                            nftnl_udata_buf_len(udata))
    }

    /// Encodes one model expression with libnftnl (the kinds `apply` generates).
    static func build(_ e: NftModel.Expression) throws(RulesetWriteError) -> OpaquePointer {
        func alloc(_ name: String) throws(RulesetWriteError) -> OpaquePointer {
            guard let x = nftnl_expr_alloc(name) else { throw .kernel("out of memory") }
            return x
        }
        func setData(_ x: OpaquePointer, _ attr: Int32, _ bytes: [UInt8]) {
            bytes.withUnsafeBytes { _ = nftnl_expr_set(x, UInt16(attr), $0.baseAddress, UInt32($0.count)) }
        }
        switch e {
        case .meta(let m):
            let x = try alloc("meta")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_META_KEY), m.key.rawValue)
            if let d = m.dreg { nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_META_DREG), d.rawValue) }
            if let s = m.sreg { nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_META_SREG), s.rawValue) }
            return x
        case .cmp(let c):
            let x = try alloc("cmp")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_CMP_SREG), c.sreg.rawValue)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_CMP_OP), c.op.rawValue)
            setData(x, Int32(NFTNL_EXPR_CMP_DATA), c.data)
            return x
        case .payload(let p):
            guard let d = p.dreg else { throw .unsupportedExpression("payload write") }
            let x = try alloc("payload")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_PAYLOAD_BASE), p.base.rawValue)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_PAYLOAD_OFFSET), p.offset)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_PAYLOAD_LEN), p.length)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_PAYLOAD_DREG), d.rawValue)
            return x
        case .bitwise(let b):
            guard b.op == .bool else { throw .unsupportedExpression("bitwise shift") }
            let x = try alloc("bitwise")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_BITWISE_SREG), b.sreg.rawValue)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_BITWISE_DREG), b.dreg.rawValue)
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_BITWISE_LEN), b.length)
            setData(x, Int32(NFTNL_EXPR_BITWISE_MASK), b.mask)
            setData(x, Int32(NFTNL_EXPR_BITWISE_XOR), b.xor)
            return x
        case .ct(let c):
            let x = try alloc("ct")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_CT_KEY), c.key.rawValue)
            if let d = c.dreg { nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_CT_DREG), d.rawValue) }
            if let dir = c.direction { nftnl_expr_set_u8(x, UInt16(NFTNL_EXPR_CT_DIR), dir) }
            return x
        case .immediate(let i):
            let x = try alloc("immediate")
            nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_IMM_DREG), i.dreg.rawValue)
            if let v = i.verdict {
                switch v {
                case .jump(let c), .goto(let c): nftnl_expr_set_str(x, UInt16(NFTNL_EXPR_IMM_CHAIN), c)
                default: break
                }
                nftnl_expr_set_u32(x, UInt16(NFTNL_EXPR_IMM_VERDICT), UInt32(bitPattern: v.code))
            } else {
                setData(x, Int32(NFTNL_EXPR_IMM_DATA), i.data)
            }
            return x
        case .counter:
            return try alloc("counter")
        default:
            throw .unsupportedExpression(e.kernelName)
        }
    }
}
