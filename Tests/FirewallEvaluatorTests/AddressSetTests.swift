import Testing
import NftModel
@testable import FirewallEvaluator

struct AddressSetTests {
    @Test func cidrCoverIsMinimalAndExact() {
        let s = AddressSet.parseCIDR("10.0.0.0/24")!.union(AddressSet.parseCIDR("10.0.1.0/24")!)
        #expect(s.cidrs == ["10.0.0.0/23"])
        let odd = AddressSet(version: .ipv4, intervals: [.init(AddressSet.integer([10, 0, 0, 1]), AddressSet.integer([10, 0, 0, 6]))])
        #expect(odd.cidrs == ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"])
        #expect(AddressSet.all(.ipv4).cidrs == ["0.0.0.0/0"])
        #expect(AddressSet.all(.ipv6).cidrs == ["::/0"])
        #expect(AddressSet.empty(.ipv4).cidrs.isEmpty)
    }

    @Test func setAlgebra() {
        let all = AddressSet.all(.ipv4)
        let a = AddressSet.parseCIDR("10.77.1.0/24")!
        let rest = all.subtracting(a)
        #expect(rest.union(a).isAll)
        #expect(rest.intersection(a).isEmpty)
        #expect(rest.cidrs.count == 24)
        #expect(a.complement().complement() == a)
        #expect(all.complement().isEmpty)
        #expect(AddressSet.empty(.ipv6).complement().isAll)
        #expect(a.contains(AddressSet.integer([10, 77, 1, 200])))
        #expect(!a.contains(AddressSet.integer([10, 77, 2, 1])))
    }

    @Test func ipv6ParsingAndFormatting() {
        #expect(AddressSet.parse("fd77:1::2")!.1 == [0xfd, 0x77, 0, 1] + [UInt8](repeating: 0, count: 11) + [2])
        #expect(AddressSet.format(bytes: AddressSet.parse("fd77:1::2")!.1) == "fd77:1::2")
        #expect(AddressSet.format(bytes: AddressSet.parse("::")!.1) == "::")
        #expect(AddressSet.format(bytes: AddressSet.parse("::ffff:10.0.0.1")!.1) == "::ffff:a00:1")
        #expect(AddressSet.parse("1:2:3:4:5:6:7:8:9") == nil)
        #expect(AddressSet.parse("10.0.0.256") == nil)
        #expect(AddressSet.parseCIDR("fd77:2::/64")!.cidrs == ["fd77:2::/64"])
    }
}
