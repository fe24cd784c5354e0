import Foundation

/// The kernel-oracle rulesets. Flows: v4a 10.77.1.2→10.77.1.1, v4b 10.77.2.2→10.77.2.1,
/// v6a fd77:1::2→fd77:1::1, v6b fd77:2::2→fd77:2::1, all in on eth0. `expected` is what the
/// kernel does for them (a/d/r, ":port" when delivered elsewhere).
enum OracleRulesets {
    /// Accept replies, and ICMPv6 so IPv6 neighbor discovery works (as every real ruleset must).
    static let established = "ct state established,related accept\n    meta l4proto ipv6-icmp accept"

    static let all: [OracleCase] = nft + iptables + ufw

    static let nft: [OracleCase] = [
        OracleCase(name: "policy drop, stateful accept by source prefix", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            ip saddr 10.77.1.0/24 tcp dport 443 accept
            ip6 saddr fd77:2::/64 tcp dport 443 accept
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "priorities across tables: accept in one, drop in a later one", loader: .nft("""
        table ip early {
          chain in { type filter hook input priority -10; policy accept; tcp dport 443 accept; }
        }
        table inet late {
          chain in { type filter hook input priority 10; policy accept;
            ip saddr 10.77.2.0/24 drop
            ip6 saddr fd77:1::/64 drop
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "accept ends only its base chain (same table, two chains)", loader: .nft("""
        table inet t {
          chain a { type filter hook input priority 0; policy accept; tcp dport 443 accept; }
          chain b { type filter hook input priority 5; policy drop;
            ct state established accept
            meta l4proto ipv6-icmp accept
            ip saddr 10.77.1.0/24 accept
            ip6 saddr fd77:1::/64 accept
          }
        }
        """), expected: "a d a d"),

        OracleCase(name: "jump, goto, return", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            tcp dport 443 jump web
            ip saddr 10.77.2.0/24 goto sub
            ip6 saddr fd77:1::/64 accept
          }
          chain web {
            ip saddr 10.77.2.0/24 return
            ip6 saddr fd77::/16 return
            accept
          }
          chain sub { ip saddr 10.77.2.3 accept; }
        }
        """), expected: "a d a d"),

        OracleCase(name: "named interval sets", loader: .nft("""
        table inet t {
          set allowed4 { type ipv4_addr; flags interval; elements = { 10.77.1.0/24, 192.0.2.0-192.0.2.9 } }
          set allowed6 { type ipv6_addr; flags interval; elements = { fd77:2::/64 } }
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            ip saddr @allowed4 tcp dport 443 accept
            ip6 saddr @allowed6 tcp dport 443 accept
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "anonymous sets of ports and addresses", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            tcp dport { 22, 443, 8000-8100 } ip saddr { 10.77.1.2, 10.77.9.0/24 } accept
            tcp dport { 443 } ip6 saddr { fd77:1::2, fd77:3::/64 } accept
          }
        }
        """), expected: "a d a d"),

        OracleCase(name: "inverted lookups", loader: .nft("""
        table inet t {
          set trusted { type ipv4_addr; flags interval; elements = { 10.77.1.0/24 } }
          chain in { type filter hook input priority 0; policy accept;
            ip saddr != @trusted tcp dport 443 drop
            ip6 saddr != { fd77:2::/64 } tcp dport 443 reject with tcp reset
          }
        }
        """), expected: "a d r a"),

        OracleCase(name: "verdict map on source address", loader: .nft("""
        table inet t {
          chain rej { reject with tcp reset; }
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            ip saddr vmap { 10.77.1.0/24 : accept, 10.77.2.0/24 : drop }
            ip6 saddr vmap { fd77:1::/64 : jump rej, fd77:2::/64 : accept }
          }
        }
        """), expected: "a d r a"),

        OracleCase(name: "verdict map on port with jump", loader: .nft("""
        table inet t {
          chain web { ip saddr 10.77.2.0/24 drop; accept; }
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            tcp dport vmap { 443 : jump web, 80 : drop }
          }
        }
        """), expected: "a d a a"),

        OracleCase(name: "map feeding redirect", loader: .nft("""
        table inet nat {
          chain pre { type nat hook prerouting priority dstnat; meta l4proto tcp redirect to :tcp dport map { 443 : 8443, 80 : 8080 }; }
        }
        table inet filter {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            ip saddr 10.77.1.0/24 tcp dport 8443 accept
            ip6 saddr fd77::/16 tcp dport 8443 accept
          }
        }
        """), listen: [443, 8443], expected: "a:8443 d a:8443 a:8443"),

        OracleCase(name: "concatenations (interval and exact)", loader: .nft("""
        table inet t {
          set pairs { type ipv4_addr . inet_service; flags interval; elements = { 10.77.1.0/24 . 443, 10.77.2.0/24 . 22 } }
          set pairs6 { type ipv6_addr . inet_service; elements = { fd77:2::2 . 443 } }
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            ip saddr . tcp dport @pairs accept
            ip6 saddr . tcp dport @pairs6 accept
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "SYN accepted but replies dropped in output", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy accept; }
          chain out { type filter hook output priority 0; policy accept;
            ip daddr 10.77.2.0/24 drop
            ip6 daddr fd77:1::/64 ct state established drop
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "client ACK dropped (only ct state new accepted)", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            meta l4proto ipv6-icmp accept
            ct state new ip saddr 10.77.1.0/24 tcp dport 443 accept
            ct state new,established ip6 saddr fd77:1::/64 accept
          }
        }
        """), expected: "d d a d"),

        OracleCase(name: "redirect before input filters", loader: .nft("""
        table ip nat {
          chain pre { type nat hook prerouting priority dstnat; tcp dport 443 redirect to :8443; }
        }
        table ip6 nat {
          chain pre { type nat hook prerouting priority dstnat; ip6 saddr fd77:2::/64 tcp dport 443 redirect to :8443; }
        }
        table inet raw {
          chain pre { type filter hook prerouting priority -150; tcp dport 8443 drop; }
        }
        table inet filter {
          chain in { type filter hook input priority 0; policy accept;
            ip saddr 10.77.2.0/24 tcp dport 8443 drop
          }
        }
        """), listen: [443, 8443], expected: "a:8443 d a a:8443"),

        OracleCase(name: "dnat to a local address and port", loader: .nft("""
        table ip nat {
          chain pre { type nat hook prerouting priority dstnat; ip saddr 10.77.1.0/24 tcp dport 443 dnat to 10.77.2.1:8443; }
        }
        table ip6 nat {
          chain pre { type nat hook prerouting priority dstnat; tcp dport 443 dnat to [fd77:1::1]:8443; }
        }
        table inet filter {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            tcp dport 8443 accept
            ip saddr 10.77.2.0/24 tcp dport 443 accept
          }
        }
        """), listen: [443, 8443], expected: "a:8443 a a:8443 a:8443"),

        OracleCase(name: "fib daddr type local", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            fib daddr type local ip saddr 10.77.1.0/24 tcp dport 443 accept
            fib daddr type local ip6 saddr fd77:1::/64 tcp dport 443 accept
            fib daddr type broadcast accept
          }
        }
        """), expected: "a d a d"),

        OracleCase(name: "iifname wildcards", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            iifname "et*" ip saddr 10.77.1.0/24 accept
            iifname "wlan*" accept
            iifname "eth0" ip6 saddr fd77:2::/64 accept
            iifname "eth1" accept
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "meta iif by index", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            iif "eth0" ip saddr 10.77.1.0/24 accept
            iif "lo" accept
            iif != "lo" ip6 saddr fd77:2::/64 accept
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "netdev ingress drop", loader: .nft("""
        table netdev nd {
          chain ing { type filter hook ingress device "eth0" priority 0; policy accept;
            ip saddr 10.77.2.0/24 drop
            ip6 saddr fd77:1::/64 tcp dport 443 drop
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "reject variants", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy accept;
            ip saddr 10.77.1.0/24 tcp dport 443 reject with tcp reset
            ip saddr 10.77.2.0/24 tcp dport 443 reject with icmp type admin-prohibited
            ip6 saddr fd77:1::/64 tcp dport 443 reject with icmpx type port-unreachable
            ip6 saddr fd77:2::/64 tcp dport 443 reject
          }
        }
        """), expected: "r r r r"),

        OracleCase(name: "policy drop in an ip table only", loader: .nft("""
        table ip t {
          chain in { type filter hook input priority 0; policy drop; }
        }
        table ip6 t {
          chain in { type filter hook input priority 0; policy accept; }
        }
        """), expected: "d d a a"),

        OracleCase(name: "dormant table is ignored", loader: .nft("""
        table inet off {
          flags dormant
          chain in { type filter hook input priority 0; policy drop; }
        }
        table inet on {
          chain in { type filter hook input priority 0; policy accept; ip saddr 10.77.2.0/24 drop; }
        }
        """), expected: "a d a a"),

        OracleCase(name: "raw prerouting drop before conntrack", loader: .nft("""
        table inet raw {
          chain pre { type filter hook prerouting priority raw; policy accept;
            ip saddr 10.77.2.0/24 tcp dport 443 drop
            ct state invalid ip6 saddr fd77:1::/64 tcp dport 443 drop
          }
        }
        """), expected: "a d d a"),

        OracleCase(name: "IPv6 neighbor discovery blocked by policy drop", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            ct state established,related accept
            tcp dport 443 accept
          }
        }
        """), expected: "a a d? d?"),

        OracleCase(name: "limit (stateful)", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy drop;
            \(established)
            tcp dport 443 limit rate 100/second accept
          }
        }
        """), expected: "a a a a", stateful: true),

        OracleCase(name: "ct count (stateful)", loader: .nft("""
        table inet t {
          chain in { type filter hook input priority 0; policy accept;
            tcp dport 443 ct count over 1000 drop
          }
        }
        """), expected: "a a a a", stateful: true),
    ]

    static let iptables: [OracleCase] = [
        OracleCase(name: "iptables-nft multiport, conntrack, state, comment", loader: .commands([
            ["iptables", "-w", "-P", "INPUT", "DROP"],
            ["iptables", "-w", "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "-s", "10.77.1.0/24", "-m", "multiport", "--dports", "22,443,8000:8100", "-j", "ACCEPT"],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "-s", "10.77.2.0/24", "-j", "REJECT", "--reject-with", "tcp-reset"],
            ["ip6tables", "-w", "-P", "INPUT", "DROP"],
            ["ip6tables", "-w", "-A", "INPUT", "-p", "ipv6-icmp", "-j", "ACCEPT"],
            ["ip6tables", "-w", "-A", "INPUT", "-m", "state", "--state", "ESTABLISHED", "-j", "ACCEPT"],
            ["ip6tables", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "443", "-s", "fd77:2::/64", "-m", "comment", "--comment", "web", "-j", "ACCEPT"],
        ]), expected: "a r d a"),

        OracleCase(name: "iptables-nft iprange, tcp flags and LOG", loader: .commands([
            ["iptables", "-w", "-P", "INPUT", "DROP"],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "--syn", "-j", "LOG", "--log-prefix", "syn "],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "!", "--syn", "-m", "conntrack", "--ctstate", "ESTABLISHED", "-j", "ACCEPT"],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "-m", "iprange", "--src-range", "10.77.1.1-10.77.1.5", "--dport", "443", "-j", "ACCEPT"],
            ["ip6tables", "-w", "-A", "INPUT", "-p", "tcp", "-s", "fd77:1::/64", "-j", "REJECT", "--reject-with", "icmp6-adm-prohibited"],
        ]), expected: "a d r a"),

        OracleCase(name: "docker-like DOCKER / DOCKER-USER chains with DNAT", loader: .commands([
            ["iptables", "-w", "-t", "nat", "-N", "DOCKER"],
            ["iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"],
            ["iptables", "-w", "-t", "nat", "-A", "DOCKER", "-i", "docker0", "-j", "RETURN"],
            ["iptables", "-w", "-t", "nat", "-A", "DOCKER", "!", "-i", "docker0", "-p", "tcp", "--dport", "443", "-j", "DNAT", "--to-destination", "10.77.1.1:8443"],
            ["iptables", "-w", "-N", "DOCKER-USER"],
            ["iptables", "-w", "-A", "DOCKER-USER", "-s", "10.77.2.0/24", "-j", "DROP"],
            ["iptables", "-w", "-A", "DOCKER-USER", "-j", "RETURN"],
            ["iptables", "-w", "-P", "INPUT", "DROP"],
            ["iptables", "-w", "-A", "INPUT", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
            ["iptables", "-w", "-A", "INPUT", "-j", "DOCKER-USER"],
            ["iptables", "-w", "-A", "INPUT", "-p", "tcp", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"],
        ]), listen: [443, 8443], expected: "a:8443 d a a"),
    ]

    static let ufw: [OracleCase] = [
        OracleCase(name: "ufw allow from prefixes", loader: .ufw([
            ["allow", "from", "10.77.1.0/24", "to", "any", "port", "443", "proto", "tcp"],
            ["allow", "from", "fd77:2::/64", "to", "any", "port", "443", "proto", "tcp"],
        ]), expected: "a d d a"),

        OracleCase(name: "ufw deny, reject and allow in order", loader: .ufw([
            ["deny", "from", "10.77.2.0/24", "to", "any", "port", "443", "proto", "tcp"],
            ["reject", "from", "fd77:1::/64", "to", "any", "port", "443", "proto", "tcp"],
            ["allow", "443/tcp"],
        ]), expected: "a d r a"),

        OracleCase(name: "ufw limit (stateful: recent)", loader: .ufw([
            ["limit", "443/tcp"],
        ]), expected: "a a a a", stateful: true),
    ]
}
