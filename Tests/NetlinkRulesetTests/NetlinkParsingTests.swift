import Testing
import Foundation
@testable import NetlinkRuleset
import NftModel

/// Netlink wire parsing, error mapping and the dump file, without a kernel.
struct NetlinkParsingTests {
    /// Builds one attribute (host-order nlattr header, payload padded to 4).
    private func attr(_ type: UInt16, _ payload: [UInt8], nested: Bool = false) -> [UInt8] {
        let len = UInt16(4 + payload.count)
        var out = withUnsafeBytes(of: len) { Array($0) } + withUnsafeBytes(of: type | (nested ? 0x8000 : 0)) { Array($0) } + payload
        while out.count % 4 != 0 { out.append(0) }
        return out
    }
    private func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    private func str(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }

    private func decode(_ name: String, _ data: [UInt8], family: Family = .ip) -> NftModel.Expression {
        let element = attr(1, str(name)) + attr(2, data, nested: true)
        return element.withUnsafeBytes { ExpressionDecoder.decode(element: NetlinkAttributes($0), family: family) }
    }

    @Test func decodesPayloadCmpAndImmediateVerdict() {
        #expect(decode("payload", attr(1, be32(1)) + attr(2, be32(1)) + attr(3, be32(12)) + attr(4, be32(4)))
                == .payload(Payload(base: .network, offset: 12, length: 4, dreg: Register(1))))
        #expect(decode("cmp", attr(1, be32(1)) + attr(2, be32(1)) + attr(3, attr(1, [10, 0, 0, 1]), nested: true))
                == .cmp(Cmp(sreg: Register(1), op: .neq, data: [10, 0, 0, 1])))
        let verdict = attr(2, attr(1, be32(UInt32(bitPattern: -3))) + attr(2, str("web")), nested: true)
        #expect(decode("immediate", attr(1, be32(0)) + attr(2, verdict, nested: true))
                == .immediate(Immediate(dreg: .verdict, verdict: .jump("web"))))
    }

    @Test func unknownOrMalformedExpressionsBecomeOpaqueWithAttributes() {
        let numgen = decode("numgen", attr(1, be32(1)) + attr(2, be32(2)))
        #expect(numgen == .opaque(Opaque(name: "numgen", attributes: [1: be32(1), 2: be32(2)])))
        // A cmp without its data attribute is not guessed at.
        #expect(decode("cmp", attr(1, be32(1))) == .opaque(Opaque(name: "cmp", attributes: [1: be32(1)])))
    }

    @Test func truncatedAttributesEndTheWalk() {
        let good = attr(1, be32(7))
        let bytes = good + [200, 0, 1, 0, 1, 2]  // claims 200 bytes, has 6
        let types = bytes.withUnsafeBytes { NetlinkAttributes($0).map(\.type) }
        #expect(types == [1])
    }

    @Test func messagesAndErrorCodes() {
        // One NLMSG_ERROR carrying -EPERM.
        var msg: [UInt8] = []
        msg += withUnsafeBytes(of: UInt32(36)) { Array($0) }
        msg += withUnsafeBytes(of: UInt16(2)) { Array($0) } + withUnsafeBytes(of: UInt16(0)) { Array($0) }
        msg += withUnsafeBytes(of: UInt32(9)) { Array($0) } + withUnsafeBytes(of: UInt32(0)) { Array($0) }
        msg += withUnsafeBytes(of: Int32(-1)) { Array($0) } + [UInt8](repeating: 0, count: 16)
        let parsed = msg.withUnsafeBytes { buf in NetlinkMessages(buf).map { ($0.type, $0.sequence, $0.errorCode) } }
        #expect(parsed.count == 1)
        #expect(parsed.first?.0 == 2 && parsed.first?.1 == 9 && parsed.first?.2 == -1)
    }

    @Test func permissionErrorsSayWhatIsMissing() {
        let e = RulesetReadError.fromKernel(errno: 1, while: "dumping tables")
        guard case .permissionDenied(let message) = e else { Issue.record("EPERM not mapped: \(e)"); return }
        #expect(message.contains("CAP_NET_ADMIN"))
        #expect(!message.contains("\n"))
        #expect(RulesetReadError.fromKernel(errno: 13, while: "x") == .permissionDenied("permission denied x: reading the nf_tables ruleset needs CAP_NET_ADMIN (run as root)"))
        #expect(RulesetReadError.fromKernel(errno: 22, while: "dumping rules") == .netlink("dumping rules: invalid argument (EINVAL)"))
    }

    @Test func userdataComment() {
        let udata: [UInt8] = [1, 1, 0xff, 0, 6] + Array("hello".utf8) + [0]
        #expect(udata.withUnsafeBytes { Userdata.string(0, in: $0) } == "hello")
        #expect(udata.withUnsafeBytes { Userdata.string(7, in: $0) } == nil)
    }

    @Test func dumpFileRoundTripAndErrors() throws {
        let ruleset = Ruleset(tables: [Table(family: .inet, name: "t", chains: [
            Chain(name: "in", hook: .input, type: .filter, priority: 0, policy: .drop,
                  rules: [Rule(handle: 4, comment: "c", expressions: [.counter, .immediate(Immediate(dreg: .verdict, verdict: .accept))])]),
        ], sets: [NftSet(name: "s", flags: [.interval], keyType: 7, keyLength: 4, elements: [SetElement(key: [1, 2, 3, 4], keyEnd: [1, 2, 3, 9])])])],
                              generation: 7, legacyIptablesTables: ["ip filter"])
        let data = try RulesetDumpFile.encode(ruleset)
        // The compact writer must produce exactly what JSONEncoder would.
        struct Envelope: Encodable { var schemaVersion = 1; var ruleset: Ruleset }
        let reference = JSONEncoder()
        reference.outputFormatting = [.sortedKeys]
        var catchall = SetElement(key: [], verdict: .drop)
        catchall.isCatchall = true
        let rich = Ruleset(tables: [
            ruleset.tables[0],
            Table(family: .ip, name: "elements \"elements\":[]", comment: "\"elements\":[]", sets: [
                NftSet(name: "m", flags: [.map], keyType: 13, keyLength: 2, dataType: NftSet.verdictDataType, dataLength: 16,
                       elements: [SetElement(key: [0, 22], verdict: .jump("x")), catchall]),
                NftSet(name: "empty", keyLength: 4),
                NftSet(name: "d", flags: [.map, .timeout], keyType: 7, keyLength: 4, dataType: 7, dataLength: 4,
                       elements: [SetElement(key: [1, 1, 1, 1], data: [2, 2, 2, 2], hasTimeout: true, comment: "c \"q\"")]),
            ]),
            Table(family: .ip6, name: "none", chains: [
                Chain(name: "a \"rules\":[]", comment: "\"rules\":[] \"elements\":[]", rules: []),
                Chain(name: "b", rules: [Rule(handle: 9, comment: "\"rules\":[]", expressions: [.counter]), Rule(handle: 10, expressions: [])]),
            ], sets: [NftSet(name: "s", keyLength: 2, comment: "\"elements\":[]", elements: [SetElement(key: [0, 1])])]),
        ], generation: nil, readerWarnings: ["w"])
        #expect(try RulesetDumpFile.encode(rich) == reference.encode(Envelope(ruleset: rich)))
        #expect(try RulesetDumpFile.encode(ruleset) == reference.encode(Envelope(ruleset: ruleset)))
        #expect(try RulesetDumpFile.decode(RulesetDumpFile.encode(rich), path: "r.json") == rich)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("{\"ruleset\":") || String(decoding: data, as: UTF8.self).contains("\"schemaVersion\":1"))
        #expect(try RulesetDumpFile.decode(data, path: "x.json") == ruleset)

        let broken = Data("{\n  \"schemaVersion\": 1,\n  \"ruleset\": {\n    \"tables\": [ oops ]\n  }\n}\n".utf8)
        #expect(throws: RulesetReadError.self) { try RulesetDumpFile.decode(broken, path: "b.json") }
        do { _ = try RulesetDumpFile.decode(broken, path: "b.json") } catch {
            guard case .malformedFile(let path, let line, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == "b.json")
            #expect(line == 4)
            #expect(!reason.contains("\n"))
        }
        do { _ = try RulesetDumpFile.decode(Data("{\"schemaVersion\":2,\"ruleset\":{}}".utf8), path: "v.json") } catch {
            #expect(error == .malformedFile(path: "v.json", line: nil, reason: "unsupported schemaVersion 2 (this portcullis reads 1)"))
        }
        do { _ = try RulesetDumpFile.decode(Data("{\"schemaVersion\":1,\"ruleset\":{\"tables\":7}}".utf8), path: "t.json") } catch {
            guard case .malformedFile(_, _, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("ruleset.tables"))
        }
        do { _ = try RulesetDumpFile.read(path: "/nonexistent/portcullis.json") } catch {
            #expect(error == .unreadableFile(path: "/nonexistent/portcullis.json", reason: "no such file"))
        }
    }

    @Test func nftScriptErrorsNameTheLine() {
        let e = NftScriptLoader.scriptError("/tmp/r.nft:3:5-9: Error: syntax error, unexpected junk\nfoo\n   ^^^\n", path: "/tmp/r.nft")
        #expect(e == .malformedFile(path: "/tmp/r.nft", line: 3, reason: "nft rejected the script: syntax error, unexpected junk"))
    }
}
