/// What a register value means, so the renderer can print `10.0.0.1`, `443`, `tcp`, `"eth*"`,
/// `established,related` instead of hex.
enum ValueKind: Equatable {
    case ipv4, ipv6, port, l4proto, nfproto, ifname, etherAddress, etherType
    case ctState, ctStatus, ctDirection, tcpFlags, icmpType, icmpv6Type, fibAddrType, pktType
    /// Big-endian integer (payload fields).
    case integer
    /// Host-order integer (meta iif, skuid …), printed in decimal; `hostHex` in hex (marks).
    case hostInteger, hostHex

    var isAddress: Bool { self == .ipv4 || self == .ipv6 }
    var isFlags: Bool { self == .ctState || self == .ctStatus || self == .tcpFlags }
}

enum ValueFormatter {
    static func format(_ b: [UInt8], _ kind: ValueKind) -> String {
        switch kind {
        case .ipv4 where b.count == 4: return b.map(String.init).joined(separator: ".")
        case .ipv6 where b.count == 16: return ipv6(b)
        case .port where b.count == 2: return String(UInt16(b[0]) << 8 | UInt16(b[1]))
        case .l4proto where b.count == 1:
            return [1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 41: "ipv6", 47: "gre", 50: "esp", 51: "ah", 58: "icmpv6",
                    132: "sctp", 33: "dccp", 136: "udplite"][b[0]] ?? String(b[0])
        case .nfproto where b.count == 1:
            return [2: "ipv4", 10: "ipv6", 3: "arp", 7: "bridge"][b[0]] ?? String(b[0])
        case .ifname:
            // A name without its terminating NUL within the compared length is a prefix match: `eth*`.
            if let nul = b.firstIndex(of: 0) { return "\"\(String(decoding: b[..<nul], as: UTF8.self))\"" }
            return "\"\(String(decoding: b, as: UTF8.self))*\""
        case .etherAddress where b.count == 6:
            return b.map { hex2($0) }.joined(separator: ":")
        case .etherType where b.count == 2:
            let v = UInt16(b[0]) << 8 | UInt16(b[1])
            return [0x0800: "ip", 0x86dd: "ip6", 0x0806: "arp", 0x8100: "8021q"][v] ?? "0x" + hex2(b[0]) + hex2(b[1])
        case .ctState:
            return flags(host(b), [(1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked")])
        case .ctStatus:
            return flags(host(b), [(1, "expected"), (2, "seen-reply"), (4, "assured"), (8, "confirmed"), (16, "snat"),
                                   (32, "dnat"), (512, "dying")])
        case .ctDirection where b.count == 1:
            return b[0] == 0 ? "original" : b[0] == 1 ? "reply" : String(b[0])
        case .tcpFlags where b.count == 1:
            return flags(UInt64(b[0]), [(1, "fin"), (2, "syn"), (4, "rst"), (8, "psh"), (16, "ack"), (32, "urg"),
                                        (64, "ecn"), (128, "cwr")])
        case .icmpType where b.count == 1:
            return [0: "echo-reply", 3: "destination-unreachable", 5: "redirect", 8: "echo-request", 11: "time-exceeded",
                    12: "parameter-problem", 13: "timestamp-request", 14: "timestamp-reply"][b[0]] ?? String(b[0])
        case .icmpv6Type where b.count == 1:
            return [1: "destination-unreachable", 2: "packet-too-big", 3: "time-exceeded", 4: "parameter-problem",
                    128: "echo-request", 129: "echo-reply", 133: "nd-router-solicit", 134: "nd-router-advert",
                    135: "nd-neighbor-solicit", 136: "nd-neighbor-advert", 137: "nd-redirect"][b[0]] ?? String(b[0])
        case .fibAddrType:
            let names = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole",
                         "unreachable", "prohibit"]
            let v = Int(host(b))
            return names.indices.contains(v) ? names[v] : String(v)
        case .pktType where b.count == 1:
            return [0: "host", 1: "broadcast", 2: "multicast", 3: "other"][b[0]] ?? String(b[0])
        case .hostInteger where b.count <= 8: return String(host(b))
        case .hostHex where b.count <= 8: return "0x" + String(host(b), radix: 16)
        case .integer where b.count <= 8 && !b.isEmpty:
            return String(b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        default:
            return "0x" + b.map(hex2).joined()
        }
    }

    /// Host-order (little-endian on x86_64) integer, as meta/ct keep marks, states and indexes.
    static func host(_ b: [UInt8]) -> UInt64 {
        var v: UInt64 = 0
        for (i, x) in b.prefix(8).enumerated() { v |= UInt64(x) << (8 * UInt64(i)) }
        return UInt64(littleEndian: v)
    }

    private static func flags(_ v: UInt64, _ names: [(UInt64, String)]) -> String {
        var out: [String] = []
        var rest = v
        for (bit, name) in names where v & bit != 0 {
            out.append(name)
            rest &= ~bit
        }
        if rest != 0 { out.append("0x" + String(rest, radix: 16)) }
        return out.isEmpty ? "0x0" : out.joined(separator: ",")
    }

    static func hex2(_ x: UInt8) -> String {
        let d = Array("0123456789abcdef")
        return String([d[Int(x >> 4)], d[Int(x & 15)]])
    }

    /// RFC 5952 text.
    static func ipv6(_ b: [UInt8]) -> String { IPAddressText.format(b) }
}

/// Short iptables-like descriptions of decoded xt matches and targets for traces.
enum XtRenderer {
    static func describe(_ m: XtMatchInfo) -> String {
        switch m {
        case .tcp(let s, let d, _, let mask, let cmp, let inv):
            var p: [String] = []
            if s != .all { p.append("\(inv & 1 != 0 ? "! " : "")sport \(s)") }
            if d != .all { p.append("\(inv & 2 != 0 ? "! " : "")dport \(d)") }
            if mask != 0 { p.append("\(inv & 4 != 0 ? "! " : "")flags \(mask)/\(cmp)") }
            return (["tcp"] + p).joined(separator: " ")
        case .udp(let s, let d, let inv):
            var p: [String] = []
            if s != .all { p.append("\(inv & 1 != 0 ? "! " : "")sport \(s)") }
            if d != .all { p.append("\(inv & 2 != 0 ? "! " : "")dport \(d)") }
            return (["udp"] + p).joined(separator: " ")
        case .multiport(let side, let ports, let inv):
            let which = side == 0 ? "sports" : side == 1 ? "dports" : "ports"
            return "\(inv ? "! " : "")\(which) \(ports.map(\.description).joined(separator: ","))"
        case .conntrack(let mask, let inv, let other):
            var p: [String] = []
            if let mask { p.append("\(inv ? "! " : "")ctstate \(ValueFormatter.format(withUnsafeBytes(of: UInt32(mask).littleEndian, Array.init), .ctState))") }
            return (p + other).joined(separator: " ")
        case .state(let mask):
            return "state \(ValueFormatter.format(withUnsafeBytes(of: mask.littleEndian, Array.init), .ctState))"
        case .addrtype(let s, let d, let f):
            var p: [String] = []
            if s != 0 { p.append("\(f & 1 != 0 ? "! " : "")src-type \(addrTypes(s))") }
            if d != 0 { p.append("\(f & 2 != 0 ? "! " : "")dst-type \(addrTypes(d))") }
            if f & 4 != 0 { p.append("limit-iface-in") }
            if f & 8 != 0 { p.append("limit-iface-out") }
            return p.joined(separator: " ")
        case .iprange(let s, let d, let f):
            var p: [String] = []
            let kind: ValueKind = (s ?? d)?.lower.count == 16 ? .ipv6 : .ipv4
            if let s { p.append("\(f & 0x10 != 0 ? "! " : "")src-range \(ValueFormatter.format(s.lower, kind))-\(ValueFormatter.format(s.upper, kind))") }
            if let d { p.append("\(f & 0x20 != 0 ? "! " : "")dst-range \(ValueFormatter.format(d.lower, kind))-\(ValueFormatter.format(d.upper, kind))") }
            return p.joined(separator: " ")
        case .comment(let c): return "comment \"\(c)\""
        case .limit(let avg, let burst): return "limit avg \(avg) burst \(burst)"
        case .icmp(let t, let lo, let hi, let inv), .icmp6(let t, let lo, let hi, let inv):
            return "\(inv ? "! " : "")type \(t)" + (lo == 0 && hi == 255 ? "" : " code \(lo)-\(hi)")
        }
    }

    static func describe(_ t: XtTargetInfo) -> String {
        switch t {
        case .reject(let type): return "reject-with \(type)"
        case .log(let prefix, let level): return "log prefix \"\(prefix)\" level \(level)"
        case .dnat(let a, let p): return "to-destination \(nat(a, p))"
        case .snat(let a, let p): return "to-source \(nat(a, p))"
        case .redirect(let p): return "redirect" + (p.map { " to-ports \($0)" } ?? "")
        case .masquerade(let p): return "masquerade" + (p.map { " to-ports \($0)" } ?? "")
        case .verdict(let v): return v.description
        case .nonTerminal(let n): return n
        }
    }

    private static func nat(_ a: AddressRange?, _ p: PortRange?) -> String {
        var s = ""
        if let a {
            let kind: ValueKind = a.lower.count == 16 ? .ipv6 : .ipv4
            s = ValueFormatter.format(a.lower, kind)
            if a.upper != a.lower { s += "-" + ValueFormatter.format(a.upper, kind) }
            if kind == .ipv6, p != nil { s = "[\(s)]" }
        }
        if let p { s += ":\(p)" }
        return s
    }

    private static func addrTypes(_ mask: UInt16) -> String {
        let names = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE",
                     "PROHIBIT", "THROW", "NAT", "XRESOLVE"]
        return names.indices.filter { mask & (1 << UInt16($0)) != 0 }.map { names[$0] }.joined(separator: ",")
    }
}
