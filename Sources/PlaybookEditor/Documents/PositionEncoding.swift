import Diagnostics

/// What a column counts in the protocol's positions. LSP's default is UTF-16 code units; a client may
/// offer UTF-8 bytes or UTF-32 (Unicode scalars) instead.
enum PositionEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"

    /// The encoding to use for a client offering `offered` (most preferred first): the first one
    /// understood, else UTF-16, which every client must support.
    static func negotiated(from offered: [String]?) -> PositionEncoding {
        for name in offered ?? [] {
            if let encoding = PositionEncoding(rawValue: name) { return encoding }
        }
        return .utf16
    }

    /// How many units of this encoding a scalar starting with `leadByte` takes.
    func units(forScalarStartingWith leadByte: UInt8) -> Int {
        switch self {
        case .utf8: UTF8.width(leadByte)
        case .utf16: leadByte >= 0xF0 ? 2 : 1
        case .utf32: 1
        }
    }
}

/// A position as the protocol writes it: a 0-based line and a 0-based column in the negotiated unit.
struct ProtocolPosition: Equatable {
    var line: Int
    var character: Int

    var json: JSONValue { .object([("line", .int(line)), ("character", .int(character))]) }

    init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    init?(_ json: JSONValue?) {
        guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue else { return nil }
        self.init(line: line, character: character)
    }
}

extension UTF8 {
    /// Bytes in the scalar that starts with `leadByte` (1 for a stray continuation byte).
    static func width(_ leadByte: UInt8) -> Int {
        switch leadByte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}

/// Converts between byte offsets into a document's UTF-8 text and protocol positions.
struct PositionMap {
    let file: SourceFile
    let encoding: PositionEncoding

    /// The protocol position of a byte offset; an offset inside a scalar maps to that scalar's start.
    func position(of offset: Int) -> ProtocolPosition {
        let bytes = file.bytes
        let offset = min(max(offset, 0), bytes.count)
        let line = file.lineIndex(containing: offset)
        var index = file.lineStarts[line]
        var character = 0
        while index < offset {
            let width = UTF8.width(bytes[index])
            if index + width > offset { break }
            character += encoding.units(forScalarStartingWith: bytes[index])
            index += width
        }
        return ProtocolPosition(line: line, character: character)
    }

    /// The byte offset of a protocol position; a column past the end of its line is the line's end,
    /// and a line past the end of the text is the text's end, as the protocol asks.
    func offset(of position: ProtocolPosition) -> Int {
        let bytes = file.bytes
        guard position.line >= 0 else { return 0 }
        guard position.line < file.lineStarts.count else { return bytes.count }
        var index = file.lineStarts[position.line]
        var character = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n"), character < position.character {
            if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { break }
            character += encoding.units(forScalarStartingWith: bytes[index])
            index += UTF8.width(bytes[index])
        }
        return min(index, bytes.count)
    }

    func range(_ range: SourceRange) -> JSONValue {
        .object([("start", position(of: range.start).json), ("end", position(of: range.end).json)])
    }

}
