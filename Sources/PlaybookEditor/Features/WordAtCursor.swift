import Diagnostics

/// The name under the cursor (letters, digits, `_` and `-`) and the text of its line before it.
struct WordAtCursor {
    /// The word's bytes in the file.
    var range: SourceRange
    var text: String
    /// The line's text before the word.
    var lineBefore: String
    /// The line's text after the word.
    var lineAfter: String
    /// Where the line starts.
    var lineStart: Int

    init?(in file: SourceFile, at offset: Int) {
        let lines = YAMLLines(file)
        let line = lines[lines.index(containing: offset)]
        let bytes = file.bytes
        func isWordByte(_ byte: UInt8) -> Bool {
            byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        var start = min(max(offset, line.start), line.end)
        var end = start
        while start > line.start, isWordByte(bytes[start - 1]) { start -= 1 }
        while end < line.end, isWordByte(bytes[end]) { end += 1 }
        guard start < end else { return nil }
        range = SourceRange(start: start, end: end)
        text = String(decoding: bytes[start..<end], as: UTF8.self)
        lineBefore = String(decoding: bytes[line.start..<start], as: UTF8.self)
        lineAfter = String(decoding: bytes[end..<line.end], as: UTF8.self)
        lineStart = line.start
    }

    /// Whether the word is the key of a `key:` line.
    var isKey: Bool {
        let before = lineBefore.drop { $0 == " " || $0 == "-" }
        return before.isEmpty && (lineAfter.hasPrefix(":") && (lineAfter.count == 1 || lineAfter.dropFirst().first == " "))
    }
}
