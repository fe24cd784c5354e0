import NftModel

// Added by the listeners work (additive; owned by the evaluator): which outside ports a dnat or
// redirect delivers to a local socket, so `portcullis listeners` can say "8443, exposed via 443".
extension FirewallEvaluator {
    /// Ports other than `localPort` whose new connections are delivered to `localPort` by
    /// dnat/redirect and not certainly dropped or rejected. Empty without NAT.
    public func externalPorts(reaching localPort: UInt16, l4proto: UInt8, version: IPVersion, inputInterface: String?) -> [UInt16] {
        candidatePorts(localPort: localPort).filter { port in
            guard port != localPort else { return false }
            let s = summarize(version: version, l4proto: l4proto, port: port, inputInterface: inputInterface)
            return s.verdict != .drop && s.verdict != .reject && s.deliveredPorts.contains(localPort)
        }
    }
}
