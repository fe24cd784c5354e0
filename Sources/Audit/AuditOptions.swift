import FoundationEssentials
import Glibc
import Policy
import TLSProbe

/// What to audit and how.
public struct AuditOptions: Sendable {
    /// Network namespace whose firewall and listeners are read (nil = the current one). Probe
    /// connections are made from the calling process: audit another namespace from inside it
    /// (the CLI re-executes itself there, see `AuditCommand`).
    public var netns: String?
    /// Read the ruleset from a file instead of the kernel: a `portcullis ruleset dump` file, or an
    /// nft script (`.nft`) parsed by the kernel in a throwaway namespace.
    public var rulesetFile: String?
    /// Ports asked of the firewall besides those the policy's rules name.
    public var ports: [UInt16]
    /// Endpoints to probe besides the listeners (and the policy's `targets:`).
    public var targets: [AuditTarget]
    /// Server name sent to discovered listeners (and checked against their certificates).
    public var serverName: String?
    /// Probe the discovered TCP listeners (off: only the explicit targets).
    public var probeListeners: Bool
    /// Endpoints probed at once.
    public var endpointConcurrency: Int
    public var probe: ProbeOptions
    /// Findings at or above this fail the audit.
    public var failOn: Severity

    public init(netns: String? = nil, rulesetFile: String? = nil, ports: [UInt16] = [443], targets: [AuditTarget] = [],
                serverName: String? = nil, probeListeners: Bool = true, endpointConcurrency: Int = 16,
                probe: ProbeOptions = ProbeOptions(timeout: 3, concurrency: 64, retries: 1, deadline: 30), failOn: Severity = .high) {
        self.netns = netns
        self.rulesetFile = rulesetFile
        self.ports = ports
        self.targets = targets
        self.serverName = serverName
        self.probeListeners = probeListeners
        self.endpointConcurrency = max(1, endpointConcurrency)
        self.probe = probe
        self.failOn = failOn
    }
}
