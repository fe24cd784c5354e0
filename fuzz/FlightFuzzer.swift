// libFuzzer entry point for the TLSWire server-flight reader and message parsers.
// Built together with Sources/TLSWire by fuzz/run.sh (see its header).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    // Feed in two uneven pieces so record reassembly across reads is exercised too.
    let split = input.isEmpty ? 0 : Int(input[0]) % (input.count + 1)
    var reader = ServerFlightReader(limits: .init(maxFlightBytes: 64 * 1024, maxHandshakeMessage: 32 * 1024))
    do {
        for piece in [Array(input[0..<split]), Array(input[split...])] {
            try reader.append(piece)
            while let message = try reader.next() {
                if case .handshake(let type, let body) = message {
                    switch type {
                    case 2: _ = try? ServerHello.parse(body)
                    case 11: _ = try? CertificateMessage.parse(body)
                    case 12:
                        for kx in [KeyExchange.dhe, .ecdhe, .dhePSK, .ecdhePSK, .rsa] { _ = try? ServerKeyExchangeInfo.parse(body, keyExchange: kx) }
                    default: break
                    }
                }
            }
        }
    } catch {
        // Typed parse errors are the expected outcome for most inputs.
    }
    _ = try? ServerHello.parse(input)
    _ = try? SSLv2.parseServerHello(input)
    return 0
}
