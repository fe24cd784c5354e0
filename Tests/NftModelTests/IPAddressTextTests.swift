import Testing
import NftModel

struct IPAddressTextTests {
    @Test(arguments: [
        ("10.77.1.2", "10.77.1.2"), ("::", "::"), ("::1", "::1"), ("fd77:1::1", "fd77:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("2001:0db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("FE80::A", "fe80::a"),
    ])
    func roundTripsInRFC5952Form(text: String, canonical: String) throws {
        let bytes = try #require(IPAddressText.parse(text))
        #expect(IPAddressText.format(bytes) == canonical)
    }

    @Test func mappedAddressesPrintLikeSS() throws {
        let b = try #require(IPAddressText.parse("::ffff:192.0.2.1"))
        #expect(b.count == 16)
        #expect(IPAddressText.format(b, mappedIPv4AsDotted: true) == "::ffff:192.0.2.1")
        #expect(IPAddressText.format(b) == "::ffff:c000:201")
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.256", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::g", "a.b.c.d"])
    func rejectsWhatIsNotAnAddress(_ text: String) {
        #expect(IPAddressText.parse(text) == nil)
    }
}
