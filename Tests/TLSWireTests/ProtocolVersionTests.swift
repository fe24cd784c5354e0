import Testing
@testable import TLSWire

/// Versions map to and from their wire values, and order as the protocol's history does:
/// `<` compares wire values, which only holds while SSLv2's 0x0002 stays the lowest.
struct ProtocolVersionTests {
    @Test func wireValuesRoundTrip() {
        for version in ProtocolVersion.allCases {
            #expect(ProtocolVersion(wireValue: version.wireValue) == version)
        }
        for unknown: UInt16 in [0x0000, 0x0001, 0x0200, 0x0305, 0x7F1C, 0xFEFF] {
            #expect(ProtocolVersion(wireValue: unknown) == nil, "0x\(hex(unknown, digits: 4))")
        }
    }

    @Test func orderFollowsHistory() {
        #expect(ProtocolVersion.allCases.sorted() == [.ssl2, .ssl3, .tls10, .tls11, .tls12, .tls13])
        #expect(ProtocolVersion.ssl2 < .ssl3 && !(ProtocolVersion.tls13 < .tls12) && !(ProtocolVersion.tls12 < .tls12))
    }
}
