/// Questions about expression and template text that the lexer answers: where a template's
/// interpolation ends, and whether an expression holds `{{`. Both read tokens as the parser will,
/// so braces inside a string literal are text.
public enum CELSource {
    /// The UTF-8 offset of the first `{{` outside string literals in expression text, if any: two
    /// `{` tokens with nothing between them.
    public static func firstTemplateBrace(in text: String) -> Int? {
        var text = text
        return text.withUTF8(firstTemplateBrace(in:))
    }

    /// `firstTemplateBrace(in:)` over UTF-8 bytes.
    public static func firstTemplateBrace(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        Lexer.firstAdjacentPair(.leftBrace, in: bytes, from: 0)
    }

    /// The offset of the `}}` that closes an interpolation whose expression starts at `start`: the
    /// first two adjacent `}` tokens, so `{{ "}}" }}` closes at the second pair.
    static func closingBraces(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        Lexer.firstAdjacentPair(.rightBrace, in: bytes, from: start)
    }
}

extension Lexer {
    /// The start of the first two `punct` tokens with nothing between them, lexing from `start`.
    static func firstAdjacentPair(_ punct: Punct, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var lexer = Lexer(bytes, from: start)
        var previousEnd: Int?
        while true {
            let token = lexer.next()
            if token.isEnd { return nil }
            guard token.isPunct(punct) else {
                previousEnd = nil
                continue
            }
            if let previousEnd, previousEnd == token.range.start { return token.range.start - 1 }
            previousEnd = token.range.end
        }
    }

    /// Calls `body` with the range of each string or bytes literal (well formed or not) in
    /// `bytes[range]`, in order.
    static func forEachStringLiteral(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        var lexer = Lexer(slice, from: 0)
        while true {
            let token = lexer.next()
            switch token.kind {
            case .end: return
            case .string, .bytes: break
            case .invalid where startsStringLiteral(slice, at: token.range.start): break
            default: continue
            }
            body((range.lowerBound + token.range.start)..<(range.lowerBound + token.range.end))
        }
    }

    /// Whether a quote, or a raw or bytes prefix and a quote, starts at `offset`.
    private static func startsStringLiteral(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        var index = offset
        while index < bytes.count, index - offset <= 2 {
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): return true
            case UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "b"), UInt8(ascii: "B"): index += 1
            default: return false
            }
        }
        return false
    }
}

/// The code in expression and template text, as byte ranges; kept for validators written against it.
public enum CELSourceScan {
    /// Calls `body` with each byte range of `bytes[range]` outside string literals, in order.
    public static func forEachCodeRange(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var start = range.lowerBound
        Lexer.forEachStringLiteral(in: bytes, range) { literal in
            if literal.lowerBound > start { body(start..<literal.lowerBound) }
            start = literal.upperBound
        }
        if range.upperBound > start { body(start..<range.upperBound) }
    }

    /// Calls `body` with the byte range of each expression inside `{{ }}` in template text, in order.
    /// An interpolation without its closing braces ends the scan.
    public static func forEachInterpolation(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var position = 0
        while position + 1 < bytes.count {
            guard bytes[position] == UInt8(ascii: "{"), bytes[position + 1] == UInt8(ascii: "{") else {
                position += 1
                continue
            }
            guard let close = CELSource.closingBraces(bytes, from: position + 2) else { return }
            body((position + 2)..<close)
            position = close + 2
        }
    }
}
