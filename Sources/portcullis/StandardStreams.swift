import Glibc

/// Whole-text writes to stdout and stderr with `write(2)`: what FileHandle did, without
/// Foundation (which this binary does not link, for start-up time).
enum StandardStreams {
    static func out(_ text: String) { write(Array(text.utf8), to: STDOUT_FILENO) }
    static func out(_ bytes: some Sequence<UInt8>) { write(Array(bytes), to: STDOUT_FILENO) }
    static func err(_ text: String) { write(Array(text.utf8), to: STDERR_FILENO) }

    /// Retries short writes and EINTR; any other error (a closed pipe) ends the write silently,
    /// as the reader is gone and the exit code still tells the outcome.
    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// Columns of the tables `policy list` and `listeners` print.
enum TableText {
    /// `s` cut or space-padded to exactly `width` characters.
    static func column(_ s: String, _ width: Int) -> String {
        s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
    }
}
