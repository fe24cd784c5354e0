import NftModel

/// The transport protocols whose listening sockets are enumerated.
public enum TransportProtocol: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case tcp, udp

    /// IPPROTO_* number, as the kernel (and `meta l4proto`) knows it.
    public var ipProtocolNumber: UInt8 { self == .tcp ? 6 : 17 }

    public static func < (a: Self, b: Self) -> Bool { a.ipProtocolNumber < b.ipProtocolNumber }
}

/// What a bound address lets in, as a sysadmin reads `ss`: every address of the host, only the
/// host itself, or one address.
public enum BindingClass: String, Sendable, Codable, Hashable {
    /// 0.0.0.0, :: (and ::ffff:0.0.0.0): every local address of its families.
    case wildcard
    /// 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z): reachable only from this host.
    case loopback
    /// One particular local address.
    case specific
}

/// A process holding a descriptor of a listening socket (several may share one: forked workers).
public struct ListeningProcess: Sendable, Codable, Hashable {
    public var pid: Int32
    /// Command name (`/proc/PID/comm`).
    public var name: String
    /// Full command line, arguments joined by spaces (empty for kernel threads).
    public var cmdline: String
    /// systemd unit from the process's cgroup (`nginx.service`, `session-3.scope`, user units too).
    public var unit: String?

    public init(pid: Int32, name: String, cmdline: String, unit: String?) {
        self.pid = pid
        self.name = name
        self.cmdline = cmdline
        self.unit = unit
    }

    /// `unit` is written as null rather than left out: scripts see every key of the contract.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pid, forKey: .pid)
        try c.encode(name, forKey: .name)
        try c.encode(cmdline, forKey: .cmdline)
        try c.encode(unit, forKey: .unit)
    }
}

/// One listening socket: TCP in LISTEN, or a bound, unconnected UDP socket.
public struct Listener: Sendable, Codable, Hashable {
    public var `protocol`: TransportProtocol
    /// The bound local address in its textual form ("0.0.0.0", "::", "::ffff:10.0.0.1", "fd00::1").
    public var address: String
    public var port: UInt16
    /// The socket's address family (an IPv6 socket may still accept IPv4: see `v6only`).
    public var family: IPVersion
    /// IPV6_V6ONLY; always false for IPv4 sockets. A `[::]` socket without it also takes IPv4.
    public var v6only: Bool
    /// Socket inode (the `socket:[N]` in /proc/PID/fd).
    public var inode: UInt32
    /// Socket owner uid (the creator's fsuid).
    public var uid: UInt32
    /// Device the socket is bound to with SO_BINDTODEVICE; nil when any.
    public var boundInterface: String?
    /// Processes holding the socket; empty when none could be seen (see the scan's warnings).
    public var processes: [ListeningProcess]
    public var binding: BindingClass
    /// How far the socket is reachable through the firewall; nil until joined with the firewall.
    public var exposure: ListenerExposure?

    public init(protocol: TransportProtocol, address: String, port: UInt16, family: IPVersion, v6only: Bool,
                inode: UInt32, uid: UInt32, boundInterface: String? = nil, processes: [ListeningProcess],
                binding: BindingClass, exposure: ListenerExposure? = nil) {
        self.protocol = `protocol`
        self.address = address
        self.port = port
        self.family = family
        self.v6only = v6only
        self.inode = inode
        self.uid = uid
        self.boundInterface = boundInterface
        self.processes = processes
        self.binding = binding
        self.exposure = exposure
    }

    /// Optional fields are written as null rather than left out (a stable JSON contract).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.protocol, forKey: .protocol)
        try c.encode(address, forKey: .address)
        try c.encode(port, forKey: .port)
        try c.encode(family, forKey: .family)
        try c.encode(v6only, forKey: .v6only)
        try c.encode(inode, forKey: .inode)
        try c.encode(uid, forKey: .uid)
        try c.encode(boundInterface, forKey: .boundInterface)
        try c.encode(processes, forKey: .processes)
        try c.encode(binding, forKey: .binding)
        try c.encode(exposure, forKey: .exposure)
    }

    /// The IP versions of packets this socket accepts (empty for loopback-only sockets, which take
    /// nothing from outside).
    public var acceptedVersions: [IPVersion] {
        BoundAddressClassifier.acceptedVersions(family: family, address: address, v6only: v6only, binding: binding)
    }
}

/// The result of one enumeration: the sockets and what could not be seen.
public struct ListenerScan: Sendable, Codable, Hashable {
    public var listeners: [Listener]
    /// What is missing and why ("owners of sockets of other users not visible without root", …).
    public var warnings: [String]

    public init(listeners: [Listener], warnings: [String]) {
        self.listeners = listeners
        self.warnings = warnings
    }
}

/// Why an enumeration failed as a whole (partial blindness is a warning, not an error).
public enum ListenerScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The network namespace could not be entered (missing, or not root).
    case namespace(name: String, reason: String)
    /// The NETLINK_SOCK_DIAG socket could not be opened or used.
    case netlink(operation: String, errno: Int32)
    /// The kernel's reply could not be parsed.
    case malformedReply(String)

    public var description: String {
        switch self {
        case .namespace(_, let reason): reason
        case .netlink(let op, let e): "sock_diag netlink \(op) failed: \(errnoDescription(e))"
        case .malformedReply(let what): "malformed sock_diag reply: \(what)"
        }
    }
}
