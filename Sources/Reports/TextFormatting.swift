import Glibc

/// The two pieces of Foundation string formatting the renderers need, without Foundation.
enum TextFormatting {
    /// `value` with exactly `digits` decimals, as printf's `%.Nf` writes it (the same rounding of
    /// the binary value, so JUnit/Prometheus figures match what they were with `String(format:)`).
    static func fixed(_ value: Double, digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
        guard written >= 0, Int(written) < buffer.count else { return String(value) }
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `s` cut or space-padded to exactly `width` characters (Foundation's
    /// `padding(toLength:withPad:" ",startingAt:0)`).
    static func column(_ s: String, _ width: Int) -> String {
        s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
    }

    /// RFC 3986 percent-encoding of a path: everything but unreserved characters, sub-delims,
    /// ':', '@' and '/' (what `.urlPathAllowed` kept).
    static func percentEncodedPath(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~!$&'()*+,;=:@/".contains(c) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
