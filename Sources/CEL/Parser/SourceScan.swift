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
}
