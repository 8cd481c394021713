/// Finds the code in expression and template text without parsing it: the parts outside string
/// literals, and the expressions inside a template's `{{ }}`. Validators use it to look for mistakes
/// (such as `{{` in an expression) without mistaking the inside of a quoted string for code.
public enum CELSourceScan {
    /// Calls `body` with each byte range of `bytes[range]` outside string literals, in order.
    public static func forEachCodeRange(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") else {
                index += 1
                continue
            }
            if index > start { body(start..<index) }
            index = endOfStringLiteral(bytes, openingAt: index, raw: isRawPrefix(bytes, before: index, from: range.lowerBound), limit: range.upperBound)
            start = index
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
            guard let close = closingBraces(bytes, from: position + 2) else { return }
            body((position + 2)..<close)
            position = close + 2
        }
    }

    /// The byte offset of the first `{{` outside string literals, if any.
    public static func firstDoubleBrace(inExpression text: String) -> Int? {
        var text = text
        return text.withUTF8(firstDoubleBrace(inExpression:))
    }

    /// `firstDoubleBrace(inExpression:)` over UTF-8 bytes.
    public static func firstDoubleBrace(inExpression bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var found: Int?
        forEachCodeRange(bytes, in: 0..<bytes.count) { range in
            guard found == nil, range.count > 1 else { return }
            for offset in (range.lowerBound + 1)..<range.upperBound
            where bytes[offset] == UInt8(ascii: "{") && bytes[offset - 1] == UInt8(ascii: "{") {
                found = offset - 1
                return
            }
        }
        return found
    }

    /// The offset of the `}}` that closes an interpolation whose expression starts at `start`,
    /// skipping string literals so that `{{ "}}" }}` works.
    static func closingBraces(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                index = endOfStringLiteral(bytes, openingAt: index, raw: isRawPrefix(bytes, before: index, from: start), limit: bytes.count)
                continue
            }
            if byte == UInt8(ascii: "}"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "}") { return index }
            index += 1
        }
        return nil
    }

    /// The offset just past the string literal whose opening quote is at `quote`; `limit` when it
    /// does not close. Triple-quoted literals end at three quotes; raw ones have no escapes.
    static func endOfStringLiteral(_ bytes: UnsafeBufferPointer<UInt8>, openingAt quote: Int, raw: Bool, limit: Int) -> Int {
        let mark = bytes[quote]
        let triple = quote + 2 < limit && bytes[quote + 1] == mark && bytes[quote + 2] == mark
        var index = quote + (triple ? 3 : 1)
        while index < limit {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), !raw {
                index += 2
                continue
            }
            if byte == mark {
                if !triple { return index + 1 }
                if index + 2 < limit, bytes[index + 1] == mark, bytes[index + 2] == mark { return index + 3 }
            }
            index += 1
        }
        return limit
    }

    /// Whether the quote at `quote` opens a raw string: `r"…"`, `R'…'`, `rb"…"`, `br'…'`…
    static func isRawPrefix(_ bytes: UnsafeBufferPointer<UInt8>, before quote: Int, from start: Int) -> Bool {
        var index = quote
        var raw = false
        var prefixLength = 0
        while index > start, prefixLength < 2 {
            let byte = bytes[index - 1] | 0x20
            guard byte == UInt8(ascii: "r") || byte == UInt8(ascii: "b") else { break }
            if byte == UInt8(ascii: "r") { raw = true }
            index -= 1
            prefixLength += 1
        }
        // The prefix must stand alone: in `bar"x"` the letters belong to a name.
        if index > start {
            let before = bytes[index - 1]
            let isNameByte = (before | 0x20 >= UInt8(ascii: "a") && before | 0x20 <= UInt8(ascii: "z"))
                || (before >= UInt8(ascii: "0") && before <= UInt8(ascii: "9")) || before == UInt8(ascii: "_")
            if isNameByte { return false }
        }
        return raw
    }
}
