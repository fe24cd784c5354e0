/// Netfilter hooks (NF_INET_* and NF_NETDEV_*). The raw value is the kernel's hook number for
/// the inet families; netdev's ingress/egress reuse 0/1 in the kernel and are mapped by family.
public enum Hook: String, Sendable, Codable, CaseIterable {
    case prerouting, input, forward, output, postrouting, ingress, egress

    /// Kernel hook number for `family` (NF_INET_PRE_ROUTING = 0 … NF_INET_INGRESS = 5;
    /// NF_NETDEV_INGRESS = 0, NF_NETDEV_EGRESS = 1).
    public static func from(number: UInt32, family: Family) -> Hook? {
        if family == .netdev {
            switch number { case 0: return .ingress; case 1: return .egress; default: return nil }
        }
        switch number {
        case 0: return .prerouting
        case 1: return .input
        case 2: return .forward
        case 3: return .output
        case 4: return .postrouting
        case 5: return .ingress
        default: return nil
        }
    }

    public func number(family: Family) -> UInt32 {
        if family == .netdev { return self == .egress ? 1 : 0 }
        switch self {
        case .prerouting: return 0
        case .input: return 1
        case .forward: return 2
        case .output: return 3
        case .postrouting: return 4
        case .ingress: return 5
        case .egress: return 1
        }
    }
}

/// Base chain types (`filter`, `nat`, `route`).
public enum ChainType: String, Sendable, Codable {
    case filter, nat, route
}
