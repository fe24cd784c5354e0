/// An nf_tables register number as the kernel encodes it: NFT_REG_VERDICT (0), the legacy
/// 16-byte NFT_REG_1…4 (1…4) and the 4-byte NFT_REG32_00…15 (8…23). All of them alias one
/// 80-byte register file, so the evaluator works with byte offsets.
public struct Register: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ raw: UInt32) { self.rawValue = raw }

    public static let verdict = Register(0)

    /// Offset of this register in the kernel's `struct nft_regs` data area (16 verdict bytes first).
    public var byteOffset: Int? {
        switch rawValue {
        case 0: return 0
        case 1...4: return Int(rawValue) * 16
        case 8...23: return 16 + Int(rawValue - 8) * 4
        default: return nil
        }
    }

    public var description: String { "reg \(rawValue)" }
}
