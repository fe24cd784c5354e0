/// Pure parsers for the /proc texts used to find who owns a socket. The I/O that reads them is in
/// `ProcSocketOwners`; these take the bytes or text it read, so they are tested from strings.
public enum ProcParsing {
    /// Inode of a `/proc/PID/fd/N` link text `socket:[12345]`; nil for anything else (files,
    /// pipes `pipe:[…]`, anon inodes).
    public static func socketInode(link: UnsafeRawBufferPointer) -> UInt32? {
        let prefix: [UInt8] = [115, 111, 99, 107, 101, 116, 58, 91]
        guard link.count > prefix.count + 1, link[link.count - 1] == 93 /* ] */ else { return nil }
        for i in 0..<prefix.count where link[i] != prefix[i] { return nil }
        return decimal(link, from: prefix.count, to: link.count - 1).flatMap { UInt32(exactly: $0) }
    }

    public static func socketInode(link: String) -> UInt32? {
        Array(link.utf8).withUnsafeBytes { socketInode(link: $0) }
    }

    /// Inode of a namespace link text `net:[4026531840]` (`/proc/PID/ns/net`).
    public static func namespaceInode(link: String) -> UInt64? {
        let bytes = Array(link.utf8)
        guard bytes.starts(with: Array("net:[".utf8)), bytes.last == 93 else { return nil }
        return bytes.withUnsafeBytes { decimal($0, from: 5, to: bytes.count - 1) }
    }

    /// The process id named by a /proc entry ("1234"); nil for "self", "sys", ….
    public static func pid(entryName: UnsafeRawBufferPointer) -> Int32? {
        guard !entryName.isEmpty else { return nil }
        return decimal(entryName, from: 0, to: entryName.count).flatMap { Int32(exactly: $0) }
    }

    /// `/proc/PID/cmdline`: arguments separated (and usually ended) by NUL, joined with spaces.
    public static func commandLine(_ raw: [UInt8]) -> String {
        var parts = raw.split(separator: 0, omittingEmptySubsequences: false)
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// `/proc/PID/comm`: the name followed by a newline.
    public static func commandName(_ raw: [UInt8]) -> String {
        var bytes = raw[...]
        while let last = bytes.last, last == 10 || last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The systemd unit a process runs in, from `/proc/PID/cgroup`.
    ///
    /// Uses the unified hierarchy line (`0::/system.slice/nginx.service`) or, on a hybrid v1 host,
    /// the `name=systemd` line. The unit is the deepest path component that is a unit (not a
    /// slice): `…/user@1000.service/app.slice/foo.service` → `foo.service` (a user unit),
    /// `/system.slice/nginx.service/workers` → `nginx.service`. The root cgroup has no unit.
    public static func systemdUnit(cgroup: String) -> String? {
        var unified: Substring?
        var namedSystemd: Substring?
        for line in cgroup.split(separator: "\n") {
            // hierarchy-ID:controller-list:path — the path may itself contain ':'
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty { unified = fields[2] }
            if fields[1] == "name=systemd" { namedSystemd = fields[2] }
        }
        guard let path = namedSystemd ?? unified else { return nil }
        let unitSuffixes = [".service", ".scope", ".socket", ".mount", ".swap"]
        var unit: Substring?
        for component in path.split(separator: "/") where unitSuffixes.contains(where: { component.hasSuffix($0) }) {
            unit = component
        }
        return unit.map(String.init)
    }

    /// Unsigned decimal in `bytes[from..<to]`; nil when empty, not all digits, or overflowing.
    static func decimal(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> UInt64? {
        guard from < to, to - from <= 19 else { return nil }
        var value: UInt64 = 0
        for i in from..<to {
            let c = bytes[i]
            guard c >= 48 && c <= 57 else { return nil }
            value = value * 10 + UInt64(c - 48)
        }
        return value
    }
}
