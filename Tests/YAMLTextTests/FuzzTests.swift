import Testing
import TestSupport
@testable import YAMLText

/// Seeded random mutations of the policy files: every result parses or fails with a mark inside
/// the text, and nothing crashes or hangs.
struct FuzzTests {
    static let rounds = 3000
    static let alphabet = Array(":-[]{},'\"#&*!|>? \n\t\r%@`\\x0.~")

    @Test func mutatedPoliciesNeverCrash() throws {
        var random = SplitMix64(state: 20_261_129)
        var parsed = 0, rejected = 0
        // Mostly windows of 1 to 24 lines (a full parse of a policy costs ~5 ms in debug), plus
        // whole files, so a few thousand cases fit the time budget.
        let files = Corpus.policies.map { $0.text.split(separator: "\n", omittingEmptySubsequences: false) }
        for round in 0..<Self.rounds {
            let lines = files[round % files.count]
            let whole = round % 20 == 0
            let first = whole ? 0 : random.below(lines.count)
            let window = lines[first..<(whole ? lines.count : min(lines.count, first + 1 + random.below(24)))]
            var chars = Array(window.joined(separator: "\n"))
            for _ in 0..<(1 + random.below(4)) {
                let i = random.below(chars.count + 1)
                switch random.below(3) {
                case 0 where i < chars.count: chars.remove(at: i)
                case 1: chars.insert(Self.alphabet[random.below(Self.alphabet.count)], at: i)
                default:
                    let j = min(chars.count, i + random.below(8))
                    chars.insert(contentsOf: chars[i..<j], at: i)
                }
            }
            let mutated = String(chars)
            let lineCount = mutated.unicodeScalars.filter { $0 == "\n" || $0 == "\r" }.count + 1
            do {
                _ = try YAMLDocument.parse(mutated)
                parsed += 1
            } catch {
                rejected += 1
                #expect(error.mark.line >= 1 && error.mark.line <= lineCount + 1 && error.mark.column >= 1,
                        "\(error) for \(mutated.debugDescription)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"))
            }
        }
        #expect(parsed + rejected == Self.rounds)
        #expect(parsed > 100 && rejected > 100, "parsed \(parsed), rejected \(rejected)")
    }
}
