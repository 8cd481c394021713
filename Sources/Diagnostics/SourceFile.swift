/// The text of one input file, with the line table needed to turn byte offsets into lines and columns.
///
/// Every position in the program is a UTF-8 byte offset into a `SourceFile`; lines and columns are
/// computed only when a diagnostic is printed.
public final class SourceFile: Sendable {
    /// The path as the user gave it; printed in diagnostics.
    public let path: String
    /// The file's bytes exactly as read.
    public let bytes: [UInt8]
    /// Byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    /// A file from the bytes read from `path`.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 24 + 1)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(index + 1)
        }
        self.lineStarts = starts
    }

    /// A file from text, stored as UTF-8 (for tests and generated input).
    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line and column of a byte offset. Columns count Unicode scalars, so a caret lines up
    /// under non-ASCII text; an offset inside a multi-byte character maps to that character.
    public func location(of offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        let lineIndex = lineIndex(containing: offset)
        // Editors do not show a byte order mark, so columns on the first line start after it.
        let start = lineIndex == 0 ? min(byteOrderMarkLength, offset) : lineStarts[lineIndex]
        // Back up to the first byte of the scalar the offset falls in, then count the scalars before it.
        var scalarStart = offset
        while scalarStart > start, scalarStart < bytes.count, Self.isContinuation(bytes[scalarStart]) { scalarStart -= 1 }
        var column = 1
        for byte in bytes[start..<scalarStart] where !Self.isContinuation(byte) { column += 1 }
        return SourceLocation(offset: offset, line: lineIndex + 1, column: column)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = line == 1 ? min(byteOrderMarkLength, bytes.count) : lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text covered by a range, decoded leniently.
    public func text(in range: SourceRange) -> String {
        let lower = min(max(range.start, 0), bytes.count)
        let upper = min(max(range.end, lower), bytes.count)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// How many lines the file has; text after the last line break counts as a line.
    public var lineCount: Int { lineStarts.count }

    /// Bytes of the UTF-8 byte order marks the file starts with (usually none, rarely more than one).
    public var byteOrderMarkLength: Int {
        var length = 0
        while bytes.count >= length + 3, bytes[length] == 0xEF, bytes[length + 1] == 0xBB, bytes[length + 2] == 0xBF {
            length += 3
        }
        return length
    }

    /// UTF-8 continuation bytes (top bits 10) never start a scalar.
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// The index (from 0) of the line holding byte `offset`.
    public func lineIndex(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// A half-open range of UTF-8 byte offsets in one source file.
public struct SourceRange: Hashable, Sendable, Comparable {
    /// The offset of the first byte.
    public var start: Int
    /// The offset just past the last byte.
    public var end: Int

    /// The bytes from `start` up to `end`; an `end` before `start` gives an empty range.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty range at one offset.
    public static func at(_ offset: Int) -> SourceRange { SourceRange(start: offset, end: offset) }

    /// Whether the range covers no bytes.
    public var isEmpty: Bool { start == end }
    /// How many bytes the range covers.
    public var length: Int { end - start }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    /// Ranges sort by start, then by end.
    public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }
}

/// A printed position: 1-based line and column (in Unicode scalars).
public struct SourceLocation: Hashable, Sendable {
    /// The byte offset the location was computed from.
    public var offset: Int
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int
}
