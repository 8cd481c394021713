import Diagnostics

/// Where the cursor is in a playbook's structure, read from the text around it by indentation, so
/// that it works while the file is half-written and does not parse.
struct CursorContext: Equatable {
    /// The keys from the top of the file to the mapping the cursor is in, such as
    /// `["steps", "load", "sync"]`; list items add nothing.
    var path: [String]
    /// The key whose value the cursor is in, or nil when the cursor is where a key is written.
    var key: String?
    /// The value text on the cursor's line up to the cursor (for a key position, the key typed so far).
    var textBeforeCursor: String

    /// The context at byte `offset` of `file`.
    init(in file: SourceFile, at offset: Int) {
        let lines = YAMLLines(file)
        let lineIndex = lines.index(containing: offset)
        let line = lines[lineIndex]
        let beforeCursor = String(decoding: file.bytes[line.start..<min(max(offset, line.start), line.end)], as: UTF8.self)
        let cursorLine = LineShape(beforeCursor)

        // A line of a block scalar (`message: >-`) is text, whatever it holds: `{{ a }}: {{ b }}`
        // is not a key.
        let indentation = lines.text(of: lineIndex).prefix { $0 == " " }.count
        if let owner = Self.blockScalarOwner(lines: lines, of: lineIndex, indentation: indentation) {
            let header = LineShape(lines.text(of: owner))
            key = header.key
            textBeforeCursor = String(beforeCursor.drop { $0 == " " })
            path = Self.parentKeys(lines: lines, above: owner, limit: header.dashColumn.map { $0 + 1 } ?? header.contentColumn,
                                   sequenceDash: header.dashColumn)
            return
        }

        if let key = cursorLine.key, let valueText = cursorLine.value {
            self.key = key
            textBeforeCursor = valueText
        } else {
            key = nil
            textBeforeCursor = String(cursorLine.content)
        }
        var limit = cursorLine.contentColumn
        var sequenceDash: Int?
        if let dash = cursorLine.dashColumn {
            // The line starts a list item: its parent is the key that owns the list.
            sequenceDash = dash
            limit = dash + 1
        }
        path = Self.parentKeys(lines: lines, above: lineIndex, limit: limit, sequenceDash: sequenceDash)
        if key == nil, let owner = path.last, GrammarPath.shape(at: path) != nil, !GrammarPath.holdsMappings(path) {
            // Text under a key whose value is not a mapping is part of that value: a scalar item of
            // a list such as `from:`, or a line of a block scalar (`where: >-`).
            path.removeLast()
            key = owner
        }
    }

    /// The line `key: |` or `key: >-` whose block scalar holds the line at `lineIndex`, if any. The
    /// lines indented less than it, walking up, are its enclosing keys; a block scalar's header among
    /// them means the line is its text, as a header's value holds nothing but text.
    private static func blockScalarOwner(lines: YAMLLines, of lineIndex: Int, indentation: Int) -> Int? {
        var limit = indentation
        var index = lineIndex - 1
        while index >= 0, limit > 0 {
            defer { index -= 1 }
            let text = lines.text(of: index)
            let shape = LineShape(text)
            guard !shape.isBlankOrComment else { continue }
            let lineIndentation = text.prefix { $0 == " " }.count
            guard lineIndentation < limit else { continue }
            if let value = shape.value, isBlockScalarHeader(value) { return index }
            limit = lineIndentation
        }
        return nil
    }

    /// `|`, `>-`, `|2+` and the like, optionally followed by a comment.
    private static func isBlockScalarHeader(_ value: String) -> Bool {
        var rest = Substring(value)
        guard let first = rest.first, first == "|" || first == ">" else { return false }
        rest.removeFirst()
        while let character = rest.first, character == "+" || character == "-" || character.isNumber { rest.removeFirst() }
        rest = rest.drop { $0 == " " }
        return rest.isEmpty || rest.first == "#"
    }

    /// Keys of the mappings enclosing a line, found by walking up to lines indented less.
    private static func parentKeys(lines: YAMLLines, above lineIndex: Int, limit: Int, sequenceDash: Int?) -> [String] {
        var limit = limit
        var sequenceDash = sequenceDash
        var keys: [String] = []
        var index = lineIndex - 1
        while index >= 0, limit > 0 {
            defer { index -= 1 }
            let shape = LineShape(lines.text(of: index))
            guard !shape.isBlankOrComment else { continue }
            if let dash = shape.dashColumn, dash == sequenceDash, shape.contentColumn != limit { continue }
            if let key = shape.key, shape.contentColumn < limit {
                keys.append(key)
                limit = shape.contentColumn
                if let dash = shape.dashColumn {
                    sequenceDash = dash
                    limit = dash + 1
                }
            } else if let dash = shape.dashColumn, shape.contentColumn == limit {
                sequenceDash = dash
                limit = dash + 1
            }
        }
        return keys.reversed()
    }

    static func trailingWord(of text: String) -> String {
        var word = ""
        for character in text.reversed() {
            guard character.isLetter || character.isNumber || character == "_" || character == "-" else { break }
            word.insert(character, at: word.startIndex)
        }
        return word
    }
}

/// The lines of a file, with their byte ranges (line breaks excluded).
struct YAMLLines {
    let file: SourceFile

    init(_ file: SourceFile) { self.file = file }

    var count: Int { file.lineStarts.count }

    subscript(index: Int) -> (start: Int, end: Int) {
        let start = file.lineStarts[index]
        var end = index + 1 < file.lineStarts.count ? file.lineStarts[index + 1] : file.bytes.count
        while end > start, file.bytes[end - 1] == UInt8(ascii: "\n") || file.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return (start, end)
    }

    func text(of index: Int) -> String {
        let line = self[index]
        return String(decoding: file.bytes[line.start..<line.end], as: UTF8.self)
    }

    func index(containing offset: Int) -> Int { file.lineIndex(containing: offset) }
}

/// One line read as block YAML: indentation, an optional `- `, then `key: value` or a bare value.
struct LineShape {
    /// The column of `- ` when the line starts a list item.
    var dashColumn: Int?
    /// The column where the key or value starts.
    var contentColumn: Int
    /// The line's text from `contentColumn`.
    var content: Substring
    /// The key, when the line holds `key:`.
    var key: String?
    /// The text after `key:`, with leading spaces removed.
    var value: String?

    init(_ line: String) {
        var rest = Substring(line)
        var column = 0
        while rest.first == " " { rest.removeFirst(); column += 1 }
        if rest.first == "-", rest.count == 1 || rest.dropFirst().first == " " {
            dashColumn = column
            rest.removeFirst()
            column += 1
            while rest.first == " " { rest.removeFirst(); column += 1 }
        }
        contentColumn = column
        content = rest
        if let colon = Self.keySeparator(in: rest) {
            let name = rest[..<colon].trimmingSpaces
            key = String(name.first == "\"" || name.first == "'" ? name.dropFirst().dropLast() : name)
            var after = rest[rest.index(after: colon)...]
            while after.first == " " { after.removeFirst() }
            value = String(after)
        }
    }

    var isBlankOrComment: Bool { dashColumn == nil && (content.isEmpty || content.first == "#") }

    /// The colon that ends a plain or quoted key: followed by a space or the end of the line, before
    /// any flow bracket or quote of a value.
    private static func keySeparator(in text: Substring) -> Substring.Index? {
        guard let first = text.first, first != "#", first != "[", first != "{" else { return nil }
        var index = text.startIndex
        if first == "\"" || first == "'" {
            guard let close = text[text.index(after: index)...].firstIndex(of: first) else { return nil }
            index = text.index(after: close)
            guard index < text.endIndex, text[index] == ":" else { return nil }
            let next = text.index(after: index)
            return next == text.endIndex || text[next] == " " ? index : nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " || text[next] == "\t" { return index }
            }
            if character == " " && text[index...].hasPrefix(" #") { return nil }
            index = text.index(after: index)
        }
        return nil
    }
}
