import Diagnostics

/// Finds a key indented differently from the other keys of its mapping, which libyaml reports as
/// "did not find expected key" (a key indented less than the keys above it) or "mapping values are
/// not allowed in this context" (a key indented more, read as the continuation of the value above).
enum IndentationHints {
    /// A misplaced key: where it is, and the key it should line up with.
    struct Misindent: Equatable {
        /// The misplaced key's name.
        let key: String
        /// Where the misplaced key is written.
        let range: SourceRange
        /// The key it should line up with.
        let sibling: String
        /// The sibling's column, counted from 1 as editors count.
        let column: Int
        /// Whether the misplaced key is indented more than its siblings (else less).
        let isDeeper: Bool
        /// Whether the sibling is below the misplaced key (the misplaced key is the mapping's first).
        let siblingIsBelow: Bool
    }

    /// One line that holds a plain `key:`, with the key's column (0-based, in bytes of the
    /// indentation, which is ASCII) and whether a value follows on the line.
    private struct KeyLine {
        let number: Int
        let key: String
        let column: Int
        let hasInlineValue: Bool
    }

    /// The misplaced key that explains libyaml's `problem` at `offset`, if the lines around it show one.
    static func misindent(for problem: String, at offset: Int, in file: SourceFile) -> Misindent? {
        let lineNumber = file.location(of: offset).line
        guard let line = keyLine(lineNumber, in: file) else { return nil }
        if problem.contains("did not find expected key") {
            return indentedLess(line, in: file)
        }
        if problem.contains("mapping values are not allowed") {
            return indentedMore(line, in: file)
        }
        return nil
    }

    /// `line` is indented less than the keys above it, but more than the key they belong to.
    private static func indentedLess(_ line: KeyLine, in file: SourceFile) -> Misindent? {
        // The nearest of the least indented keys between this line and the key the mapping belongs to.
        var sibling: KeyLine?
        var number = line.number - 1
        while number >= 1 {
            defer { number -= 1 }
            guard let column = indentation(of: file.lineText(number)) else { continue }
            // A key at this line's own column means the line is in line with it: not this mistake.
            if column == line.column { return nil }
            if column < line.column { break }
            if let above = keyLine(number, in: file), above.column < (sibling?.column ?? .max) { sibling = above }
        }
        guard let sibling else { return nil }
        return Misindent(key: line.key, range: keyRange(line, in: file), sibling: sibling.key, column: sibling.column + 1,
                         isDeeper: false, siblingIsBelow: false)
    }

    /// `line` is indented more than the key above it, whose plain value YAML then continues onto it.
    private static func indentedMore(_ line: KeyLine, in file: SourceFile) -> Misindent? {
        guard let previousNumber = previousSignificantLine(before: line.number, in: file),
              let previous = keyLine(previousNumber, in: file), previous.hasInlineValue, previous.column < line.column else { return nil }
        let beforePrevious = previousSignificantLine(before: previousNumber, in: file)
        let columnBeforePrevious = beforePrevious.flatMap { indentation(of: file.lineText($0)) }
        // The key above sits left of the keys on both sides of it: it is the one out of line.
        if let beforePrevious, columnBeforePrevious == line.column, let above = keyLine(beforePrevious, in: file) {
            return Misindent(key: previous.key, range: keyRange(previous, in: file), sibling: above.key, column: line.column + 1,
                             isDeeper: false, siblingIsBelow: false)
        }
        // The key above is the first of its mapping, and the keys from this line on agree with each other.
        let isFirstKey = columnBeforePrevious.map { $0 < previous.column } ?? true
        let next = nextSignificantLine(after: line.number, in: file).flatMap { keyLine($0, in: file) }
        if isFirstKey, let next, next.column == line.column {
            return Misindent(key: previous.key, range: keyRange(previous, in: file), sibling: line.key, column: line.column + 1,
                             isDeeper: false, siblingIsBelow: true)
        }
        return Misindent(key: line.key, range: keyRange(line, in: file), sibling: previous.key, column: previous.column + 1,
                         isDeeper: true, siblingIsBelow: false)
    }

    private static func keyRange(_ line: KeyLine, in file: SourceFile) -> SourceRange {
        let start = file.lineStarts[line.number - 1] + line.column
        return SourceRange(start: start, end: start + line.key.utf8.count)
    }

    /// The line as a `key:` or `- key:` line whose key is plain text.
    private static func keyLine(_ number: Int, in file: SourceFile) -> KeyLine? {
        let text = file.lineText(number)
        guard var column = indentation(of: text) else { return nil }
        var rest = text.utf8.dropFirst(column)
        if rest.starts(with: "- ".utf8) {
            rest = rest.dropFirst(2)
            let spaces = rest.prefix { $0 == UInt8(ascii: " ") }.count
            rest = rest.dropFirst(spaces)
            column += 2 + spaces
        }
        let key = rest.prefix { $0 != UInt8(ascii: ":") }
        guard !key.isEmpty, key.count < rest.count,
              key.allSatisfy({ isKeyByte($0) }) else { return nil }
        let afterColon = rest.dropFirst(key.count + 1)
        guard afterColon.isEmpty || afterColon.first == UInt8(ascii: " ") else { return nil }
        let value = afterColon.drop { $0 == UInt8(ascii: " ") }
        return KeyLine(number: number, key: String(decoding: key, as: UTF8.self), column: column,
                       hasInlineValue: !value.isEmpty && value.first != UInt8(ascii: "#"))
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// The number of spaces before the line's content; nil for a blank or comment-only line.
    private static func indentation(of line: String) -> Int? {
        let spaces = line.utf8.prefix { $0 == UInt8(ascii: " ") }.count
        let rest = line.utf8.dropFirst(spaces)
        guard let first = rest.first, first != UInt8(ascii: "#") else { return nil }
        return spaces
    }

    private static func previousSignificantLine(before number: Int, in file: SourceFile) -> Int? {
        var candidate = number - 1
        while candidate >= 1 {
            if indentation(of: file.lineText(candidate)) != nil { return candidate }
            candidate -= 1
        }
        return nil
    }

    private static func nextSignificantLine(after number: Int, in file: SourceFile) -> Int? {
        var candidate = number + 1
        while candidate <= file.lineCount {
            if indentation(of: file.lineText(candidate)) != nil { return candidate }
            candidate += 1
        }
        return nil
    }
}
