/// An nf_tables verdict as carried in registers, immediates and verdict maps.
/// Codes mirror the kernel: NF_DROP 0, NF_ACCEPT 1, NF_STOLEN 2, NF_QUEUE 3, NF_REPEAT 4,
/// NFT_CONTINUE -1, NFT_BREAK -2, NFT_JUMP -3, NFT_GOTO -4, NFT_RETURN -5.
public enum Verdict: Sendable, Codable, Hashable, CustomStringConvertible {
    case drop
    case accept
    case stolen
    /// NF_QUEUE, with the queue number encoded in the high 16 bits of the raw code.
    case queue(UInt16)
    case repeat_
    case `continue`
    /// NFT_BREAK: stop evaluating this rule (an expression did not match).
    case `break`
    case jump(String)
    case goto(String)
    case `return`
    /// A code the model does not know; kept so nothing is silently reinterpreted.
    case unknown(Int32)

    public init(code: Int32, chain: String?) {
        switch code {
        case 0: self = .drop
        case 1: self = .accept
        case 2: self = .stolen
        case 4: self = .repeat_
        case -1: self = .continue
        case -2: self = .break
        case -3: self = chain.map { .jump($0) } ?? .unknown(code)
        case -4: self = chain.map { .goto($0) } ?? .unknown(code)
        case -5: self = .return
        default:
            if code & 0xffff == 3 { self = .queue(UInt16(truncatingIfNeeded: UInt32(bitPattern: code) >> 16)) }
            else { self = .unknown(code) }
        }
    }

    public var code: Int32 {
        switch self {
        case .drop: 0
        case .accept: 1
        case .stolen: 2
        case .queue(let n): Int32(bitPattern: UInt32(n) << 16 | 3)
        case .repeat_: 4
        case .continue: -1
        case .break: -2
        case .jump: -3
        case .goto: -4
        case .return: -5
        case .unknown(let c): c
        }
    }

    public var description: String {
        switch self {
        case .drop: "drop"
        case .accept: "accept"
        case .stolen: "stolen"
        case .queue(let n): "queue num \(n)"
        case .repeat_: "repeat"
        case .continue: "continue"
        case .break: "break"
        case .jump(let c): "jump \(c)"
        case .goto(let c): "goto \(c)"
        case .return: "return"
        case .unknown(let c): "verdict(\(c))"
        }
    }
}
