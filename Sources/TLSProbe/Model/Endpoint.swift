/// One thing to probe — by the OpenSSL handshake and by the wire-level scan alike: a host (name,
/// IPv4 or IPv6 literal, resolved with getaddrinfo), a TCP port, and the SNI name to send.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    /// Name sent in the TLS server_name extension and checked against the certificate. When nil,
    /// `host` is used if it is a DNS name; IP literals are never sent as SNI (RFC 6066 §3).
    public var sni: String?

    public init(host: String, port: UInt16, sni: String? = nil) {
        self.host = host
        self.port = port
        self.sni = sni
    }

    /// The name the certificate must match: the SNI name, else the host (a name or an IP literal).
    public var expectedName: String { sni ?? host }

    /// The server_name to send in every hello and handshake: `sni`, else `host` when it is a
    /// name; nil for IP literals without an explicit SNI.
    public var serverNameToSend: String? {
        if let sni, !sni.isEmpty { return sni }
        return TCPTransport.isIPLiteral(host) ? nil : host
    }

    /// Parses `HOST:PORT`, `[V6]:PORT`. Returns nil for anything else (bare IPv6 without brackets,
    /// missing or out-of-range port, empty host).
    public static func parse(_ text: String, sni: String? = nil) -> Endpoint? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard host.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }),
              let port = UInt16(portText), port > 0 else { return nil }
        return Endpoint(host: String(host), port: port, sni: sni)
    }

    /// `host:port`, with brackets around IPv6 literals.
    public var display: String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { display }
}
