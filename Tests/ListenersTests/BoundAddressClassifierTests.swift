import Testing
import NftModel
@testable import Listeners

struct BoundAddressClassifierTests {
    static func v6(_ s: String) -> [UInt8] { BoundAddressClassifier.parse(s)! }

    @Test(arguments: [
        ("0.0.0.0", BindingClass.wildcard), ("127.0.0.1", .loopback), ("127.3.4.5", .loopback),
        ("10.0.0.1", .specific), ("128.0.0.1", .specific), ("::", .wildcard), ("::1", .loopback),
        ("::2", .specific), ("fe80::1", .specific), ("::ffff:127.0.0.1", .loopback),
        ("::ffff:0.0.0.0", .wildcard), ("::ffff:192.0.2.7", .specific), ("1::", .specific),
    ])
    func classification(address: String, expected: BindingClass) throws {
        let bytes = try #require(BoundAddressClassifier.parse(address))
        #expect(BoundAddressClassifier.classify(bytes) == expected)
    }

    @Test func acceptedVersions() {
        let c = BoundAddressClassifier.self
        #expect(c.acceptedVersions(family: .ipv4, address: [0, 0, 0, 0], v6only: false) == [.ipv4])
        #expect(c.acceptedVersions(family: .ipv4, address: [127, 0, 0, 1], v6only: false) == [])
        #expect(c.acceptedVersions(family: .ipv4, address: [10, 1, 1, 1], v6only: false) == [.ipv4])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("::"), v6only: false) == [.ipv4, .ipv6])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("::"), v6only: true) == [.ipv6])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("::1"), v6only: false) == [])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("fd00::1"), v6only: false) == [.ipv6])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("::ffff:10.0.0.1"), v6only: false) == [.ipv4])
        #expect(c.acceptedVersions(family: .ipv6, address: Self.v6("::ffff:127.0.0.1"), v6only: false) == [])
    }

    @Test(arguments: [
        "0.0.0.0", "192.0.2.1", "::", "::1", "1::", "fe80::1", "2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1",
        "::ffff:10.1.2.3", "fd77:1::1", "1:2:3:4:5:6:7:8", "1:0:0:2::3",
    ])
    func formatIsRFC5952AndRoundTrips(text: String) throws {
        let bytes = try #require(BoundAddressClassifier.parse(text))
        #expect(BoundAddressClassifier.format(bytes) == text)
    }

    @Test func formatCompressesTheLongestZeroRunOnly() throws {
        #expect(BoundAddressClassifier.format(Self.v6("2001:0db8:0000:0000:0001:0000:0000:0000")) == "2001:db8:0:0:1::")
        #expect(BoundAddressClassifier.format(Self.v6("2001:db8:0:1:0:0:0:1")) == "2001:db8:0:1::1")
        // A single zero group is not compressed.
        #expect(BoundAddressClassifier.format(Self.v6("1:0:2:3:4:5:6:7")) == "1:0:2:3:4:5:6:7")
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.256", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::g", "1.2.3.4.5", ":::"])
    func invalidAddressesAreRejected(text: String) {
        #expect(BoundAddressClassifier.parse(text) == nil)
    }
}

extension BoundAddressClassifierTests {
    /// The text shortcut used per socket agrees with the byte rules.
    @Test(arguments: ["0.0.0.0", "127.0.0.1", "10.1.1.1", "::", "::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:0.0.0.0", "::ffff:1"])
    func textAndBytesAgree(address: String) throws {
        let bytes = try #require(BoundAddressClassifier.parse(address))
        let family: IPVersion = bytes.count == 4 ? .ipv4 : .ipv6
        let text = BoundAddressClassifier.format(bytes)
        for v6only in [false, true] where family == .ipv6 || !v6only {
            #expect(BoundAddressClassifier.acceptedVersions(family: family, address: text, v6only: v6only, binding: BoundAddressClassifier.classify(bytes))
                    == BoundAddressClassifier.acceptedVersions(family: family, address: bytes, v6only: v6only), "\(address) v6only \(v6only)")
        }
    }
}
