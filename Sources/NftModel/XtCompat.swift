/// iptables-nft compat `match` expression: the xtables extension name, its revision and the
/// binary `xt_*` info struct. `decoded` is filled for the extensions Portcullis understands;
/// anything else stays raw and makes the evaluator say "undetermined".
public struct XtMatch: Sendable, Codable, Hashable {
    public var name: String
    public var revision: UInt32
    public var info: [UInt8]
    public var decoded: XtMatchInfo?
    public init(name: String, revision: UInt32, info: [UInt8], decoded: XtMatchInfo? = nil) {
        self.name = name
        self.revision = revision
        self.info = info
        self.decoded = decoded
    }
}

/// iptables-nft compat `target` expression.
public struct XtTarget: Sendable, Codable, Hashable {
    public var name: String
    public var revision: UInt32
    public var info: [UInt8]
    public var decoded: XtTargetInfo?
    public init(name: String, revision: UInt32, info: [UInt8], decoded: XtTargetInfo? = nil) {
        self.name = name
        self.revision = revision
        self.info = info
        self.decoded = decoded
    }
}

/// An inclusive port range (host byte order).
public struct PortRange: Sendable, Codable, Hashable, CustomStringConvertible {
    public var lower: UInt16
    public var upper: UInt16
    public init(_ lower: UInt16, _ upper: UInt16) {
        self.lower = lower
        self.upper = upper
    }
    public init(single: UInt16) { self.init(single, single) }
    public static let all = PortRange(0, 65535)
    public func contains(_ port: UInt16) -> Bool { port >= lower && port <= upper }
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}

/// An inclusive address range; addresses as 4 or 16 network-order bytes.
public struct AddressRange: Sendable, Codable, Hashable {
    public var lower: [UInt8]
    public var upper: [UInt8]
    public init(lower: [UInt8], upper: [UInt8]) {
        self.lower = lower
        self.upper = upper
    }
}

/// Decoded xtables match structs (linux/netfilter/xt_*.h).
public enum XtMatchInfo: Sendable, Codable, Hashable {
    /// `xt_tcp`: ports, TCP flags (`--syn` is mask SYN|RST|ACK|FIN, compare SYN), option; invflags
    /// XT_TCP_INV_SRCPT 0x01, DSTPT 0x02, FLAGS 0x04, OPTION 0x08.
    case tcp(sourcePorts: PortRange, destinationPorts: PortRange, option: UInt8, flagMask: UInt8, flagCompare: UInt8, invertFlags: UInt8)
    /// `xt_udp`: invflags XT_UDP_INV_SRCPT 0x01, DSTPT 0x02.
    case udp(sourcePorts: PortRange, destinationPorts: PortRange, invertFlags: UInt8)
    /// `xt_multiport` / `xt_multiport_v1`: which side (XT_MULTIPORT_SOURCE 0, DESTINATION 1, EITHER 2).
    case multiport(side: UInt8, ports: [PortRange], inverted: Bool)
    /// `xt_conntrack_mtinfo1/2/3`: only the state part is modelled; `otherConditions` lists any
    /// other condition the rule uses (origsrc, status, expires, …) so the evaluator can refuse.
    case conntrack(stateMask: UInt16?, stateInverted: Bool, otherConditions: [String])
    /// `xt_state_info`: XT_STATE_BIT(ctinfo) mask (INVALID 1, ESTABLISHED 2, RELATED 4, NEW 8, UNTRACKED 64).
    case state(stateMask: UInt32)
    /// `xt_addrtype_info_v1`: RTN_* type bit masks (1 << RTN_LOCAL …); flags XT_ADDRTYPE_INVERT_SOURCE 1,
    /// INVERT_DEST 2, LIMIT_IFACE_IN 4, LIMIT_IFACE_OUT 8.
    case addrtype(sourceMask: UInt16, destinationMask: UInt16, flags: UInt32)
    /// `xt_iprange_mtinfo`: flags IPRANGE_SRC 1, DST 2, SRC_INV 0x10, DST_INV 0x20.
    case iprange(source: AddressRange?, destination: AddressRange?, flags: UInt8)
    case comment(String)
    /// `xt_rateinfo` (limit): average (in XT_LIMIT_SCALE units) and burst. Stateful.
    case limit(average: UInt32, burst: UInt32)
    /// `ipt_icmp` / `ip6t_icmp`: type, code range, XT_ICMP_INV 1.
    case icmp(type: UInt8, codeMin: UInt8, codeMax: UInt8, inverted: Bool)
    case icmp6(type: UInt8, codeMin: UInt8, codeMax: UInt8, inverted: Bool)
}

/// Decoded xtables target structs.
public enum XtTargetInfo: Sendable, Codable, Hashable {
    /// `ipt_reject_info` / `ip6t_reject_info` with the reject type number.
    case reject(type: UInt32)
    case log(prefix: String, level: UInt8)
    /// DNAT / SNAT (`nf_nat_ipv4_multi_range_compat` rev 0, `nf_nat_range`/`nf_nat_range2` rev 1/2).
    case dnat(addresses: AddressRange?, ports: PortRange?)
    case snat(addresses: AddressRange?, ports: PortRange?)
    case redirect(ports: PortRange?)
    case masquerade(ports: PortRange?)
    /// Standard target with a verdict (rare in iptables-nft, which emits native verdicts).
    case verdict(Verdict)
    /// A target that does not end evaluation and does not change the filtering decision
    /// (MARK, CONNMARK, CT --notrack-free setups, TCPMSS, CHECKSUM, …): named for the trace.
    case nonTerminal(String)
}
