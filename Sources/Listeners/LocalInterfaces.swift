import Glibc
import CNetfilter
import NetNamespace

/// The addresses and interface indexes of a network namespace: what the firewall evaluator needs
/// to know which dnat targets are local and what `meta iif` indexes mean there.
public struct LocalInterfaces: Sendable, Equatable {
    /// Every configured address (4 or 16 bytes), loopback included.
    public var addresses: [[UInt8]]
    /// Interface indexes by name.
    public var indexes: [String: UInt32]

    public init(addresses: [[UInt8]], indexes: [String: UInt32]) {
        self.addresses = addresses
        self.indexes = indexes
    }

    /// Reads them inside `netns` (nil = the current namespace) with getifaddrs(3).
    public static func read(netns: String?) throws(ListenerScanError) -> LocalInterfaces {
        let body = { () -> LocalInterfaces in
            var result = LocalInterfaces(addresses: [], indexes: [:])
            var head: UnsafeMutablePointer<ifaddrs>?
            guard getifaddrs(&head) == 0, let first = head else { return result }
            defer { freeifaddrs(head) }
            var cursor: UnsafeMutablePointer<ifaddrs>? = first
            while let entry = cursor {
                cursor = entry.pointee.ifa_next
                let name = String(cString: entry.pointee.ifa_name)
                if result.indexes[name] == nil {
                    let index = if_nametoindex(entry.pointee.ifa_name)
                    if index != 0 { result.indexes[name] = index }
                }
                guard let sa = entry.pointee.ifa_addr else { continue }
                switch Int32(sa.pointee.sa_family) {
                case AF_INET:
                    let bytes = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                        withUnsafeBytes(of: p.pointee.sin_addr) { Array($0) }
                    }
                    result.addresses.append(bytes)
                case AF_INET6:
                    let bytes = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                        withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) }
                    }
                    result.addresses.append(bytes)
                default:
                    break
                }
            }
            return result
        }
        guard let netns else { return body() }
        do {
            return try NetworkNamespace.run(in: netns, body)
        } catch let e as NetworkNamespace.Failure {
            throw .namespace(name: netns, reason: e.description)
        } catch {
            throw .namespace(name: netns, reason: "cannot enter network namespace '\(netns)': \(error)")
        }
    }
}
