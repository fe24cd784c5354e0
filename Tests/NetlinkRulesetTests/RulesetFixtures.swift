/// nft scripts the kernel tests load. Kept as Swift strings so the test target needs no resources.
enum RulesetFixtures {
    /// Every family (inet, ip, ip6, netdev, bridge, arp), a dormant table, base-chain properties,
    /// a netdev ingress device, named/anonymous/interval/concat sets, maps, verdict maps, a
    /// catch-all element, nat, ct, limit/quota/ct count, dynset, fib, comments, and two
    /// expressions the model keeps opaque (numgen, jhash). 24 rules.
    static let everyFamily = """
table inet filter {
  comment "main table"
  set blocked { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1, 172.16.0.0-172.16.0.20 }; }
  set edges { type ipv4_addr; flags interval; elements = { 0.0.0.0/8, 255.255.255.0/24 }; }
  set v6nets { type ipv6_addr; flags interval; elements = { fd00::/8, ::1 }; }
  set ports { type inet_service; elements = { 22, 443 }; comment "admin ports"; }
  map pm { type inet_service : verdict; elements = { 22 : accept, 80 : drop }; }
  map dn { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.2 }; }
  set cc { type ipv4_addr . inet_service; flags interval; elements = { 10.0.0.0/24 . 80-90 }; }
  set cc2 { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 22 }; }
  set commented { type ipv4_addr; elements = { 10.1.1.1 comment "jump host" }; }
  map cm { type inet_service : verdict; elements = { 443 : accept, * : drop }; }
  set dyn { type ipv4_addr; flags dynamic,timeout; timeout 1m; }
  chain input {
    type filter hook input priority 0; policy drop;
    comment "main in"
    ct state established,related accept
    iifname "eth*" tcp dport { 22, 443, 1000-2000 } counter accept comment "hello"
    ip saddr @blocked drop
    ip saddr != 10.9.0.0/24 tcp dport 8443 reject with tcp reset
    tcp dport vmap @pm
    tcp dport vmap { 23 : drop, 24 : accept }
    meta l4proto udp limit rate 10/second accept
    tcp dport 5000 quota over 100 mbytes drop
    tcp dport 5001 ct count over 10 drop
    tcp dport 5002 add @dyn { ip saddr } accept
    fib daddr type local tcp dport 5003 accept
    ip saddr . tcp dport @cc accept
    tcp dport 400-500 accept
    meta mark set numgen inc mod 2
    meta mark set jhash ip saddr mod 4
    jump other
  }
  chain other {
    ip6 saddr fd00::/8 accept
    return
  }
  chain out {
    type filter hook output priority 10; policy accept;
  }
}
table ip nat {
  chain pre {
    type nat hook prerouting priority -100; policy accept;
    tcp dport 80 dnat to 10.0.0.2:8443
    tcp dport 81 redirect to :8443
  }
  chain post {
    type nat hook postrouting priority 100; policy accept;
    oifname "eth0" masquerade
  }
}
table ip6 t6 {
  chain c {
    type filter hook input priority 10; policy accept;
    ip6 saddr fd77:1::/64 tcp dport 443 accept
  }
}
table netdev nd {
  chain ing {
    type filter hook ingress device "eth0" priority -5; policy accept;
    ip saddr 10.77.2.2 drop
  }
}
table netdev multi {
  chain both {
    type filter hook ingress devices = { eth0, eth1 } priority 0; policy accept;
  }
}
table inet early {
  chain ing {
    type filter hook ingress device "eth1" priority 0; policy accept;
  }
}
table inet sleepy {
  flags dormant
  chain c {
    type filter hook input priority 0; policy drop;
  }
}
table bridge br {
  chain f {
    type filter hook forward priority 0; policy accept;
    ether type ip accept
  }
}
table arp a {
  chain i {
    type filter hook input priority 0; policy accept;
  }
}
"""
}
