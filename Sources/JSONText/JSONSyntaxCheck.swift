/// Finds where a JSON text first breaks the grammar (RFC 8259).
///
/// `JSONDecoder` says only "The given data was not valid JSON"; a person fixing a file needs the
/// line and column. This walks the text once on the error path, with an explicit stack instead of
/// recursion so a hostile `[[[[…` cannot exhaust the thread's stack.
public enum JSONSyntaxCheck {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line and column (columns count bytes).
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    /// nil when `bytes` is one valid JSON value (surrounded by optional whitespace).
    public static func firstProblem<Bytes: Collection>(in bytes: Bytes) -> Problem? where Bytes.Element == UInt8 {
        var scanner = Scanner(Array(bytes))
        return scanner.run()
    }

    private enum Container { case array, object }

    private struct Scanner {
        let text: [UInt8]
        var at = 0

        init(_ text: [UInt8]) { self.text = text }

        mutating func run() -> Problem? {
            var stack: [Container] = []
            skipSpace()
            if at == text.count { return problem("no JSON value (empty input)") }
            // Each turn reads one value, then closes as many containers as the text closes.
            while true {
                skipSpace()
                guard at < text.count else { return problem("unexpected end of input, expected a value") }
                switch text[at] {
                case UInt8(ascii: "["):
                    at += 1
                    skipSpace()
                    if at < text.count, text[at] == UInt8(ascii: "]") { at += 1; break }
                    stack.append(.array)
                    continue
                case UInt8(ascii: "{"):
                    at += 1
                    skipSpace()
                    if at < text.count, text[at] == UInt8(ascii: "}") { at += 1; break }
                    stack.append(.object)
                    if let p = key() { return p }
                    continue
                default:
                    if let p = scalar() { return p }
                }
                // After a value: a separator, a closer, or the end.
                while true {
                    skipSpace()
                    guard let top = stack.last else {
                        return at == text.count ? nil : problem("unexpected \(shown(text[at])) after the JSON value")
                    }
                    guard at < text.count else {
                        return problem("unexpected end of input, expected ',' or '\(top == .array ? "]" : "}")'")
                    }
                    let c = text[at]
                    if c == UInt8(ascii: ",") {
                        at += 1
                        if top == .object { skipSpace(); if let p = key() { return p } }
                        break
                    }
                    if (top == .array && c == UInt8(ascii: "]")) || (top == .object && c == UInt8(ascii: "}")) {
                        at += 1
                        stack.removeLast()
                        continue
                    }
                    return problem("unexpected \(shown(c)), expected ',' or '\(top == .array ? "]" : "}")'")
                }
            }
        }

        /// `"name" :` inside an object.
        mutating func key() -> Problem? {
            guard at < text.count, text[at] == UInt8(ascii: "\"") else {
                return at < text.count ? problem("unexpected \(shown(text[at])), expected a quoted key") : problem("unexpected end of input, expected a quoted key")
            }
            if let p = string() { return p }
            skipSpace()
            guard at < text.count, text[at] == UInt8(ascii: ":") else {
                return at < text.count ? problem("unexpected \(shown(text[at])), expected ':'") : problem("unexpected end of input, expected ':'")
            }
            at += 1
            return nil
        }

        mutating func scalar() -> Problem? {
            let c = text[at]
            switch c {
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return problem("unexpected \(shown(c)), expected a value")
            }
        }

        mutating func literal(_ word: String) -> Problem? {
            for expected in word.utf8 {
                guard at < text.count, text[at] == expected else { return problem("invalid literal, expected '\(word)'") }
                at += 1
            }
            return nil
        }

        mutating func number() -> Problem? {
            let start = at
            if text[at] == UInt8(ascii: "-") { at += 1 }
            guard at < text.count, isDigit(text[at]) else { return problem("invalid number") }
            if text[at] == UInt8(ascii: "0") {
                at += 1
                if at < text.count, isDigit(text[at]) { return problem("invalid number (leading zero)") }
            } else {
                while at < text.count, isDigit(text[at]) { at += 1 }
            }
            if at < text.count, text[at] == UInt8(ascii: ".") {
                at += 1
                guard at < text.count, isDigit(text[at]) else { return problem("invalid number (no digit after '.')") }
                while at < text.count, isDigit(text[at]) { at += 1 }
            }
            if at < text.count, text[at] == UInt8(ascii: "e") || text[at] == UInt8(ascii: "E") {
                at += 1
                if at < text.count, text[at] == UInt8(ascii: "+") || text[at] == UInt8(ascii: "-") { at += 1 }
                guard at < text.count, isDigit(text[at]) else { return problem("invalid number (no exponent digits)") }
                while at < text.count, isDigit(text[at]) { at += 1 }
            }
            precondition(at > start)
            return nil
        }

        mutating func string() -> Problem? {
            at += 1  // opening quote
            while at < text.count {
                let c = text[at]
                switch c {
                case UInt8(ascii: "\""):
                    at += 1
                    return nil
                case UInt8(ascii: "\\"):
                    at += 1
                    guard at < text.count else { break }
                    switch text[at] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        at += 1
                    case UInt8(ascii: "u"):
                        at += 1
                        for _ in 0..<4 {
                            guard at < text.count, isHexDigit(text[at]) else { return problem("invalid \\u escape in a string") }
                            at += 1
                        }
                    default:
                        return problem("invalid escape \\\(shown(text[at])) in a string")
                    }
                case 0..<0x20:
                    return problem("unescaped control character in a string")
                default:
                    at += 1
                }
            }
            return problem("unterminated string")
        }

        mutating func skipSpace() {
            while at < text.count, text[at] == 0x20 || text[at] == 0x0A || text[at] == 0x0D || text[at] == 0x09 { at += 1 }
        }

        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        func isHexDigit(_ c: UInt8) -> Bool {
            isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
        }

        func shown(_ c: UInt8) -> String {
            c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }

        /// The problem at the current offset, as line and column.
        func problem(_ message: String) -> Problem {
            var line = 1, column = 1
            for byte in text[..<min(at, text.count)] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            }
            return Problem(line: line, column: column, message: message)
        }
    }
}
