/// Names the service behind a non-TLS, non-HTTP port from the first bytes it sends (or the reply
/// to an HTTP request it did not understand).
public enum BannerClassifier {
    public static func classify(_ bytes: [UInt8]) -> ProbeResult.Banner {
        guard !bytes.isEmpty else { return .init(kind: "silent", text: "") }
        let firstLine = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        let text = String(firstLine.prefix(120).map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "." })
        let upper = text.uppercased()
        let kind: String
        if text.hasPrefix("SSH-") {
            kind = "ssh"
        } else if text.hasPrefix("HTTP/") {
            kind = "http"
        } else if text.hasPrefix("220") || text.hasPrefix("421") || text.hasPrefix("554") {
            kind = upper.contains("FTP") ? "ftp" : (upper.contains("SMTP") || upper.contains("MAIL") || upper.contains("POSTFIX") || upper.contains("EXIM")) ? "smtp" : "smtp-or-ftp"
        } else if text.hasPrefix("+OK") {
            kind = "pop3"
        } else if text.hasPrefix("* OK") || text.hasPrefix("* PREAUTH") {
            kind = "imap"
        } else if bytes.count >= 5, bytes[3] == 0, bytes[4] == 0x0A {
            kind = "mysql"
        } else if text.hasPrefix("-ERR") || text.hasPrefix("+PONG") {
            kind = "redis"
        } else {
            kind = "unknown"
        }
        return .init(kind: kind, text: text)
    }
}
