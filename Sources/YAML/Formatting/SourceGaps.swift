import Diagnostics

/// What lies between the nodes of a file: comments and blank lines, which the loader does not keep.
struct SourceGap: Equatable {
    enum Kind: Equatable {
        /// `# text`, kept as written (without trailing blanks). `spacing`: the blanks written before
        /// a comment that follows other text on its line.
        case comment(text: String, followsText: Bool, spacing: Int)
        /// A line holding nothing but blanks.
        case blankLine
    }

    var kind: Kind
    /// Where the comment starts, or where the blank line starts.
    var offset: Int
    /// 1-based line and column of `offset`.
    var line: Int
    var column: Int

    var isComment: Bool {
        if case .comment = kind { return true }
        return false
    }
}

enum SourceGaps {
    /// The comments and blank lines of `file`, in file order. `skipped`: the ranges that are text of
    /// scalars (where `#` is content), sorted by start.
    static func scan(_ file: SourceFile, skipping skipped: [SourceRange]) -> [SourceGap] {
        let bytes = file.bytes
        var gaps: [SourceGap] = []
        var index = file.byteOrderMarkLength
        var lineStart = index
        var next = 0
        var lineHasText = false
        while index < bytes.count {
            while next < skipped.count, skipped[next].end <= index { next += 1 }
            if next < skipped.count, skipped[next].start <= index {
                lineHasText = true
                index = skipped[next].end
                continue
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                if !lineHasText { gaps.append(gap(.blankLine, at: lineStart, in: file)) }
                lineHasText = false
                index += 1
                lineStart = index
                continue
            }
            if byte == UInt8(ascii: "#"), index == lineStart || isBlank(bytes[index - 1]) {
                var end = index
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                var textEnd = end
                while textEnd > index, isBlank(bytes[textEnd - 1]) || bytes[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
                var spacing = 0
                while index - spacing - 1 >= lineStart, isBlank(bytes[index - spacing - 1]) { spacing += 1 }
                let text = String(decoding: bytes[index..<textEnd], as: UTF8.self)
                gaps.append(gap(.comment(text: text, followsText: lineHasText, spacing: max(spacing, 1)), at: index, in: file))
                lineHasText = true
                index = end
                continue
            }
            if !isBlank(byte), byte != UInt8(ascii: "\r") { lineHasText = true }
            index += 1
        }
        return gaps
    }

    private static func gap(_ kind: SourceGap.Kind, at offset: Int, in file: SourceFile) -> SourceGap {
        let location = file.location(of: offset)
        return SourceGap(kind: kind, offset: offset, line: location.line, column: location.column)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
