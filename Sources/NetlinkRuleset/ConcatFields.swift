/// Field lengths of a concatenated set key when the kernel has none on record.
///
/// The kernel keeps NFTA_SET_DESC_CONCAT only for sets that need it (interval concatenations);
/// a hash set of `ipv4_addr . inet_service` arrives with just an 8-byte key. nft packs the key's
/// datatype ids 6 bits per field into NFTA_SET_KEY_TYPE (`7 << 6 | 13`), so the fields are
/// recovered from those ids — but only when every id has a known fixed length and the padded
/// lengths add up to the key length; otherwise nothing is guessed.
enum ConcatFields {
    /// nft datatype id → value length in bytes (src/datatype.h, fixed-size types only).
    static let datatypeLengths: [UInt32: Int] = [
        2: 1, 7: 4, 8: 16, 9: 6, 10: 2, 12: 1, 13: 2, 14: 1, 19: 4, 20: 4, 24: 4, 25: 4, 26: 4, 29: 1,
        31: 1, 35: 4, 36: 1, 38: 4, 41: 16,
    ]

    static func infer(keyType: UInt32, keyLength: Int) -> [Int]? {
        guard keyType > 0x3f else { return nil }
        var ids: [UInt32] = []
        var t = keyType
        while t > 0 {
            ids.insert(t & 0x3f, at: 0)
            t >>= 6
        }
        var lengths: [Int] = []
        for id in ids {
            guard let len = datatypeLengths[id] else { return nil }
            lengths.append(len)
        }
        guard lengths.count > 1, lengths.reduce(0, { $0 + ($1 + 3) / 4 * 4 }) == keyLength else { return nil }
        return lengths
    }
}
