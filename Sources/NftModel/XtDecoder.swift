/// Decodes the binary `xt_*` info structs that iptables-nft puts in compat `match`/`target`
/// expressions (NFTA_MATCH_INFO / NFTA_TARGET_INFO) into `XtMatchInfo` / `XtTargetInfo`.
///
/// Layouts are those of linux/netfilter/xt_*.h, ipv4/ipt_*.h and ipv6/ip6t_*.h on x86_64 (offsets
/// checked with `offsetof` against the UAPI headers). The kernel hands the struct back padded to
/// XT_ALIGN (8 bytes), so only a minimum length is checked. Fields documented as host order are
/// read in the machine's byte order (the blob comes from this kernel); `__be16`/`__be32` fields in
/// network order. Anything not understood returns nil, and the evaluator then says "undetermined".
public enum XtDecoder {
    // MARK: matches

    public static func decodeMatch(name: String, revision: UInt32, info: [UInt8], family: Family) -> XtMatchInfo? {
        let b = XtBytes(info)
        switch name {
        case "tcp":
            // struct xt_tcp { __u16 spts[2], dpts[2]; __u8 option, flg_mask, flg_cmp, invflags; }  (12)
            guard b.count >= 12 else { return nil }
            return .tcp(sourcePorts: PortRange(b.u16(0), b.u16(2)), destinationPorts: PortRange(b.u16(4), b.u16(6)),
                        option: b.u8(8), flagMask: b.u8(9), flagCompare: b.u8(10), invertFlags: b.u8(11))
        case "udp":
            // struct xt_udp { __u16 spts[2], dpts[2]; __u8 invflags; }  (10)
            guard b.count >= 9 else { return nil }
            return .udp(sourcePorts: PortRange(b.u16(0), b.u16(2)), destinationPorts: PortRange(b.u16(4), b.u16(6)),
                        invertFlags: b.u8(8))
        case "multiport":
            return decodeMultiport(b, revision: revision)
        case "conntrack":
            return decodeConntrack(b, revision: revision)
        case "state":
            // struct xt_state_info { unsigned int statemask; }  XT_STATE_BIT(ctinfo), UNTRACKED = 64
            guard b.count >= 4 else { return nil }
            return .state(stateMask: b.u32(0))
        case "addrtype":
            if revision == 1 {
                // struct xt_addrtype_info_v1 { __u16 source, dest; __u32 flags; }  (8)
                guard b.count >= 8 else { return nil }
                return .addrtype(sourceMask: b.u16(0), destinationMask: b.u16(2), flags: b.u32(4))
            }
            if revision == 0 {
                // struct xt_addrtype_info { __u16 source, dest; __u32 invert_source, invert_dest; }  (12)
                guard b.count >= 12 else { return nil }
                let flags: UInt32 = (b.u32(4) != 0 ? 1 : 0) | (b.u32(8) != 0 ? 2 : 0)
                return .addrtype(sourceMask: b.u16(0), destinationMask: b.u16(2), flags: flags)
            }
            return nil
        case "iprange":
            // struct xt_iprange_mtinfo { union nf_inet_addr src_min, src_max, dst_min, dst_max; __u8 flags; }  (68)
            guard revision == 1, b.count >= 65 else { return nil }
            let flags = b.u8(64)
            let width = family == .ip6 ? 16 : 4
            if family != .ip && family != .ip6 { return nil }
            let src = flags & 0x01 != 0 ? AddressRange(lower: b.bytes(0, width), upper: b.bytes(16, width)) : nil
            let dst = flags & 0x02 != 0 ? AddressRange(lower: b.bytes(32, width), upper: b.bytes(48, width)) : nil
            return .iprange(source: src, destination: dst, flags: flags)
        case "comment":
            // struct xt_comment_info { char comment[256]; }
            return .comment(b.cString(0, 256))
        case "limit":
            // struct xt_rateinfo { __u32 avg, burst; unsigned long prev; … }  (40 on x86_64)
            guard b.count >= 8 else { return nil }
            return .limit(average: b.u32(0), burst: b.u32(4))
        case "icmp", "icmp6":
            // struct ipt_icmp / ip6t_icmp { __u8 type; __u8 code[2]; __u8 invflags; }  (4)
            guard b.count >= 4 else { return nil }
            let inverted = b.u8(3) & 0x01 != 0
            return name == "icmp"
                ? .icmp(type: b.u8(0), codeMin: b.u8(1), codeMax: b.u8(2), inverted: inverted)
                : .icmp6(type: b.u8(0), codeMin: b.u8(1), codeMax: b.u8(2), inverted: inverted)
        default:
            return nil
        }
    }

    private static func decodeMultiport(_ b: XtBytes, revision: UInt32) -> XtMatchInfo? {
        // rev 0: struct xt_multiport { __u8 flags, count; __u16 ports[15]; }  (32)
        // rev 1: struct xt_multiport_v1 { __u8 flags, count; __u16 ports[15]; __u8 pflags[15]; __u8 invert; }  (48)
        guard b.count >= 32 else { return nil }
        let side = b.u8(0)
        let count = min(Int(b.u8(1)), 15)
        guard side <= 2 else { return nil }
        var ports: [PortRange] = []
        if revision == 0 {
            for i in 0..<count { ports.append(PortRange(single: b.u16(2 + 2 * i))) }
            return .multiport(side: side, ports: ports, inverted: false)
        }
        guard revision == 1, b.count >= 48 else { return nil }
        var i = 0
        while i < count {
            let p = b.u16(2 + 2 * i)
            if b.u8(32 + i) != 0, i + 1 < count {
                ports.append(PortRange(p, b.u16(2 + 2 * (i + 1))))
                i += 2
            } else {
                ports.append(PortRange(single: p))
                i += 1
            }
        }
        return .multiport(side: side, ports: ports, inverted: b.u8(47) != 0)
    }

    /// XT_CONNTRACK_* match_flags bits other than STATE (1) and STATE_ALIAS (1 << 13), by the
    /// iptables option that sets them.
    private static let conntrackConditions: [(UInt16, String)] = [
        (1 << 1, "ctproto"), (1 << 2, "ctorigsrc"), (1 << 3, "ctorigdst"), (1 << 4, "ctreplsrc"),
        (1 << 5, "ctrepldst"), (1 << 6, "ctstatus"), (1 << 7, "ctexpire"), (1 << 8, "ctorigsrcport"),
        (1 << 9, "ctorigdstport"), (1 << 10, "ctreplsrcport"), (1 << 11, "ctrepldstport"), (1 << 12, "ctdir"),
    ]

    /// `stateMask` is returned in nft's `CtStateBit` encoding: the XT_CONNTRACK_STATE bits for
    /// INVALID/ESTABLISHED/RELATED/NEW are the same; UNTRACKED (1 << 8) becomes 64; the SNAT/DNAT
    /// pseudo-states (64, 128) are not states of the packet and are listed in `otherConditions`.
    private static func decodeConntrack(_ b: XtBytes, revision: UInt32) -> XtMatchInfo? {
        // mtinfo1 (152): … match_flags @146, invert_flags @148, __u8 state_mask @150, status_mask @151
        // mtinfo2 (156) / mtinfo3 (164): … __u16 state_mask @150, status_mask @152
        let needed: Int
        switch revision {
        case 1: needed = 152
        case 2: needed = 154
        case 3: needed = 162
        default: return nil
        }
        guard b.count >= needed else { return nil }
        let matchFlags = b.u16(146)
        let invertFlags = b.u16(148)
        let rawState = revision == 1 ? UInt16(b.u8(150)) : b.u16(150)
        var other: [String] = []
        for (bit, label) in conntrackConditions where matchFlags & bit != 0 {
            other.append(invertFlags & bit != 0 ? "! \(label)" : label)
        }
        var stateMask: UInt16?
        if matchFlags & 1 != 0 {
            var mask = rawState & 0x0f
            if rawState & (1 << 8) != 0 { mask |= UInt16(CtStateBit.untracked) }
            if rawState & (1 << 6) != 0 { other.append("ctstate SNAT") }
            if rawState & (1 << 7) != 0 { other.append("ctstate DNAT") }
            stateMask = mask
        }
        return .conntrack(stateMask: stateMask, stateInverted: matchFlags & 1 != 0 && invertFlags & 1 != 0,
                          otherConditions: other)
    }

    // MARK: targets

    /// Targets that neither end evaluation nor change whether a packet is filtered.
    public static let nonTerminalTargets: Set<String> = [
        "MARK", "CONNMARK", "TCPMSS", "CHECKSUM", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "CT", "NOTRACK",
        "CONNSECMARK", "SECMARK", "NFLOG", "TRACE", "AUDIT", "IDLETIMER", "LED", "RATEEST", "TEE", "TPROXY_MARK",
    ]

    public static func decodeTarget(name: String, revision: UInt32, info: [UInt8], family: Family) -> XtTargetInfo? {
        let b = XtBytes(info)
        switch name {
        case "REJECT":
            // struct ipt_reject_info / ip6t_reject_info { __u32 with; }
            guard b.count >= 4 else { return nil }
            return .reject(type: b.u32(0))
        case "LOG":
            // struct xt_log_info { unsigned char level, logflags; char prefix[30]; }  (32)
            guard b.count >= 2 else { return nil }
            return .log(prefix: b.cString(2, 30), level: b.u8(0))
        case "DNAT", "SNAT":
            guard let (addresses, ports) = natRange(b, revision: revision, family: family) else { return nil }
            return name == "DNAT" ? .dnat(addresses: addresses, ports: ports) : .snat(addresses: addresses, ports: ports)
        case "REDIRECT", "MASQUERADE":
            // IPv4: rev 0 nf_nat_ipv4_multi_range_compat; IPv6: rev 0 nf_nat_range.
            guard revision == 0 else { return nil }
            let decoded = family == .ip6 ? natRange(b, revision: 1, family: family) : natRange(b, revision: 0, family: family)
            guard let (_, ports) = decoded else { return nil }
            return name == "REDIRECT" ? .redirect(ports: ports) : .masquerade(ports: ports)
        case "", "standard":
            // Standard target: int verdict; negative = -NF_xxx - 1 (XT_RETURN = -NF_REPEAT - 1).
            guard b.count >= 4 else { return nil }
            let v = Int32(bitPattern: b.u32(0))
            guard v < 0 else { return nil }
            let code = -v - 1
            if code == 4 { return .verdict(.return) }
            let verdict = Verdict(code: code, chain: nil)
            if case .unknown = verdict { return nil }
            return .verdict(verdict)
        default:
            return nonTerminalTargets.contains(name) ? .nonTerminal(name) : nil
        }
    }

    /// NF_NAT_RANGE_MAP_IPS (1) → addresses, NF_NAT_RANGE_PROTO_SPECIFIED (2) → ports.
    private static func natRange(_ b: XtBytes, revision: UInt32, family: Family) -> (AddressRange?, PortRange?)? {
        switch revision {
        case 0:
            // struct nf_nat_ipv4_multi_range_compat { unsigned int rangesize; struct nf_nat_ipv4_range range[1]; }
            // nf_nat_ipv4_range { unsigned int flags @4; __be32 min_ip @8, max_ip @12; __be16 min @16, max @18 }
            guard family != .ip6, b.count >= 20, b.u32(0) >= 1 else { return nil }
            let flags = b.u32(4)
            let addresses = flags & 1 != 0 ? AddressRange(lower: b.bytes(8, 4), upper: b.bytes(12, 4)) : nil
            let ports = flags & 2 != 0 ? PortRange(b.u16BE(16), b.u16BE(18)) : nil
            return (addresses, ports)
        case 1, 2:
            // struct nf_nat_range(2) { unsigned int flags; union nf_inet_addr min_addr @4, max_addr @20;
            //                          union nf_conntrack_man_proto min_proto @36, max_proto @38; [base_proto @40] }
            guard b.count >= 40 else { return nil }
            let flags = b.u32(0)
            let width = family == .ip6 ? 16 : 4
            let addresses = flags & 1 != 0 ? AddressRange(lower: b.bytes(4, width), upper: b.bytes(20, width)) : nil
            let ports = flags & 2 != 0 ? PortRange(b.u16BE(36), b.u16BE(38)) : nil
            return (addresses, ports)
        default:
            return nil
        }
    }
}

/// Bounds-checked reads from an xt info blob (missing bytes read as zero).
struct XtBytes {
    let raw: [UInt8]
    init(_ raw: [UInt8]) { self.raw = raw }
    var count: Int { raw.count }
    func u8(_ o: Int) -> UInt8 { o < raw.count ? raw[o] : 0 }
    /// Host (little-endian on x86_64) u16, as xt structs store ports and masks.
    func u16(_ o: Int) -> UInt16 { UInt16(littleEndian: UInt16(u8(o)) | UInt16(u8(o + 1)) << 8) }
    func u32(_ o: Int) -> UInt32 {
        UInt32(littleEndian: UInt32(u8(o)) | UInt32(u8(o + 1)) << 8 | UInt32(u8(o + 2)) << 16 | UInt32(u8(o + 3)) << 24)
    }
    /// Network-order u16 (`__be16`).
    func u16BE(_ o: Int) -> UInt16 { UInt16(u8(o)) << 8 | UInt16(u8(o + 1)) }
    func bytes(_ o: Int, _ n: Int) -> [UInt8] { (o..<(o + n)).map { u8($0) } }
    func cString(_ o: Int, _ max: Int) -> String {
        var out: [UInt8] = []
        var i = o
        while i < raw.count, i < o + max, raw[i] != 0 { out.append(raw[i]); i += 1 }
        return String(decoding: out, as: UTF8.self)
    }
}
