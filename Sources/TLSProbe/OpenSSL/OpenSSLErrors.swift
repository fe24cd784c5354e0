import COpenSSL
import COpenSSLShim

/// Reads OpenSSL's per-thread error queue. Call right after the failing call, on the same thread
/// and with no suspension point in between (PLATFORM.md).
enum OpenSSLErrors {
    /// All queued errors as short reason texts ("wrong version number"), oldest first, leaving
    /// out those `ignoring` names; clears the queue.
    static func drain(ignoring: (_ code: UInt) -> Bool = { _ in false }) -> [String] {
        var codes: [UInt] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if !ignoring(code) { codes.append(code) }
        }
        guard !codes.isEmpty else { return [] }
        loadReasonTexts
        return codes.map { code in
            if let r = ERR_reason_error_string(code) { return String(cString: r) }
            let text = [CChar](unsafeUninitializedCapacity: 256) { buffer, count in
                ERR_error_string_n(code, buffer.baseAddress, 256)
                count = 256
            }
            return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
    }

    static func drainText(_ fallback: String) -> String {
        let r = drain()
        return r.isEmpty ? fallback : r.joined(separator: "; ")
    }

    /// True for PEM's "no start line", which ends every read of a PEM file at its end.
    static func isPEMNoStartLine(_ code: UInt) -> Bool {
        ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE
    }

    /// libcrypto's and libssl's reason texts, loaded the first time an error is reported rather
    /// than at start-up (`OpenSSLRuntime`): most runs report none.
    private static let loadReasonTexts: Void = pc_load_error_strings()
}
