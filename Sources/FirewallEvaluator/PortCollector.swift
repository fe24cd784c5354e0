import NftModel

/// Finds the destination ports a rule compares against (cmp, range ends, set elements, xt tcp/udp/
/// multiport): in nat chains these are the external ports a dnat/redirect may bring to a socket.
enum PortCollector {
    static func collect(_ exprs: [Expression], table: Table, into ports: inout Set<UInt16>) {
        var portRegs = Set<Int>()  // byte offsets holding a destination port
        func port(_ b: ArraySlice<UInt8>) -> UInt16? {
            b.count >= 2 ? UInt16(b[b.startIndex]) << 8 | UInt16(b[b.startIndex + 1]) : nil
        }
        for e in exprs {
            switch e {
            case .payload(let p):
                guard let d = p.dreg?.byteOffset else { continue }
                if p.base == .transport && p.offset == 2 && p.length == 2 { portRegs.insert(d) } else { portRegs.remove(d) }
            case .ct(let c):
                guard let d = c.dreg?.byteOffset else { continue }
                if c.key == .protoDst { portRegs.insert(d) } else { portRegs.remove(d) }
            case .meta(let m):
                if let d = m.dreg?.byteOffset { portRegs.remove(d) }
            case .cmp(let c):
                if let o = c.sreg.byteOffset, portRegs.contains(o), let v = port(c.data[...]) { ports.insert(v) }
            case .range(let r):
                if let o = r.sreg.byteOffset, portRegs.contains(o) {
                    if let a = port(r.from[...]) { ports.insert(a) }
                    if let b = port(r.to[...]) { ports.insert(b) }
                }
            case .lookup(let l):
                guard let o = l.sreg.byteOffset, let set = table.set(named: l.setName) else { continue }
                // Which field of the key starts at a port register?
                let lengths = set.fieldLengths.isEmpty ? [set.keyLength] : set.fieldLengths
                var off = 0
                for len in lengths {
                    if portRegs.contains(o + off) && len == 2 {
                        for el in set.elements {
                            if let a = port(el.key.dropFirst(off).prefix(2)) { ports.insert(a) }
                            if let end = el.keyEnd, let b = port(end.dropFirst(off).prefix(2)) { ports.insert(b) }
                        }
                    }
                    off += (len + 3) / 4 * 4
                }
            case .match(let m):
                switch m.decoded {
                case .tcp(_, let d, _, _, _, _)?, .udp(_, let d, _)?:
                    if d != PortRange.all { ports.insert(d.lower); ports.insert(d.upper) }
                case .multiport(let side, let list, _)?:
                    if side != 0 { for r in list { ports.insert(r.lower); ports.insert(r.upper) } }
                default: break
                }
            default: break
            }
        }
    }
}
