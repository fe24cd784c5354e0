import NftModel

/// The symbolic quantities of a summary: the remote (client) address and the name of the
/// interface the connection comes in on (16 NUL-padded bytes, read as a 128-bit number).
enum Variable: UInt8, Sendable, Hashable {
    case client, interface
}

/// One byte of the kernel's register file (or of a packet field) as the evaluator knows it.
enum Cell: Sendable, Hashable {
    /// A byte whose value is the same for every packet on the path.
    case byte(UInt8)
    /// Byte `index` of a symbolic variable, ANDed with `mask`; a concrete flow narrows the
    /// variable to a single value.
    case sym(Variable, index: UInt8, mask: UInt8)
    /// A byte the evaluator cannot know for this flow (index into `RegisterFile.reasons`).
    case unknown(UInt16)
}

/// The 80-byte `struct nft_regs` data area (16 verdict bytes, then NFT_REG32_00…15; the legacy
/// 16-byte NFT_REG_1…4 alias it), addressed by `Register.byteOffset`, holding `Cell`s.
struct RegisterFile: Sendable, Hashable {
    static let size = 80
    var cells: [Cell]
    /// Why each `.unknown` cell is unknown ("meta cpu", "payload link offset 6", …).
    var reasons: [String]

    init() {
        reasons = ["uninitialised register"]
        cells = Array(repeating: .unknown(0), count: RegisterFile.size)
    }

    mutating func reason(_ text: String) -> UInt16 {
        if let i = reasons.firstIndex(of: text) { return UInt16(i) }
        reasons.append(text)
        return UInt16(reasons.count - 1)
    }

    mutating func unknownCells(_ count: Int, _ why: String) -> [Cell] {
        let r = reason(why)
        return Array(repeating: .unknown(r), count: count)
    }

    /// Stores `values` at `register`, zero-padding to the next 4-byte boundary as the kernel's
    /// loads do (which is what makes concatenated keys line up). Returns false for a bad register.
    @discardableResult
    mutating func write(_ register: Register, _ values: [Cell]) -> Bool {
        guard let start = register.byteOffset else { return false }
        let padded = (values.count + 3) / 4 * 4
        guard start + padded <= RegisterFile.size else { return false }
        for i in 0..<padded { cells[start + i] = i < values.count ? values[i] : .byte(0) }
        return true
    }

    func read(_ register: Register, _ length: Int) -> [Cell]? {
        guard let start = register.byteOffset, length >= 0, start + length <= RegisterFile.size else { return nil }
        return Array(cells[start..<(start + length)])
    }

    /// Why `cells` cannot be evaluated, if any of them is unknown.
    func unknownReason(_ cells: [Cell]) -> String? {
        for c in cells { if case .unknown(let r) = c { return reasons[Int(r)] } }
        return nil
    }

    static func concrete(_ cells: [Cell]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(cells.count)
        for c in cells {
            guard case .byte(let b) = c else { return nil }
            out.append(b)
        }
        return out
    }

    static func bytes(_ b: [UInt8]) -> [Cell] { b.map { .byte($0) } }
}
