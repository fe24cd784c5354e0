/// nf_tables address families, with the kernel's NFPROTO_* numbers.
/// See https://wiki.nftables.org/wiki-nftables/index.php/Nftables_families
public enum Family: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case inet = 1      // NFPROTO_INET
    case ip = 2        // NFPROTO_IPV4
    case arp = 3       // NFPROTO_ARP
    case netdev = 5    // NFPROTO_NETDEV
    case bridge = 7    // NFPROTO_BRIDGE
    case ip6 = 10      // NFPROTO_IPV6

    public var description: String {
        switch self {
        case .inet: "inet"
        case .ip: "ip"
        case .arp: "arp"
        case .netdev: "netdev"
        case .bridge: "bridge"
        case .ip6: "ip6"
        }
    }

    public init?(name: String) {
        guard let f = Family.allCases.first(where: { $0.description == name }) else { return nil }
        self = f
    }
}

/// The IP version a packet is evaluated as. `inet` tables see both; `ip`/`ip6` tables one each.
public enum IPVersion: String, Sendable, Codable, CaseIterable {
    case ipv4, ipv6

    /// The NFPROTO number `meta nfproto` yields for a packet of this version.
    public var nfproto: UInt8 { self == .ipv4 ? 2 : 10 }
    /// Address length in bytes.
    public var addressLength: Int { self == .ipv4 ? 4 : 16 }
}
