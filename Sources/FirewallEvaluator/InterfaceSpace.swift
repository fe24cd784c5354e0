import NftModel

/// One class of input interfaces that no rule of the ruleset can tell apart. Interface names are
/// compared only against the finitely many names and wildcard prefixes the ruleset mentions, so
/// evaluating one representative per class covers the whole (infinite) space of names exactly.
public struct InterfaceClass: Sendable, Hashable {
    /// A concrete name the evaluator uses for the whole class.
    public var representative: String
    /// How the class is shown: the exact name, "eth*" (other names with that prefix) or "*"
    /// (any other interface).
    public var label: String
    public var isExact: Bool
}

/// Partitions interface names into `InterfaceClass`es from the patterns a ruleset uses on
/// `meta iifname/oifname` (compares and set lookups) and on netdev chain devices.
enum InterfaceSpace {
    /// Loopback is not an inbound path from outside: summaries leave it out unless asked for.
    static let loopback = "lo"

    static func classes(ruleset: Ruleset, knownNames: [String]) -> [InterfaceClass] {
        var exact = Set(knownNames)
        var prefixes = Set<String>()
        for table in ruleset.tables {
            for chain in table.chains {
                exact.formUnion(chain.devices)
                for rule in chain.rules { collect(rule.expressions, table: table, exact: &exact, prefixes: &prefixes) }
            }
        }
        var classes: [InterfaceClass] = exact.sorted().map { InterfaceClass(representative: $0, label: $0, isExact: true) }
        for p in prefixes.sorted() where !p.isEmpty {
            var rep = p + "#x"
            if rep.utf8.count > 15 { rep = String(rep.prefix(15)) }
            if exact.contains(rep) { continue }
            classes.append(InterfaceClass(representative: rep, label: p + "*", isExact: false))
        }
        classes.append(InterfaceClass(representative: "#other", label: "*", isExact: false))
        return classes
    }

    /// Follows which registers hold an interface name through a rule and records what they are compared with.
    private static func collect(_ exprs: [Expression], table: Table, exact: inout Set<String>, prefixes: inout Set<String>) {
        var nameRegs: [Int: Bool] = [:]  // byte offset -> holds an interface name
        func record(_ bytes: [UInt8], exactOnly: Bool) {
            if let nul = bytes.firstIndex(of: 0) {
                let name = String(decoding: bytes[..<nul], as: UTF8.self)
                if !name.isEmpty { exact.insert(name) }
            } else if bytes.count < 16 {
                let p = String(decoding: bytes, as: UTF8.self)
                if exactOnly { exact.insert(p) } else { prefixes.insert(p) }
            }
        }
        for e in exprs {
            switch e {
            case .meta(let m):
                if let d = m.dreg?.byteOffset {
                    let isName = [MetaKey.iifname, .oifname, .bridgeIifname, .bridgeOifname, .sdifname].contains(m.key)
                    nameRegs[d] = isName
                }
            case .cmp(let c):
                if let o = c.sreg.byteOffset, nameRegs[o] == true { record(c.data, exactOnly: false) }
            case .lookup(let l):
                if let o = l.sreg.byteOffset, nameRegs[o] == true, let set = table.set(named: l.setName) {
                    let len = set.fieldLengths.first ?? set.keyLength
                    for el in set.elements {
                        record(Array(el.key.prefix(len)), exactOnly: true)
                        if let end = el.keyEnd {
                            // A wildcard element is stored as the interval [prefix\0…, prefix\xff…].
                            let k = Array(el.key.prefix(len)), ke = Array(end.prefix(len))
                            var common = 0
                            while common < min(k.count, ke.count) && k[common] == ke[common] { common += 1 }
                            if common < k.count {
                                let p = String(decoding: k[..<common], as: UTF8.self)
                                if !p.isEmpty { prefixes.insert(p) }
                            }
                        }
                    }
                }
            case .payload(let p):
                if let d = p.dreg?.byteOffset { nameRegs[d] = false }
            case .immediate(let i):
                if let d = i.dreg.byteOffset { nameRegs[d] = false }
            default: break
            }
        }
    }

    /// Whether `name` matches a wildcard label ("eth*") or exact label.
    static func label(_ label: String, matches name: String) -> Bool {
        if label == "*" { return true }
        if label.hasSuffix("*") { return name.hasPrefix(String(label.dropLast())) }
        return label == name
    }
}
