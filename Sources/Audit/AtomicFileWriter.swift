import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Writes report files so a reader (node_exporter's textfile collector, a CI uploader) never sees
/// a half-written file: write a temporary file in the same directory, fsync, rename over the target.
public enum AtomicFileWriter {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public static func write(_ text: String, to path: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var info = stat()
        guard stat(dir, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Failure(path: path, reason: "no such directory \(dir)")
        }
        let tmp = "\(dir)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd); unlink(tmp)
                throw Failure(path: path, reason: String(cString: strerror(e)))
            }
            written += n
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            let e = errno
            unlink(tmp)
            throw Failure(path: path, reason: String(cString: strerror(e)))
        }
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw Failure(path: path, reason: String(cString: strerror(e)))
        }
    }
}
