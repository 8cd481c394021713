import CEL
import Testing

/// `trim()`, `lowerAscii()` and `upperAscii()` work on bytes where they can; they must answer as
/// the definitions by code point do, on every mix of ASCII and other white space, letters and
/// characters, at either end, in strings stored inline and in buffers of their own.
@Suite struct TrimAndCaseTests {
    static let pieces = [
        " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{3000}",
        "a", "Z", "m", "\u{E9}", "\u{DF}", "\u{4E2D}", "\u{1F642}", "@", "[", "`", "{", "0", "a much longer run of text than fifteen bytes",
    ]

    /// Strings of up to seven pieces, drawn by a seeded generator so that every run checks the same ones.
    static func samples() -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return [""] + (0..<3000).map { _ in (0..<next(8)).map { _ in pieces[next(pieces.count)] }.joined() }
    }

    static func trimmedByCodePoint(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    static func switchedByByte(_ text: String, from first: UInt8) -> String {
        String(decoding: text.utf8.map { (first...first + 25).contains($0) ? $0 ^ 0x20 : $0 }, as: UTF8.self)
    }

    @Test func trimAndCaseChangesAnswerAsTheirDefinitionsDo() {
        var checked = 0
        for text in Self.samples() {
            let variables: [String: CELValue] = ["s": .string(text)]
            let expectations = [
                ("s.trim()", Self.trimmedByCodePoint(text)),
                ("s.lowerAscii()", Self.switchedByByte(text, from: UInt8(ascii: "A"))),
                ("s.upperAscii()", Self.switchedByByte(text, from: UInt8(ascii: "a"))),
            ]
            for (expression, expected) in expectations {
                guard case .string(let answer) = evaluate(expression, variables) else {
                    Issue.record("\(expression) gave no string for \(text.debugDescription)")
                    continue
                }
                #expect(answer.hasSameBytes(as: expected), "\(expression) of \(text.debugDescription) gave \(answer.debugDescription)")
                checked += 1
            }
        }
        #expect(checked == 3 * 3001)
    }
}
