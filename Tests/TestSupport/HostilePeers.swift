import Foundation
import CNetfilter

/// Peers that misbehave on purpose, to prove a scanner ends every connection within its
/// deadline with an error instead of hanging, bloating or crashing.
public final class HostilePeer: @unchecked Sendable {
    public enum Behavior: String, Sendable, CaseIterable {
        /// Answers the hello with non-TLS bytes (an HTTP error page).
        case garbage
        /// Sends an SSH banner as soon as the connection opens.
        case banner
        /// Resets the connection after reading the hello.
        case resetAfterHello
        /// Sends the first half of a ServerHello record, then resets.
        case resetMidHandshake
        /// Reads the hello and never answers.
        case silence
        /// Sends a plausible ServerHello one byte per second.
        case trickle
        /// Declares a maximal record and streams 10 MB of handshake bytes.
        case oversizedRecord
        /// Valid records carrying a handshake message that claims 16 MB, streamed up to 10 MB.
        case hugeHandshakeMessage
        /// Sends a valid record header with an invalid content type and random bytes.
        case randomRecords
    }

    public let behavior: Behavior
    private let listener: WireLoopbackListener
    public var port: UInt16 { listener.port }
    public var host: String { listener.host }
    public var connections: Int { listener.accepted }

    public init(_ behavior: Behavior, host: String = "127.0.0.1") throws {
        self.behavior = behavior
        listener = try WireLoopbackListener(host: host) { fd, _, isStopped in
            HostilePeer.serve(fd, behavior, isStopped)
        }
    }

    public func stop() { listener.stop() }

    static func readHello(_ fd: Int32) {
        _ = WireLoopbackListener.readUntil(fd) { b in
            guard b.count >= 2 else { return false }
            if b[0] & 0x80 != 0 { return b.count >= 2 + (Int(b[0] & 0x7f) << 8 | Int(b[1])) }
            return b.count >= 5 && b.count >= 5 + (Int(b[3]) << 8 | Int(b[4]))
        }
    }

    static func serve(_ fd: Int32, _ behavior: Behavior, _ isStopped: @Sendable () -> Bool) {
        switch behavior {
        case .banner:
            WireLoopbackListener.write(fd, Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8))
            _ = WireLoopbackListener.read(fd)
        case .garbage:
            readHello(fd)
            WireLoopbackListener.write(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
            _ = WireLoopbackListener.read(fd)
        case .resetAfterHello:
            readHello(fd)
            WireLoopbackListener.reset(fd)
        case .resetMidHandshake:
            readHello(fd)
            WireLoopbackListener.write(fd, [22, 3, 3, 0, 80, 2, 0, 0, 76, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8])
            usleep(50_000)
            WireLoopbackListener.reset(fd)
        case .silence:
            readHello(fd)
            while !isStopped() {
                let chunk = WireLoopbackListener.read(fd)
                if chunk.isEmpty { break }
            }
        case .trickle:
            readHello(fd)
            var sh: [UInt8] = [2, 0, 0, 70, 3, 3] + [UInt8](repeating: 7, count: 32) + [0, 0xC0, 0x2F, 0]
            sh += [UInt8](repeating: 0, count: 74 - sh.count)
            let record: [UInt8] = [22, 3, 3, 0, UInt8(sh.count)] + sh
            for b in record {
                if isStopped() || !WireLoopbackListener.write(fd, [b]) { return }
                sleep(1)
            }
        case .oversizedRecord:
            readHello(fd)
            WireLoopbackListener.write(fd, [22, 3, 3, 0xFF, 0xFF])
            streamJunk(fd, total: 10 << 20, isStopped)
        case .hugeHandshakeMessage:
            readHello(fd)
            // One handshake header claiming 16 MB, then full 16 KB records of filler.
            var first: [UInt8] = [11, 0xFF, 0xFF, 0xFF]
            first += [UInt8](repeating: 0xAB, count: 16_384 - 4)
            guard WireLoopbackListener.write(fd, [22, 3, 3, 0x40, 0x00] + first) else { return }
            let record: [UInt8] = [22, 3, 3, 0x40, 0x00] + [UInt8](repeating: 0xAB, count: 16_384)
            var sent = 0
            while sent < 10 << 20 && !isStopped() {
                if !WireLoopbackListener.write(fd, record) { return }
                sent += record.count
            }
        case .randomRecords:
            readHello(fd)
            var g = SystemRandomNumberGenerator()
            let junk = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
            WireLoopbackListener.write(fd, [99, 3, 3, 0x10, 0x00] + junk)
            _ = WireLoopbackListener.read(fd)
        }
    }

    static func streamJunk(_ fd: Int32, total: Int, _ isStopped: @Sendable () -> Bool) {
        let chunk = [UInt8](repeating: 0x5A, count: 65_536)
        var sent = 0
        while sent < total && !isStopped() {
            if !WireLoopbackListener.write(fd, chunk) { return }
            sent += chunk.count
        }
    }
}
