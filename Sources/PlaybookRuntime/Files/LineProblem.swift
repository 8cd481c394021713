import PlaybookLanguage

/// Why a line of a file (a CSV row) did not become a record. Found where the line is read, worded
/// here, with columns counted only when the reason is written.
enum LineProblem: Error {
    /// JSON that breaks the grammar: what was expected, at a byte offset into the line.
    case syntax(String, at: Int)
    /// Bytes that are not UTF-8, at a byte offset into the line.
    case invalidUTF8(at: Int)
    /// A `\u` escape of half a surrogate pair.
    case loneSurrogate(at: Int)
    /// Arrays and objects nested deeper than the limit.
    case tooDeep(limit: Int)
    /// A number beyond the range of a double (`1e400`).
    case numberOutOfRange(String)
    /// A line of JSON that is not an object.
    case notAnObject
    /// An object naming a key twice.
    case repeatedKey(String)
    /// A line or row longer than the limit.
    case tooLong(limit: Int)
    /// A declared field whose value is not of its type.
    case fieldType(field: String, expected: ValueType, value: String)
    /// A CSV row with a different number of values than the header (or the first row).
    case columnCount(values: Int, expected: Int, fromHeader: Bool)
    /// A CSV quoted value still open at the end of the file.
    case unterminatedQuote
    /// A quote inside a CSV value that does not start with one.
    case strayQuote(at: Int)
    /// Text after the closing quote of a CSV value.
    case textAfterQuote(at: Int)

    /// The reason for people; `line` is the line's bytes, to turn offsets into columns.
    func reason(in line: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .syntax(let expected, let offset): "\(expected), at column \(Self.column(of: offset, in: line))"
        case .invalidUTF8(let offset): "invalid UTF-8 at column \(Self.column(of: offset, in: line))"
        case .loneSurrogate(let offset): "a \\u escape at column \(Self.column(of: offset, in: line)) is half of a surrogate pair"
        case .tooDeep(let limit): "arrays and objects nested more than \(limit) deep"
        case .numberOutOfRange(let text): "the number \(text) is too large for a double"
        case .notAnObject: "a line must hold one JSON object"
        case .repeatedKey(let key): "the key \(JSONText.string(.string(Self.cut(key)))) appears twice"
        case .tooLong(let limit): "longer than " + (limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes")
        case .fieldType(let field, let expected, let value): "field '\(field)' expects \(Self.describe(expected)), got \(value)"
        case .columnCount(let values, let expected, let fromHeader):
            "\(values) \(values == 1 ? "value" : "values") but " + (fromHeader ? "the header has \(expected) columns" : "the first row has \(expected)")
        case .unterminatedQuote: "a quoted value is not closed before the end of the file"
        case .strayQuote(let offset): "a quote inside a value that does not start with one, at column \(Self.column(of: offset, in: line))"
        case .textAfterQuote(let offset): "text after the closing quote of a value, at column \(Self.column(of: offset, in: line))"
        }
    }

    /// The 1-based column of a byte offset, counting characters (code points) before it.
    static func column(of offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        for index in 0..<min(offset, line.count) where line[index] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// A type as a marketer reads it: `an int`, `a list(int)`.
    static func describe(_ type: ValueType) -> String {
        switch type {
        case .int: "an int"
        case .object: "a record"
        default: "a " + type.description
        }
    }

    /// Text cut to about 100 characters, for values quoted in reasons.
    static func cut(_ text: String) -> String {
        guard text.unicodeScalars.count > 100 else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(100))) + "…"
    }
}

/// The text of an invalid line for `FileReadOutcome.invalid`: at most `limit` bytes, cut at a
/// character boundary, invalid UTF-8 replaced.
func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 1024) -> String {
    guard bytes.count > limit else { return String(decoding: bytes, as: UTF8.self) }
    var cut = limit
    while cut > limit - 3, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<cut]), as: UTF8.self) + "…"
}
