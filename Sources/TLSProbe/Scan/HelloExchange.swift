import FoundationEssentials
import Glibc
import CNetfilter
import TLSWire

/// What one connection carrying one hello produced.
public enum HelloOutcome: Sendable, Equatable {
    /// A TLS ServerHello or HelloRetryRequest, with what followed it in the same flight.
    case serverHello(ServerFlightSummary)
    /// An SSLv2 SERVER-HELLO.
    case sslv2ServerHello(SSLv2.ServerHello)
    /// The server said no: an alert, an SSLv2 ERROR, a close or a reset before any ServerHello.
    case rejected(Rejection)
    /// The exchange itself failed (connect error, timeout, garbage, limits): no answer to use.
    case failed(ExchangeFailure)
}

/// How a server refused a hello. Scanners treat all of these as "not accepted", and keep the
/// detail because what servers send differs (PLATFORM.md: TLS 1.0 hellos to TLS 1.2+ servers
/// draw protocol_version from some and internal_error from others).
public enum Rejection: Sendable, Equatable, CustomStringConvertible {
    case alert(Alert)
    case sslv2Error(code: UInt16)
    /// Orderly close (FIN) without any answer.
    case closed
    /// TCP reset without any answer.
    case reset

    public var description: String {
        switch self {
        case .alert(let a): a.description
        case .sslv2Error(let c): SSLv2.errorName(c)
        case .closed: "connection closed without answer"
        case .reset: "connection reset without answer"
        }
    }

    public var alertCode: UInt8? { if case .alert(let a) = self { a.code } else { nil } }
}

/// Why an exchange produced no usable answer.
public struct ExchangeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// Worth retrying (timeouts, transient socket errors); a refused port or garbage is not.
    public var transient: Bool
    /// The failure came from the peer's bytes (not TLS, malformed), as opposed to the network.
    public var peerSentGarbage: Bool

    public init(reason: String, transient: Bool, peerSentGarbage: Bool = false) {
        self.reason = reason
        self.transient = transient
        self.peerSentGarbage = peerSentGarbage
    }

    public var description: String { reason }
}

/// The server's answer to a TLS hello: the ServerHello and, for TLS ≤ 1.2 when asked for, the
/// key exchange and certificate facts from the rest of the flight.
public struct ServerFlightSummary: Sendable, Equatable {
    public var serverHello: ServerHello
    public var keyExchange: ServerKeyExchangeInfo?
    public var certificateSizes: [Int]?
    /// Why the rest of the flight is missing, when it was wanted but not read.
    public var flightNote: String?
}

/// One connection: connect, send a hello, read the answer, close. Blocking; run it on a thread
/// that may block (the scanner uses a GCD global queue), never on the cooperative pool.
public enum HelloExchange {
    /// Sends `hello` to `target` and reads until the answer is known, within `timeout` seconds
    /// for the whole exchange (and never after `deadline`).
    /// - Parameter readKeyExchange: for TLS ≤ 1.2, keep reading after the ServerHello until the
    ///   ServerKeyExchange or ServerHelloDone (needed for DH sizes and ECDHE curves).
    public static func perform(target: Endpoint, hello: [UInt8], timeout: Double, deadline: Deadline,
                               readKeyExchange: Bool, limits: ServerFlightReader.Limits = .init(),
                               onConnected: () -> Void = {}) -> HelloOutcome {
        let limit = deadline.capped(seconds: timeout)
        let transport: TCPTransport
        do {
            transport = try TCPTransport.connect(host: target.host, port: target.port, connectTimeout: timeout, deadline: limit)
        } catch {
            return .failed(failure(error))
        }
        onConnected()
        defer { transport.close() }
        do {
            try transport.send(hello, deadline: limit)
        } catch {
            // A server may slam the door while we are still writing: that is its answer.
            if case .reset = error { return .rejected(.reset) }
            return .failed(failure(error))
        }
        var reader = ServerFlightReader(limits: limits)
        var hello: ServerHello?
        var certificateSizes: [Int]?
        while true {
            do {
                while let message = try reader.next() {
                    switch message {
                    case .handshake(let type, let body):
                        if hello == nil {
                            guard type == HandshakeType.serverHello.rawValue else {
                                if type == HandshakeType.helloRequest.rawValue { continue }
                                return .failed(ExchangeFailure(reason: "expected ServerHello, got handshake message type \(type)",
                                                               transient: false, peerSentGarbage: true))
                            }
                            let sh = try ServerHello.parse(body)
                            if sh.isHelloRetryRequest || sh.negotiatedVersion >= 0x0304 || !readKeyExchange {
                                return .serverHello(ServerFlightSummary(serverHello: sh))
                            }
                            hello = sh
                            continue
                        }
                        switch type {
                        case HandshakeType.certificate.rawValue:
                            certificateSizes = try CertificateMessage.parse(body).sizes
                        case HandshakeType.serverKeyExchange.rawValue:
                            let sh = hello!
                            guard let suite = CipherSuiteRegistry.suite(tls: sh.cipherSuite) else {
                                return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes,
                                                                        flightNote: "ServerKeyExchange for unknown suite"))
                            }
                            let info = try? ServerKeyExchangeInfo.parse(body, keyExchange: suite.keyExchange)
                            return .serverHello(ServerFlightSummary(serverHello: sh, keyExchange: info, certificateSizes: certificateSizes,
                                                                    flightNote: info == nil ? "malformed ServerKeyExchange" : nil))
                        case HandshakeType.serverHelloDone.rawValue:
                            return .serverHello(ServerFlightSummary(serverHello: hello!, certificateSizes: certificateSizes))
                        default:
                            continue // CertificateStatus, CertificateRequest…
                        }
                    case .alert(let alert):
                        if let sh = hello {
                            return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes,
                                                                    flightNote: "flight ended with \(alert)"))
                        }
                        if !alert.isFatal && alert.code != Alert.closeNotify { continue }
                        return .rejected(.alert(alert))
                    case .changeCipherSpec:
                        continue
                    case .opaque(let type, _):
                        if let sh = hello { return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes)) }
                        return .failed(ExchangeFailure(reason: "record type \(type) before ServerHello", transient: false, peerSentGarbage: true))
                    case .sslv2ServerHello(let s):
                        return .sslv2ServerHello(s)
                    case .sslv2Error(let code):
                        return .rejected(.sslv2Error(code: code))
                    }
                }
            } catch {
                if let sh = hello {
                    return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes, flightNote: error.description))
                }
                return .failed(ExchangeFailure(reason: error.description, transient: false, peerSentGarbage: true))
            }
            let chunk: [UInt8]
            do {
                chunk = try transport.receive(maximum: 16_384 + 5, deadline: limit)
            } catch {
                if let sh = hello {
                    return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes, flightNote: error.description))
                }
                if case .reset = error, reader.totalBytes == 0 { return .rejected(.reset) }
                if case .timeout = error, reader.totalBytes > 0 {
                    return .failed(ExchangeFailure(reason: "incomplete answer (\(reader.totalBytes) bytes) before the \(timeout)s deadline",
                                                   transient: true))
                }
                return .failed(failure(error))
            }
            if chunk.isEmpty {
                if let sh = hello {
                    return .serverHello(ServerFlightSummary(serverHello: sh, certificateSizes: certificateSizes, flightNote: "closed before ServerHelloDone"))
                }
                if reader.totalBytes == 0 { return .rejected(.closed) }
                return .failed(ExchangeFailure(reason: "connection closed inside a record (\(reader.totalBytes) bytes received)",
                                               transient: false, peerSentGarbage: true))
            }
            do {
                try reader.append(chunk)
            } catch {
                return .failed(ExchangeFailure(reason: error.description, transient: false, peerSentGarbage: true))
            }
        }
    }

    static func failure(_ error: TransportError) -> ExchangeFailure {
        switch error {
        case .timeout, .system: ExchangeFailure(reason: error.description, transient: true)
        case .reset: ExchangeFailure(reason: error.description, transient: true)
        default: ExchangeFailure(reason: error.description, transient: false)
        }
    }
}
