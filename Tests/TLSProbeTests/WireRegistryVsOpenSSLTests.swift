import Testing
import Foundation
import TLSWire
import TestSupport

/// The cipher suite registry agrees with the OpenSSL installed here on every code OpenSSL knows.
@Suite("Wire registry vs openssl ciphers")
struct WireRegistryVsOpenSSLTests {
    @Test func everyOpenSSLSuiteIsKnownWithTheSameName() throws {
        let out = try Subprocess.check(["openssl", "ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]).stdout
        var checked = 0
        for line in out.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, fields[0].hasPrefix("0x") else { continue }
            let bytes = fields[0].split(separator: ",").compactMap { UInt8($0.dropFirst(2), radix: 16) }
            guard bytes.count == 2 else { continue }
            let code = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            let name = String(fields[2])
            let suite = try #require(CipherSuiteRegistry.suite(tls: code), "0x\(hex(code, digits: 4)) \(name) missing")
            #expect(suite.openSSLName == name, "0x\(hex(code, digits: 4)): registry \(suite.openSSLName ?? "nil"), openssl \(name)")
            #expect(CipherSuiteRegistry.suite(named: name)?.code == UInt32(code))
            checked += 1
        }
        #expect(checked > 100)
    }
}
