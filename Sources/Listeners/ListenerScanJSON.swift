import NftModel
import FirewallEvaluator

/// The JSON document of `portcullis listeners --format json` (schemaVersion 1), written by hand:
/// Foundation's JSONEncoder spent most of the run time on a 10,000-socket host. The keys and
/// shapes are exactly those of the `Codable` conformances (tests decode this output with
/// JSONDecoder), one listener per line so the output stays greppable and diffable.
public enum ListenerScanJSON {
    public static let schemaVersion = 1

    public static func document(_ scan: ListenerScan) -> [UInt8] {
        chunks(scan).reduce(into: []) { $0.append(contentsOf: $1) }
    }

    /// The document as consecutive pieces (write them in order), so a 10,000-socket document is
    /// never copied into one buffer.
    public static func chunks(_ scan: ListenerScan) -> [[UInt8]] {
        var head = Writer()
        head.raw("{\"schemaVersion\":")
        head.integer(schemaVersion)
        head.raw(",\"listeners\":[")
        // Listeners are rendered in chunks spread over the cores, then concatenated in order.
        let chunkSize = 1000
        let starts = Array(stride(from: 0, to: scan.listeners.count, by: chunkSize))
        let listeners = scan.listeners
        let chunks = ParallelMap.map(starts, minimumForParallel: 2) { start -> [UInt8] in
            var c = Writer()
            let end = min(listeners.count, start + chunkSize)
            c.out.reserveCapacity((end - start) * 800)
            for i in start..<end {
                c.raw(i == 0 ? "\n" : ",\n")
                c.listener(listeners[i])
            }
            return c.out
        }
        var tail = Writer()
        tail.raw(scan.listeners.isEmpty ? "],\"warnings\":" : "\n],\"warnings\":")
        tail.strings(scan.warnings)
        tail.raw("}\n")
        return [head.out] + chunks + [tail.out]
    }

    struct Writer {
        var out: [UInt8] = []

        mutating func raw(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        mutating func raw(_ s: String) {
            out.append(contentsOf: s.utf8)
        }

        mutating func key(_ k: StaticString) {
            raw("\"")
            raw(k)
            raw("\":")
        }

        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { bytes in
                out.append(34)
                // Most strings need no escaping: one scan, one copy.
                var clean = true
                for b in bytes where b < 32 || b == 34 || b == 92 || b == 127 {
                    clean = false
                    break
                }
                if clean {
                    out.append(contentsOf: bytes)
                } else {
                    for b in bytes { escaped(b) }
                }
                out.append(34)
            }
        }

        private mutating func escaped(_ b: UInt8) {
            switch b {
            case 34: out.append(92); out.append(34)
            case 92: out.append(92); out.append(92)
            case 10: out.append(92); out.append(110)
            case 13: out.append(92); out.append(114)
            case 9: out.append(92); out.append(116)
            case 0..<32, 127:
                let hex: StaticString = "0123456789abcdef"
                let h = hex.utf8Start
                out.append(contentsOf: [92, 117, 48, 48, h[Int(b >> 4)], h[Int(b & 15)]])
            default: out.append(b)
            }
        }

        mutating func optionalString(_ s: String?) {
            if let s { string(s) } else { raw("null") }
        }

        mutating func strings(_ list: [String]) {
            raw("[")
            for (i, s) in list.enumerated() {
                if i > 0 { raw(",") }
                string(s)
            }
            raw("]")
        }

        /// Decimal digits without a String allocation (ports, pids, inodes: thousands per run).
        mutating func integer<T: BinaryInteger>(_ n: T) {
            var v = UInt64(truncatingIfNeeded: n)
            if n < 0 {
                out.append(45)
                v = UInt64(truncatingIfNeeded: -Int64(n))
            }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { d in
                var i = d.count
                repeat {
                    i -= 1
                    d[i] = UInt8(48 + v % 10)
                    v /= 10
                } while v > 0
                out.append(contentsOf: d[i...])
            }
        }

        mutating func listener(_ l: Listener) {
            raw("{")
            key("protocol"); string(l.protocol.rawValue)
            raw(","); key("address"); string(l.address)
            raw(","); key("port"); integer(l.port)
            raw(","); key("family"); string(l.family.rawValue)
            raw(","); key("v6only"); raw(l.v6only ? "true" : "false")
            raw(","); key("inode"); integer(l.inode)
            raw(","); key("uid"); integer(l.uid)
            raw(","); key("boundInterface"); optionalString(l.boundInterface)
            raw(","); key("binding"); string(l.binding.rawValue)
            raw(","); key("processes"); raw("[")
            for (i, p) in l.processes.enumerated() {
                if i > 0 { raw(",") }
                raw("{"); key("pid"); integer(p.pid)
                raw(","); key("name"); string(p.name)
                raw(","); key("cmdline"); string(p.cmdline)
                raw(","); key("unit"); optionalString(p.unit)
                raw("}")
            }
            raw("],"); key("exposure")
            if let e = l.exposure {
                raw("{"); key("ipv4"); family(e.ipv4)
                raw(","); key("ipv6"); family(e.ipv6)
                raw("}")
            } else {
                raw("null")
            }
            raw("}")
        }

        mutating func family(_ f: FamilyExposure) {
            raw("{"); key("verdict"); string(f.verdict.rawValue)
            raw(","); key("acceptedFrom"); strings(f.acceptedFrom)
            raw(","); key("interfaces"); strings(f.interfaces)
            raw(","); key("viaPorts"); raw("[")
            for (i, p) in f.viaPorts.enumerated() {
                if i > 0 { raw(",") }
                integer(p)
            }
            raw("],"); key("reason"); string(f.reason)
            raw(","); key("trace"); raw("[")
            for (i, t) in f.trace.enumerated() {
                if i > 0 { raw(",") }
                raw("{"); key("family"); string(t.family)
                raw(","); key("table"); string(t.table)
                raw(","); key("chain"); string(t.chain)
                raw(","); key("handle")
                if let h = t.handle { integer(h) } else { raw("null") }
                raw(","); key("rule"); string(t.rule)
                raw(","); key("verdict"); string(t.verdict)
                raw("}")
            }
            raw("]}")
        }
    }
}
