import Diagnostics
import YAML

/// Maps a position in a scalar's value back to the byte in the file it came from.
///
/// Quoting, escapes, line folding and block indentation make a scalar's value differ from its source
/// text; an expression error at value offset 12 must still be underlined at the right column of the
/// file, also on the second line of a folded scalar.
public struct ScalarSourceMap: Sendable {
    private let source: [UInt8]
    private let value: [UInt8]
    private let start: Int
    private let style: ScalarStyle

    /// The map of a scalar node of `file`.
    public init(node: YAMLNode, file: SourceFile) {
        self.init(source: SourceText(text: node.scalar ?? "", range: node.range, style: node.scalarStyle ?? .plain), file: file)
    }

    /// The map of an expression's or template's text, read from `file`.
    public init(source text: SourceText, file: SourceFile) {
        let lower = min(text.range.start, file.bytes.count)
        let upper = min(max(text.range.end, lower), file.bytes.count)
        self.source = Array(file.bytes[lower..<upper])
        self.value = Array(text.text.utf8)
        self.start = lower
        self.style = text.style
    }

    /// The file offset of the value's byte at `valueOffset`; the end of the scalar for offsets past its end.
    public func sourceOffset(forValueOffset valueOffset: Int) -> Int {
        var sourceIndex = 0
        var valueIndex = 0
        if style == .literal || style == .folded {
            // Skip the block header (`|`, `>-`, `|2` …) and its line break.
            if let newline = source.firstIndex(of: UInt8(ascii: "\n")) { sourceIndex = newline + 1 }
        } else if style.isQuoted {
            sourceIndex = 1
        }
        while valueIndex < valueOffset, valueIndex < value.count, sourceIndex < source.count {
            let byte = source[sourceIndex]
            if style == .doubleQuoted, byte == UInt8(ascii: "\\") {
                let (sourceLength, valueLength) = escapeLengths(at: sourceIndex)
                sourceIndex += sourceLength
                valueIndex += valueLength
                continue
            }
            if style == .singleQuoted, byte == UInt8(ascii: "'"), sourceIndex + 1 < source.count,
               source[sourceIndex + 1] == UInt8(ascii: "'") {
                sourceIndex += 2
                valueIndex += 1
                continue
            }
            if byte == value[valueIndex] {
                sourceIndex += 1
                valueIndex += 1
            } else {
                // Indentation, folded line breaks and quotes exist only in the source.
                sourceIndex += 1
            }
        }
        // Land on the value's character, not on indentation that precedes it.
        if valueIndex < value.count {
            while sourceIndex < source.count, source[sourceIndex] != value[valueIndex],
                  source[sourceIndex] == UInt8(ascii: " ") || source[sourceIndex] == UInt8(ascii: "\n") || source[sourceIndex] == UInt8(ascii: "\r") {
                sourceIndex += 1
            }
        }
        return start + min(sourceIndex, source.count)
    }

    /// Maps a range of the value to a range of the file.
    public func sourceRange(forValueRange range: SourceRange) -> SourceRange {
        let lower = sourceOffset(forValueOffset: range.start)
        let upper = range.isEmpty ? lower : sourceOffset(forValueOffset: range.end - 1) + 1
        return SourceRange(start: lower, end: max(lower, upper))
    }

    /// How many source bytes a double-quoted escape takes, and how many value bytes it produces.
    private func escapeLengths(at index: Int) -> (Int, Int) {
        guard index + 1 < source.count else { return (1, 0) }
        let hexDigits: Int
        switch source[index + 1] {
        case UInt8(ascii: "x"): hexDigits = 2
        case UInt8(ascii: "u"): hexDigits = 4
        case UInt8(ascii: "U"): hexDigits = 8
        case UInt8(ascii: "\n"):
            // A line continuation produces nothing; the next line's indentation is skipped by the caller.
            return (2, 0)
        case UInt8(ascii: "N"), UInt8(ascii: "_"): return (2, 2)
        case UInt8(ascii: "L"), UInt8(ascii: "P"): return (2, 3)
        default: return (2, 1)
        }
        let end = min(index + 2 + hexDigits, source.count)
        let digits = String(decoding: source[(index + 2)..<end], as: UTF8.self)
        let scalar = UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init)
        return (end - index, scalar.map { String($0).utf8.count } ?? 1)
    }
}
