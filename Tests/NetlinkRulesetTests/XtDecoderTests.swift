import Testing
import Foundation
import NftModel
import TestSupport

/// xt info blobs captured from this kernel (iptables-nft 1.8.9 rules read back over netlink,
/// padded to XT_ALIGN as the kernel returns them).
struct XtDecoderTests {
    private func blob(_ hex: String) -> [UInt8] { hexBytes(hex) }
    private func zeros(_ n: Int) -> String { String(repeating: "00", count: n) }

    @Test func multiportV1WithRange() {
        // -m multiport --dports 22,80:90,443
        let b = blob("0104160050005a00bb0100000000000000000000000000000000000000000000" + "00010000000000000000000000000000")
        #expect(XtDecoder.decodeMatch(name: "multiport", revision: 1, info: b, family: .ip)
                == .multiport(side: 1, ports: [PortRange(single: 22), PortRange(80, 90), PortRange(single: 443)], inverted: false))
        // ip6tables -m multiport --sports 1:2
        let s = blob("0002010002000000000000000000000000000000000000000000000000000000" + "01000000000000000000000000000000")
        #expect(XtDecoder.decodeMatch(name: "multiport", revision: 1, info: s, family: .ip6)
                == .multiport(side: 0, ports: [PortRange(1, 2)], inverted: false))
    }

    @Test func conntrackRevision3States() {
        // --ctstate NEW,ESTABLISHED: match_flags 0x0001 @146, state_mask 0x000a @150
        let ctstate = blob(zeros(146) + "0100" + "0000" + "0a00" + zeros(18))
        #expect(XtDecoder.decodeMatch(name: "conntrack", revision: 3, info: ctstate, family: .ip)
                == .conntrack(stateMask: 10, stateInverted: false, otherConditions: []))
        // -m state --state RELATED becomes conntrack with STATE|STATE_ALIAS (0x2001)
        let alias = blob(zeros(146) + "0120" + "0000" + "0400" + zeros(18))
        #expect(XtDecoder.decodeMatch(name: "conntrack", revision: 3, info: alias, family: .ip)
                == .conntrack(stateMask: 4, stateInverted: false, otherConditions: []))
        // ! --ctstate UNTRACKED plus --ctdir ORIGINAL → mask in nft encoding, other condition listed
        let other = blob(zeros(146) + "0110" + "0100" + "0001" + zeros(18))
        #expect(XtDecoder.decodeMatch(name: "conntrack", revision: 3, info: other, family: .ip)
                == .conntrack(stateMask: UInt16(CtStateBit.untracked), stateInverted: true, otherConditions: ["ctdir"]))
        #expect(XtDecoder.decodeMatch(name: "conntrack", revision: 3, info: blob(zeros(100)), family: .ip) == nil)
    }

    @Test func conntrackRevision1UsesByteMasks() {
        let b = blob(zeros(146) + "0100" + "0000" + "06" + "00")
        #expect(XtDecoder.decodeMatch(name: "conntrack", revision: 1, info: b, family: .ip)
                == .conntrack(stateMask: 6, stateInverted: false, otherConditions: []))
    }

    @Test func addrtypeIprangeCommentIcmp() {
        #expect(XtDecoder.decodeMatch(name: "addrtype", revision: 1, info: blob("0000040000000000"), family: .ip)
                == .addrtype(sourceMask: 0, destinationMask: 4, flags: 0))
        let range = blob("0a000001" + zeros(12) + "0a000009" + zeros(12) + zeros(32) + "01" + zeros(7))
        #expect(XtDecoder.decodeMatch(name: "iprange", revision: 1, info: range, family: .ip)
                == .iprange(source: AddressRange(lower: [10, 0, 0, 1], upper: [10, 0, 0, 9]), destination: nil, flags: 1))
        #expect(XtDecoder.decodeMatch(name: "comment", revision: 0, info: blob("6869207468657265" + zeros(248)), family: .ip)
                == .comment("hi there"))
        #expect(XtDecoder.decodeMatch(name: "icmp", revision: 0, info: blob("0800ff0000000000"), family: .ip)
                == .icmp(type: 8, codeMin: 0, codeMax: 255, inverted: false))
        #expect(XtDecoder.decodeMatch(name: "icmp6", revision: 0, info: blob("8000ff0000000000"), family: .ip6)
                == .icmp6(type: 128, codeMin: 0, codeMax: 255, inverted: false))
    }

    @Test func tcpUdpStateLimit() {
        // xt_tcp: sport 0-65535, dport 443-443, flags SYN/SYN,RST,ACK,FIN, ! dport
        let tcp = blob("0000ffff" + "bb01bb01" + "00" + "17" + "02" + "02")
        #expect(XtDecoder.decodeMatch(name: "tcp", revision: 0, info: tcp, family: .ip)
                == .tcp(sourcePorts: .all, destinationPorts: PortRange(single: 443), option: 0, flagMask: 0x17, flagCompare: 2, invertFlags: 2))
        #expect(XtDecoder.decodeMatch(name: "udp", revision: 0, info: blob("35003500" + "0000ffff" + "01" + "000000"), family: .ip)
                == .udp(sourcePorts: PortRange(single: 53), destinationPorts: .all, invertFlags: 1))
        #expect(XtDecoder.decodeMatch(name: "state", revision: 0, info: blob("0e000000"), family: .ip) == .state(stateMask: 14))
        #expect(XtDecoder.decodeMatch(name: "limit", revision: 0, info: blob("a0860100" + "05000000" + zeros(32)), family: .ip)
                == .limit(average: 100_000, burst: 5))
    }

    @Test func targets() {
        #expect(XtDecoder.decodeTarget(name: "REJECT", revision: 0, info: blob("0700000000000000"), family: .ip) == .reject(type: 7))
        #expect(XtDecoder.decodeTarget(name: "LOG", revision: 0, info: blob("0400706678200000" + zeros(24)), family: .ip)
                == .log(prefix: "pfx ", level: 4))
        // DNAT rev 2 (nf_nat_range2), --to-destination 10.0.0.2:8080
        let dnat = blob("03000000" + "0a000002" + zeros(12) + "0a000002" + zeros(12) + "1f90" + "1f90" + zeros(8))
        #expect(XtDecoder.decodeTarget(name: "DNAT", revision: 2, info: dnat, family: .ip)
                == .dnat(addresses: AddressRange(lower: [10, 0, 0, 2], upper: [10, 0, 0, 2]), ports: PortRange(single: 8080)))
        let dnat6 = blob("03000000" + "fd000000000000000000000000000001" + "fd000000000000000000000000000001" + "1f901f90" + zeros(8))
        #expect(XtDecoder.decodeTarget(name: "DNAT", revision: 2, info: dnat6, family: .ip6)
                == .dnat(addresses: AddressRange(lower: [0xfd] + [UInt8](repeating: 0, count: 14) + [1],
                                                 upper: [0xfd] + [UInt8](repeating: 0, count: 14) + [1]),
                         ports: PortRange(single: 8080)))
        // rev 0 compat multi-range: rangesize 1, flags MAP_IPS|PROTO, 192.168.0.1-192.168.0.2, ports 80-81
        let snat = blob("01000000" + "03000000" + "c0a80001" + "c0a80002" + "0050" + "0051" + zeros(4))
        #expect(XtDecoder.decodeTarget(name: "SNAT", revision: 0, info: snat, family: .ip)
                == .snat(addresses: AddressRange(lower: [192, 168, 0, 1], upper: [192, 168, 0, 2]), ports: PortRange(80, 81)))
        #expect(XtDecoder.decodeTarget(name: "REDIRECT", revision: 0, info: blob("0100000002000000" + zeros(8) + "20fb20fb" + zeros(4)), family: .ip)
                == .redirect(ports: PortRange(single: 8443)))
        #expect(XtDecoder.decodeTarget(name: "MASQUERADE", revision: 0, info: blob("01" + zeros(23)), family: .ip) == .masquerade(ports: nil))
        #expect(XtDecoder.decodeTarget(name: "MARK", revision: 2, info: blob("05000000ffffffff"), family: .ip) == .nonTerminal("MARK"))
        #expect(XtDecoder.decodeTarget(name: "NFQUEUE", revision: 3, info: blob("00000000"), family: .ip) == nil)
        #expect(XtDecoder.decodeTarget(name: "", revision: 0, info: blob("feffffff"), family: .ip) == .verdict(.accept))
    }

    @Test func truncatedBlobsDecodeToNil() {
        #expect(XtDecoder.decodeMatch(name: "multiport", revision: 1, info: [1, 2, 3], family: .ip) == nil)
        #expect(XtDecoder.decodeMatch(name: "tcp", revision: 0, info: [], family: .ip) == nil)
        #expect(XtDecoder.decodeTarget(name: "DNAT", revision: 2, info: [3, 0], family: .ip) == nil)
        #expect(XtDecoder.decodeMatch(name: "owner", revision: 1, info: [UInt8](repeating: 0, count: 16), family: .ip) == nil)
    }
}
