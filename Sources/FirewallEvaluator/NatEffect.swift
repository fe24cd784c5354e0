import NftModel

/// Destination NAT as the kernel applies it: a nat-type chain runs only for the first packet of
/// a connection; the first `dnat`/`redirect` that runs binds the connection (later nat chains are
/// skipped) and every later packet of it is translated at the dstnat point (priority -100).
enum NatEffect {
    static func apply(_ expr: Expression, position: PacketPosition, view: PacketView, path: inout PathState,
                      regs: RegisterFile) -> RuleEvaluation.Step {
        let version = view.context.version
        switch expr {
        case .nat(let n):
            if n.type == .snat { return .exit(.verdict(.accept)) }
            let natVersion: IPVersion? = n.family == .ip ? .ipv4 : n.family == .ip6 ? .ipv6 : nil
            if let nv = natVersion, nv != version { return .proceed }  // inet table: the other family's rule
            var address: [UInt8]? = nil
            if let r = n.regAddrMin {
                guard let a = regs.read(r, version.addressLength).flatMap(RegisterFile.concrete) else {
                    return .exit(.undetermined("dnat to an address the evaluator cannot know (\(regs.read(r, version.addressLength).flatMap { regs.unknownReason($0) } ?? "from the packet"))"))
                }
                if let rmax = n.regAddrMax, rmax != r,
                   regs.read(rmax, version.addressLength).flatMap(RegisterFile.concrete) != a {
                    return .exit(.undetermined("dnat to an address range"))
                }
                address = a
            }
            var port: UInt16? = nil
            if let r = n.regProtoMin {
                switch readPort(r, n.regProtoMax, regs) {
                case .success(let p): port = p
                case .failure(let e): return .exit(.undetermined(e.text))
                }
            }
            return bind(address: address, port: port, redirected: false, path: &path)
        case .redir(let r):
            var port: UInt16? = nil
            if let reg = r.regProtoMin {
                switch readPort(reg, r.regProtoMax, regs) {
                case .success(let p): port = p
                case .failure(let e): return .exit(.undetermined(e.text))
                }
            }
            return bind(address: nil, port: port, redirected: true, path: &path)
        case .masq:
            return .exit(.verdict(.accept))
        default:
            return .proceed
        }
    }

    struct NatError: Error { var text: String }

    private static func readPort(_ min: Register, _ max: Register?, _ regs: RegisterFile) -> Result<UInt16, NatError> {
        guard let p = regs.read(min, 2).flatMap(RegisterFile.concrete) else {
            return .failure(NatError(text: "dnat to a port the evaluator cannot know"))
        }
        let port = UInt16(p[0]) << 8 | UInt16(p[1])
        if let max, max != min, let q = regs.read(max, 2).flatMap(RegisterFile.concrete), q != p {
            return .failure(NatError(text: "dnat to a port range \(port)-\(UInt16(q[0]) << 8 | UInt16(q[1]))"))
        }
        return .success(port)
    }

    /// Records the binding and ends the nat chain with accept (the kernel's nat expression verdict).
    static func bind(address: [UInt8]?, port: UInt16?, redirected: Bool, path: inout PathState) -> RuleEvaluation.Step {
        if path.natBound { return .exit(.verdict(.accept)) }
        path.dnatAddress = address
        path.dnatPort = port
        path.redirected = redirected
        path.natBound = true
        return .exit(.verdict(.accept))
    }

    /// Text for the trace: "dnat to 10.0.0.1:8443", "redirect to :8443".
    static func describe(_ path: PathState) -> String {
        let port = path.dnatPort.map { ":\($0)" } ?? ""
        if path.redirected { return "redirect to \(port.isEmpty ? "same port" : port)" }
        let addr = path.dnatAddress.map { AddressSet.format(bytes: $0) } ?? ""
        let a = addr.contains(":") && !port.isEmpty ? "[\(addr)]" : addr
        return "dnat to \(a)\(port)"
    }
}
