import Foundation
import TestSupport

/// What `ss -H -ltnupe` (run inside a namespace) reports: the independent reference the
/// end-to-end tests compare the sock_diag enumeration with. Parsed here, in tests only.
struct SSSocket: Hashable, CustomStringConvertible {
    var netid: String      // tcp | udp
    var host: String       // brackets removed; "*" kept as printed
    var interface: String?
    var port: UInt16
    var inode: UInt32
    var v6only: Bool?      // printed for IPv6 sockets only
    var pids: Set<Int32>
    var names: Set<String>

    var description: String { "\(netid) \(host)\(interface.map { "%" + $0 } ?? ""):\(port) ino:\(inode) v6only:\(v6only.map(String.init) ?? "-") pids:\(pids.sorted())" }

    /// The address as Portcullis prints it: `*` is the dual-stack IPv6 wildcard.
    var normalizedAddress: String { host == "*" ? "::" : host }

    static func list(namespace: String) throws -> [SSSocket] {
        let out = try Subprocess.check(["ip", "netns", "exec", namespace, "ss", "-H", "-ltnupe"], timeout: 30).stdout
        return try out.split(separator: "\n").map { try parse(String($0)) }
    }

    struct ParseFailure: Error, CustomStringConvertible { var line: String; var description: String { "cannot parse ss line: \(line)" } }

    static func parse(_ line: String) throws -> SSSocket {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 6, let colon = fields[4].lastIndex(of: ":"),
              let port = UInt16(fields[4][fields[4].index(after: colon)...]) else { throw ParseFailure(line: line) }
        var host = String(fields[4][..<colon])
        var interface: String?
        if let pct = host.firstIndex(of: "%") {
            interface = String(host[host.index(after: pct)...])
            host = String(host[..<pct])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var inode: UInt32?
        var v6only: Bool?
        for f in fields {
            if f.hasPrefix("ino:") { inode = UInt32(f.dropFirst(4)) }
            if f.hasPrefix("v6only:") { v6only = f.hasSuffix(":1") }
        }
        guard let inode else { throw ParseFailure(line: line) }
        var pids = Set<Int32>()
        var names = Set<String>()
        // users:(("python3",pid=18356,fd=3),("nginx",pid=7,fd=6))
        var rest = Substring(line)
        while let r = rest.range(of: "pid=") {
            let digits = rest[r.upperBound...].prefix { $0.isNumber }
            if let p = Int32(digits) { pids.insert(p) }
            rest = rest[r.upperBound...]
        }
        rest = Substring(line)
        while let r = rest.range(of: "((\"") ?? rest.range(of: "(\"") {
            let name = rest[r.upperBound...].prefix { $0 != "\"" }
            names.insert(String(name))
            rest = rest[r.upperBound...]
        }
        return SSSocket(netid: fields[0], host: host, interface: interface, port: port, inode: inode, v6only: v6only, pids: pids, names: names)
    }
}
