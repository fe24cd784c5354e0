import Testing
import Foundation
import NetlinkRuleset
import NftModel
import TestSupport

/// The kernel is the oracle: rulesets are loaded into a private namespace with nft or
/// iptables-nft, read back over netlink, and compared with what was loaded and with
/// `nft -j list ruleset` / `nft -a list ruleset` as an independent reference.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct KernelReaderTests {
    private func ruleset(after script: String) throws -> (Ruleset, ScratchNamespace) {
        let ns = try ScratchNamespace()
        do {
            try ns.loadNft(script)
            return (try NetlinkRulesetReader().read(netns: ns.name), ns)
        } catch {
            ns.destroy()
            throw error
        }
    }

    @Test func readsEveryFamilyTableChainAndSet() throws {
        let (rs, ns) = try ruleset(after: RulesetFixtures.everyFamily)
        defer { ns.destroy() }
        #expect(rs.generation != nil)
        #expect(rs.legacyIptablesTables.isEmpty)
        #expect(Set(rs.tables.map(\.family)) == Set(Family.allCases))

        let filter = try #require(rs.table(family: .inet, name: "filter"))
        #expect(filter.comment == "main table")
        #expect(!filter.dormant)
        let input = try #require(filter.chain(named: "input"))
        #expect(input.hook == .input && input.type == .filter && input.priority == 0 && input.policy == .drop)
        #expect(input.comment == "main in")
        #expect(input.rules.count == 16)
        #expect(input.rules[1].comment == "hello")
        let other = try #require(filter.chain(named: "other"))
        #expect(!other.isBaseChain && other.policy == nil && other.rules.count == 2)
        #expect(filter.chain(named: "out")?.priority == 10)

        #expect(rs.table(family: .inet, name: "sleepy")?.dormant == true)
        let ingress = try #require(rs.table(family: .netdev, name: "nd")?.chain(named: "ing"))
        #expect(ingress.hook == .ingress && ingress.devices == ["eth0"] && ingress.priority == -5)
        #expect(Set(rs.table(family: .netdev, name: "multi")?.chain(named: "both")?.devices ?? []) == ["eth0", "eth1"])
        let inetIngress = try #require(rs.table(family: .inet, name: "early")?.chain(named: "ing"))
        #expect(inetIngress.hook == .ingress && inetIngress.devices == ["eth1"])
        #expect(rs.table(family: .ip, name: "nat")?.chain(named: "pre")?.type == .nat)
        #expect(rs.table(family: .ip, name: "nat")?.chain(named: "pre")?.priority == -100)
        #expect(rs.table(family: .arp, name: "a")?.chain(named: "i")?.hook == .input)
        #expect(rs.table(family: .bridge, name: "br")?.chain(named: "f")?.hook == .forward)

        // Interval sets rebuilt into inclusive ranges, including both ends of the key space.
        #expect(filter.set(named: "blocked")?.elements == [
            SetElement(key: [10, 0, 0, 0], keyEnd: [10, 255, 255, 255]),
            SetElement(key: [172, 16, 0, 0], keyEnd: [172, 16, 0, 20]),
            SetElement(key: [192, 168, 1, 1]),
        ])
        #expect(filter.set(named: "edges")?.elements == [
            SetElement(key: [0, 0, 0, 0], keyEnd: [0, 255, 255, 255]),
            SetElement(key: [255, 255, 255, 0], keyEnd: [255, 255, 255, 255]),
        ])
        let v6 = try #require(filter.set(named: "v6nets"))
        #expect(v6.elements.count == 2)
        #expect(v6.elements.first?.key == [UInt8](repeating: 0, count: 15) + [1])
        #expect(v6.elements.last?.keyEnd == [0xfd] + [UInt8](repeating: 0xff, count: 15))
        #expect(filter.set(named: "ports")?.comment == "admin ports")
        let pm = try #require(filter.set(named: "pm"))
        #expect(pm.isVerdictMap)
        #expect(Set(pm.elements) == [SetElement(key: [0, 22], verdict: .accept), SetElement(key: [0, 80], verdict: .drop)])
        #expect(filter.set(named: "dn")?.elements == [SetElement(key: [0, 80], data: [10, 0, 0, 2])])
        let cc = try #require(filter.set(named: "cc"))
        #expect(cc.fieldLengths == [4, 2])
        #expect(cc.elements == [SetElement(key: [10, 0, 0, 0, 0, 80, 0, 0], keyEnd: [10, 0, 0, 255, 0, 90, 0, 0])])
        #expect(filter.set(named: "cc2")?.fieldLengths == [4, 2])
        #expect(filter.set(named: "dyn")?.flags.contains(.eval) == true)
        #expect(filter.set(named: "commented")?.elements == [SetElement(key: [10, 1, 1, 1], comment: "jump host")])
        let cm = try #require(filter.set(named: "cm"))
        #expect(cm.elements.count == 2)
        #expect(cm.elements.contains { $0.isCatchall && $0.key.isEmpty && $0.verdict == .drop })
        #expect(cm.elements.contains { !$0.isCatchall && $0.key == [1, 187] && $0.verdict == .accept })
        #expect(NftRenderer.elementsText(of: cm, in: filter) == "{ * : drop, 443 : accept }")
        // Anonymous sets and maps are read with their elements.
        let anonymous = filter.sets.filter(\.isAnonymous)
        #expect(anonymous.contains { $0.elements == [SetElement(key: [0, 22]), SetElement(key: [1, 187]), SetElement(key: [3, 232], keyEnd: [7, 208])] })
        #expect(anonymous.contains { $0.isVerdictMap && Set($0.elements) == [SetElement(key: [0, 23], verdict: .drop), SetElement(key: [0, 24], verdict: .accept)] })

        // Every expression kept: stateful ones decoded, unknown ones opaque with raw attributes.
        let all = input.rules.flatMap(\.expressions)
        #expect(all.contains { if case .quota(let q) = $0 { q.inverted && q.bytes == 100 << 20 } else { false } })
        #expect(all.contains { if case .connlimit(let c) = $0 { c.inverted && c.count == 10 } else { false } })
        #expect(all.contains { if case .dynset(let d) = $0 { d.setName == "dyn" && d.op == 0 } else { false } })
        #expect(all.contains { if case .fib(let f) = $0 { f.result == 3 && f.flags == 2 } else { false } })
        #expect(all.contains { if case .limit(let l) = $0 { l.rate == 10 && l.unit == 1 } else { false } })
        #expect(all.contains { if case .opaque(let o) = $0 { o.name == "numgen" && !o.attributes.isEmpty } else { false } })
        #expect(all.contains { if case .opaque(let o) = $0 { o.name == "hash" && !o.attributes.isEmpty } else { false } })
        let nat = rs.table(family: .ip, name: "nat")!.chain(named: "pre")!.rules.flatMap(\.expressions)
        #expect(nat.contains { if case .nat(let n) = $0 { n.type == .dnat && n.regAddrMin != nil && n.regProtoMin != nil } else { false } })
        #expect(nat.contains { if case .redir(let r) = $0 { r.regProtoMin != nil } else { false } })
    }

    /// Tables, chains, named sets and every rule handle agree with `nft -j list ruleset`.
    @Test func matchesNftJsonInventory() throws {
        let (rs, ns) = try ruleset(after: RulesetFixtures.everyFamily)
        defer { ns.destroy() }
        let json = try ns.exec(["nft", "-j", "list", "ruleset"]).stdout
        let top = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let items = try #require(top["nftables"] as? [[String: Any]])
        var nftTables = Set<String>(), nftChains = Set<String>(), nftSets = Set<String>(), nftRules = Set<String>()
        for item in items {
            if let t = item["table"] as? [String: Any] { nftTables.insert("\(t["family"]!) \(t["name"]!)") }
            if let c = item["chain"] as? [String: Any] { nftChains.insert("\(c["family"]!) \(c["table"]!) \(c["name"]!) \(c["handle"]!)") }
            if let s = (item["set"] ?? item["map"]) as? [String: Any] { nftSets.insert("\(s["family"]!) \(s["table"]!) \(s["name"]!)") }
            if let r = item["rule"] as? [String: Any] { nftRules.insert("\(r["family"]!) \(r["table"]!) \(r["chain"]!) \(r["handle"]!)") }
        }
        var ourTables = Set<String>(), ourChains = Set<String>(), ourSets = Set<String>(), ourRules = Set<String>()
        for t in rs.tables {
            ourTables.insert("\(t.family) \(t.name)")
            for s in t.sets where !s.isAnonymous { ourSets.insert("\(t.family) \(t.name) \(s.name)") }
            for c in t.chains {
                ourChains.insert("\(t.family) \(t.name) \(c.name) \(c.handle)")
                for r in c.rules { ourRules.insert("\(t.family) \(t.name) \(c.name) \(r.handle)") }
            }
        }
        #expect(ourTables == nftTables)
        #expect(ourChains == nftChains)
        #expect(ourSets == nftSets)
        #expect(ourRules == nftRules)
        #expect(ourRules.count == 24)
    }

    /// Every rule renders exactly as `nft -a list ruleset` prints it, except expressions the
    /// model keeps opaque (numgen, hash), which must show up raw instead of being guessed.
    @Test func renderingMatchesNftText() throws {
        let (rs, ns) = try ruleset(after: RulesetFixtures.everyFamily)
        defer { ns.destroy() }
        var nftByHandle: [String: String] = [:]
        var table = "", chain = ""
        for raw in try ns.exec(["nft", "-a", "list", "ruleset"]).stdout.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("table ") { table = line.split(separator: " ").prefix(3).joined(separator: " ") }
            else if line.hasPrefix("chain ") { chain = String(line.split(separator: " ")[1]) }
            else if let r = line.range(of: " # handle "), !line.hasPrefix("set "), !line.hasPrefix("map ") {
                let text = line[..<r.lowerBound].replacingOccurrences(of: #"counter packets \d+ bytes \d+"#, with: "counter", options: .regularExpression)
                nftByHandle["\(table) \(chain) \(line[r.upperBound...])"] = text
            }
        }
        var compared = 0
        for t in rs.tables {
            for c in t.chains {
                for r in c.rules {
                    let ours = NftRenderer.render(rule: r, in: t, family: t.family)
                    let theirs = try #require(nftByHandle["table \(t.family) \(t.name) \(c.name) \(r.handle)"])
                    if theirs.contains("numgen") || theirs.contains("jhash") {
                        #expect(ours.contains("[numgen") || ours.contains("[hash"))
                    } else {
                        #expect(ours == theirs)
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 22)
    }

    @Test func iptablesNftCompatExpressionsAreDecoded() throws {
        let ns = try ScratchNamespace()
        defer { ns.destroy() }
        for args in [
            ["iptables-nft", "-A", "INPUT", "-p", "tcp", "-m", "multiport", "--dports", "22,80:90,443", "-m", "conntrack", "--ctstate", "NEW,ESTABLISHED", "-j", "ACCEPT"],
            ["iptables-nft", "-A", "INPUT", "-m", "state", "--state", "RELATED", "-m", "comment", "--comment", "hi there", "-j", "ACCEPT"],
            ["iptables-nft", "-A", "INPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-m", "iprange", "--src-range", "10.0.0.1-10.0.0.9", "-m", "limit", "--limit", "5/min", "-j", "LOG", "--log-prefix", "pfx "],
            ["iptables-nft", "-A", "INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-j", "REJECT", "--reject-with", "icmp-host-prohibited"],
            ["iptables-nft", "-A", "INPUT", "-p", "tcp", "--dport", "444", "--syn", "-j", "REJECT", "--reject-with", "tcp-reset"],
            ["iptables-nft", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "80", "-j", "DNAT", "--to-destination", "10.0.0.2:8080"],
            ["iptables-nft", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "81", "-j", "REDIRECT", "--to-ports", "8443"],
            ["iptables-nft", "-t", "nat", "-A", "POSTROUTING", "-j", "MASQUERADE"],
            ["iptables-nft", "-t", "mangle", "-A", "PREROUTING", "-j", "MARK", "--set-mark", "5"],
            ["ip6tables-nft", "-A", "INPUT", "-p", "ipv6-icmp", "--icmpv6-type", "128", "-j", "REJECT"],
            ["ip6tables-nft", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "80", "-j", "DNAT", "--to-destination", "[fd00::1]:8080"],
        ] { try ns.exec(args) }
        let rs = try NetlinkRulesetReader().read(netns: ns.name)

        func expressions(_ f: Family, _ t: String, _ c: String) -> [[NftModel.Expression]] {
            rs.table(family: f, name: t)?.chain(named: c)?.rules.map(\.expressions) ?? []
        }
        func matches(_ rule: [NftModel.Expression]) -> [XtMatchInfo?] { rule.compactMap { if case .match(let m) = $0 { m.decoded } else { nil } } }
        func targets(_ rule: [NftModel.Expression]) -> [XtTargetInfo?] { rule.compactMap { if case .target(let t) = $0 { t.decoded } else { nil } } }

        let input = expressions(.ip, "filter", "INPUT")
        try #require(input.count == 5)
        #expect(matches(input[0]) == [.multiport(side: 1, ports: [PortRange(single: 22), PortRange(80, 90), PortRange(single: 443)], inverted: false),
                                      .conntrack(stateMask: UInt16(CtStateBit.new | CtStateBit.established), stateInverted: false, otherConditions: [])])
        #expect(matches(input[1]) == [.conntrack(stateMask: UInt16(CtStateBit.related), stateInverted: false, otherConditions: []), .comment("hi there")])
        #expect(matches(input[2]) == [.addrtype(sourceMask: 0, destinationMask: 1 << 2, flags: 0),
                                      .iprange(source: AddressRange(lower: [10, 0, 0, 1], upper: [10, 0, 0, 9]), destination: nil, flags: 1)])
        #expect(input[2].contains { if case .limit = $0 { true } else { false } })  // iptables-nft emits a native limit
        #expect(targets(input[2]) == [.log(prefix: "pfx ", level: 4)])
        #expect(matches(input[3]) == [.icmp(type: 8, codeMin: 0, codeMax: 255, inverted: false)])
        #expect(targets(input[3]) == [.reject(type: 6)])  // IPT_ICMP_HOST_PROHIBITED
        #expect(targets(input[4]) == [.reject(type: 7)])  // IPT_TCP_RESET
        let pre = expressions(.ip, "nat", "PREROUTING")
        #expect(pre.map(targets) == [[.dnat(addresses: AddressRange(lower: [10, 0, 0, 2], upper: [10, 0, 0, 2]), ports: PortRange(single: 8080))],
                                     [.redirect(ports: PortRange(single: 8443))]])
        #expect(expressions(.ip, "nat", "POSTROUTING").map(targets) == [[.masquerade(ports: nil)]])
        #expect(expressions(.ip, "mangle", "PREROUTING").map(targets) == [[.nonTerminal("MARK")]])
        let in6 = expressions(.ip6, "filter", "INPUT")
        #expect(in6.map(matches) == [[.icmp6(type: 128, codeMin: 0, codeMax: 255, inverted: false)]])
        #expect(in6.map(targets) == [[.reject(type: 4)]])  // IP6T_ICMP6_PORT_UNREACH (the default)
        let v6 = [UInt8](arrayLiteral: 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
        #expect(expressions(.ip6, "nat", "PREROUTING").map(targets) == [[.dnat(addresses: AddressRange(lower: v6, upper: v6), ports: PortRange(single: 8080))]])

        let filter = try #require(rs.table(family: .ip, name: "filter"))
        let text = filter.chain(named: "INPUT")!.rules.map { NftRenderer.render(rule: $0, in: filter, family: .ip) }
        #expect(text[0] == "meta l4proto tcp xt match \"multiport\" (dports 22,80-90,443) xt match \"conntrack\" (ctstate established,new) counter accept")
        #expect(text[4] == "tcp flags syn / fin,syn,rst,ack tcp dport 444 counter xt target \"REJECT\" (reject-with 7)")
    }

    @Test func iptablesLegacyTablesAreDetectedPerNamespace() throws {
        let legacy = try ScratchNamespace()
        defer { legacy.destroy() }
        let clean = try ScratchNamespace()
        defer { clean.destroy() }
        try legacy.exec(["iptables-legacy", "-A", "INPUT", "-p", "tcp", "--dport", "443", "-j", "DROP"])
        try legacy.exec(["ip6tables-legacy", "-t", "raw", "-A", "PREROUTING", "-j", "ACCEPT"])
        let seen = try NetlinkRulesetReader().read(netns: legacy.name)
        #expect(seen.legacyIptablesTables.contains("ip filter"))
        #expect(seen.legacyIptablesTables.contains("ip6 raw"))
        #expect(seen.tables.isEmpty)  // invisible to nf_tables netlink, hence the warning
        #expect(try NetlinkRulesetReader().read(netns: clean.name).legacyIptablesTables.isEmpty)
    }

    @Test func largeIntervalSetComesBackWhole() throws {
        var script = "table ip big {\n  set s {\n    type ipv4_addr; flags interval;\n    elements = { "
        script += (0..<20_000).map { i in "10.\(i / 256 % 256).\(i % 256).0/25" }.joined(separator: ", ")
        script += " }\n  }\n  chain c {\n    type filter hook input priority 0; policy accept;\n    ip saddr @s drop\n  }\n}\n"
        let (rs, ns) = try ruleset(after: script)
        defer { ns.destroy() }
        let s = try #require(rs.table(family: .ip, name: "big")?.set(named: "s"))
        #expect(s.elements.count == 20_000)
        #expect(s.elements.first == SetElement(key: [10, 0, 0, 0], keyEnd: [10, 0, 0, 127]))
        #expect(s.elements.last == SetElement(key: [10, 78, 31, 0], keyEnd: [10, 78, 31, 127]))
    }

    @Test func nftScriptIsLoadedInAThrowawayNamespace() throws {
        let dir = try TestEnvironment.temporaryDirectory("pcrd")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.nft")
        try "table inet web {\n  chain in {\n    type filter hook input priority 0; policy drop;\n    tcp dport 443 accept\n  }\n}\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let before = try Subprocess.check(["ip", "netns", "list"]).stdout
        let rs = try loadRuleset(.nftScript(good.path))
        #expect(rs.tables.map(\.name) == ["web"])
        #expect(rs.table(family: .inet, name: "web")?.chain(named: "in")?.rules.count == 1)
        let after = try Subprocess.check(["ip", "netns", "list"]).stdout
        #expect(after.split(separator: "\n").filter { $0.hasPrefix("portcullis-\(getpid())-") }.isEmpty)
        #expect(before.split(separator: "\n").count >= after.split(separator: "\n").count - 5)

        let bad = dir.appendingPathComponent("bad.nft")
        try "table inet web {\n  chain in {\n    tcp dport frobnicate accept\n  }\n}\n".write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try loadRuleset(.nftScript(bad.path))
            Issue.record("a broken script was accepted")
        } catch {
            guard case .malformedFile(let path, let line, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == bad.path && line == 3)
            #expect(reason.hasPrefix("nft rejected the script"))
        }
        #expect(throws: RulesetReadError.unreadableFile(path: dir.appendingPathComponent("none.nft").path, reason: "no such file")) {
            try loadRuleset(.nftScript(dir.appendingPathComponent("none.nft").path))
        }
        #expect(try Subprocess.check(["ip", "netns", "list"]).stdout.split(separator: "\n").filter { $0.hasPrefix("portcullis-\(getpid())-") }.isEmpty)
    }

    @Test func missingNamespaceIsANamespaceError() {
        #expect(throws: RulesetReadError.namespace("network namespace 'pcrd-does-not-exist' not found (looked for /run/netns/pcrd-does-not-exist)")) {
            try NetlinkRulesetReader().read(netns: "pcrd-does-not-exist")
        }
    }
}
