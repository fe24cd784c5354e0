import Glibc
import CNetfilter

/// Finds which processes hold which sockets by walking `/proc/*/fd/*` once (what `ss -p` and
/// `lsof` do), with raw readdir/readlinkat: no per-entry allocations besides the map itself, so
/// 10,000 descriptors cost about as much as they do for `ss`.
struct ProcSocketOwners {
    /// Socket inode → pids holding a descriptor of it (only inodes in `wanted`, when given).
    var holders: [UInt32: [Int32]] = [:]
    /// Processes whose fd table could not be read (another user's, without root).
    var unreadableProcesses = 0
    var scannedProcesses = 0

    let procRoot: String

    init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Scans every process once, keeping the holders of `wanted` inodes (of every socket when nil,
    /// so the walk can run while the kernel is still being asked which sockets listen).
    mutating func scan(wanted: Set<UInt32>?) {
        if wanted?.isEmpty == true { return }
        guard let proc = opendir(procRoot) else { return }
        defer { closedir(proc) }
        var link = [UInt8](repeating: 0, count: 64)
        while let entry = readdir(proc) {
            guard let pid = Self.entryPID(entry) else { continue }
            scannedProcesses += 1
            let fdDir = open("\(procRoot)/\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fdDir >= 0 else {
                if errno == EACCES || errno == EPERM { unreadableProcesses += 1 }
                continue // ENOENT: the process exited meanwhile
            }
            guard let fds = fdopendir(fdDir) else { close(fdDir); continue }
            defer { closedir(fds) }
            while let fdEntry = readdir(fds) {
                let n = link.withUnsafeMutableBytes { buf in
                    withUnsafePointer(to: &fdEntry.pointee.d_name) { name in
                        name.withMemoryRebound(to: CChar.self, capacity: 256) { cname in
                            readlinkat(fdDir, cname, buf.baseAddress!.assumingMemoryBound(to: CChar.self), buf.count)
                        }
                    }
                }
                guard n > 0 else { continue } // "." and ".." are not links
                let inode = link.withUnsafeBytes { ProcParsing.socketInode(link: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                guard let inode, wanted?.contains(inode) ?? true else { continue }
                // A process may hold the same socket under several descriptors (dup): list it once.
                if holders[inode, default: []].last != pid { holders[inode, default: []].append(pid) }
            }
        }
    }

    /// The pid a /proc entry names, or nil for non-process entries.
    private static func entryPID(_ entry: UnsafeMutablePointer<dirent>) -> Int32? {
        withUnsafePointer(to: &entry.pointee.d_name) { name in
            name.withMemoryRebound(to: UInt8.self, capacity: 256) { p in
                guard p[0] >= 49 && p[0] <= 57 else { return nil } // pids start with 1-9
                return ProcParsing.pid(entryName: UnsafeRawBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))))
            }
        }
    }

    /// Inode of the network namespace `pid` runs in (its main thread's), or nil if unreadable.
    func networkNamespace(of pid: Int32) -> UInt64? {
        ProcFiles.readLink("\(procRoot)/\(pid)/ns/net").flatMap(ProcParsing.namespaceInode(link:))
    }

    /// Name, command line and unit of `pid`; nil when the process is gone.
    func process(_ pid: Int32) -> ListeningProcess? {
        guard let comm = ProcFiles.read("\(procRoot)/\(pid)/comm") else { return nil }
        let cmdline = ProcFiles.read("\(procRoot)/\(pid)/cmdline") ?? []
        let cgroup = ProcFiles.read("\(procRoot)/\(pid)/cgroup").map { String(decoding: $0, as: UTF8.self) }
        return ListeningProcess(pid: pid, name: ProcParsing.commandName(comm), cmdline: ProcParsing.commandLine(cmdline),
                                unit: cgroup.flatMap(ProcParsing.systemdUnit(cgroup:)))
    }
}

/// Small whole-file reads for /proc (sizes are not known in advance: read until EOF).
enum ProcFiles {
    static func read(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n == 0 ? out : (out.isEmpty ? nil : out) }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func readLink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 256)
        let n = readlink(path, &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
