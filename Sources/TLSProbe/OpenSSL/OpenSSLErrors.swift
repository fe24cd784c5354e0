import COpenSSL

/// Reads OpenSSL's per-thread error queue. Call right after the failing call, on the same thread
/// and with no suspension point in between (PLATFORM.md).
enum OpenSSLErrors {
    /// All queued errors as short reason texts ("wrong version number"), oldest first; clears the queue.
    static func drain() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let r = ERR_reason_error_string(code) {
                reasons.append(String(cString: r))
            } else {
                let text = [CChar](unsafeUninitializedCapacity: 256) { buffer, count in
                    ERR_error_string_n(code, buffer.baseAddress, 256)
                    count = 256
                }
                reasons.append(text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            }
        }
        return reasons
    }

    static func drainText(_ fallback: String) -> String {
        let r = drain()
        return r.isEmpty ? fallback : r.joined(separator: "; ")
    }
}
