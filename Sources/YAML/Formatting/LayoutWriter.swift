import Diagnostics

/// Writes one loaded document in the canonical layout, carrying over the comments and blank lines
/// found between its nodes (see `YAMLFormatter` for the rules).
struct LayoutWriter {
    private let file: SourceFile
    private let gaps: [SourceGap]
    private var nextGap = 0
    private(set) var lines: [String] = []
    /// The file line on which the last node written ends: a comment after it on that line stays there.
    private var lastNodeLine = 0
    /// A blank line is owed before the next line written.
    private var owesBlankLine = false
    /// `- ` (or `- - `) still to be written before the first line of a sequence item, and its indentation.
    private var itemPrefix: (indent: Int, text: String)?

    static let indentStep = 2

    init(file: SourceFile, gaps: [SourceGap]) {
        self.file = file
        self.gaps = gaps
    }

    // MARK: Document

    mutating func write(_ document: YAMLDocument) {
        if document.explicitStart, let marker = markerLine("---", before: document.root.range.start) {
            for directive in directiveLines(before: marker) {
                flushGaps(before: directive.offset, indent: 0)
                appendLine(directive.text)
            }
            flushGaps(before: marker, indent: 0)
            appendLine("---")
            lastNodeLine = line(of: marker)
        }
        let root = document.root
        if isBlockCollection(root) {
            writeItems(of: root, indent: 0, limit: Int.max)
        } else if let style = root.scalarStyle, style == .literal || style == .folded {
            flushGaps(before: root.range.start, indent: 0)
            writeBlockScalar(root, lead: "", indent: 0, bodyIndent: Self.indentStep)
        } else if !(root.scalarStyle == .plain && root.scalarLength == 0) {
            flushGaps(before: root.range.start, indent: 0)
            writeValueLine(indent: 0, lead: "", value: root)
        }
        if document.explicitEnd, let marker = markerLine("...", after: root.range.end) {
            flushGaps(before: marker, indent: 0)
            appendLine("...")
            lastNodeLine = line(of: marker)
        }
        flushGaps(before: Int.max, indent: 0)
    }

    /// Writes what is left after the last document: the comments of a file that holds no node.
    mutating func finish() {
        flushGaps(before: Int.max, indent: 0)
    }

    // MARK: Collections

    /// A mapping or list written one entry per line: block collections, and flow collections that
    /// the author spread over several lines.
    private func isBlockCollection(_ node: YAMLNode) -> Bool {
        switch node.content {
        case .mapping(let pairs, let flow): !pairs.isEmpty && (!flow || spansLines(node))
        case .sequence(let items, let flow): !items.isEmpty && (!flow || spansLines(node))
        default: false
        }
    }

    private func spansLines(_ node: YAMLNode) -> Bool {
        line(of: node.range.start) != line(of: max(node.range.end - 1, node.range.start))
    }

    /// The entries of a block collection at `indent`; `limit`: where the next entry of an enclosing
    /// collection starts, up to which comments may belong to this one's end.
    private mutating func writeItems(of node: YAMLNode, indent: Int, limit: Int) {
        if let pairs = node.mapping {
            for index in pairs.indices {
                let itemLimit = index + 1 < pairs.count ? pairs.key(at: index + 1).range.start : limit
                writePair(key: pairs.key(at: index), value: pairs.value(at: index), indent: indent, limit: itemLimit)
            }
        } else if let items = node.sequence {
            for index in items.indices {
                let itemLimit = index + 1 < items.count ? items[index + 1].range.start : limit
                writeItem(items[index], indent: indent, limit: itemLimit)
            }
        }
        writeClosingComments(of: node, indent: indent, limit: limit)
    }

    private mutating func writePair(key: YAMLNode, value: YAMLNode, indent: Int, limit: Int) {
        let keyText = inline(key)
        if isBlockCollection(value) {
            flushGaps(before: key.range.start, indent: indent)
            writeNodeLine(indent: indent, text: keyText + ":" + tagSuffix(value), node: key)
            writeItems(of: value, indent: indent + Self.indentStep, limit: limit)
        } else if let style = value.scalarStyle, style == .literal || style == .folded {
            flushGaps(before: key.range.start, indent: indent)
            writeBlockScalar(value, lead: keyText + ": ", indent: indent, bodyIndent: indent + Self.indentStep)
        } else if value.scalarStyle == .plain, value.scalarLength == 0, value.tag == nil {
            flushGaps(before: key.range.start, indent: indent)
            writeNodeLine(indent: indent, text: keyText + ":", node: key)
        } else {
            flushGaps(before: value.range.start, indent: indent)
            writeValueLine(indent: indent, lead: keyText + ": ", value: value)
        }
    }

    private mutating func writeItem(_ item: YAMLNode, indent: Int, limit: Int) {
        flushGaps(before: item.range.start, indent: indent)
        if isBlockCollection(item), item.tag == nil {
            if let prefix = itemPrefix {
                itemPrefix = (prefix.indent, prefix.text + "- ")
            } else {
                itemPrefix = (indent, "- ")
            }
            writeItems(of: item, indent: indent + Self.indentStep, limit: limit)
        } else if isBlockCollection(item) {
            writeNodeLine(indent: indent, text: "-" + tagSuffix(item), node: item)
            writeItems(of: item, indent: indent + Self.indentStep, limit: limit)
        } else if let style = item.scalarStyle, style == .literal || style == .folded {
            writeBlockScalar(item, lead: "- ", indent: indent, bodyIndent: indent + Self.indentStep)
        } else if item.scalarStyle == .plain, item.scalarLength == 0, item.tag == nil {
            writeNodeLine(indent: indent, text: "-", node: item)
        } else {
            writeValueLine(indent: indent, lead: "- ", value: item)
        }
    }

    /// Comments after the last entry of a collection that are indented at least as deep as its
    /// entries (or, for a flow collection, come before its closing bracket) stay at its end; the
    /// ones further left belong to what follows.
    private mutating func writeClosingComments(of node: YAMLNode, indent: Int, limit: Int) {
        let column = node.isFlow ? 0 : file.location(of: node.range.start).column
        var index = nextGap
        var last = nextGap - 1
        while index < gaps.count, gaps[index].offset < limit {
            let gap = gaps[index]
            if case .comment(_, let followsText, _) = gap.kind {
                let belongs = node.isFlow ? gap.offset < node.range.end : gap.column >= column
                guard belongs || (followsText && gap.line == lastNodeLine) else { break }
                last = index
            }
            index += 1
        }
        if last >= nextGap { flushGaps(before: gaps[last].offset + 1, indent: indent) }
    }

    // MARK: Lines

    /// A scalar or flow collection after `lead` (`key: ` or `- `); a plain scalar whose text has line
    /// breaks continues on following lines, with a blank line for each break.
    private mutating func writeValueLine(indent: Int, lead: String, value: YAMLNode) {
        guard value.scalarStyle == .plain, let text = value.scalar, text.contains("\n") else {
            writeNodeLine(indent: indent, text: lead + inline(value), node: value)
            return
        }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        writeNodeLine(indent: indent, text: lead + tagPrefix(value) + parts[0], node: value)
        for part in parts.dropFirst() {
            lines.append("")
            if !part.isEmpty { lines.append(String(repeating: " ", count: indent + Self.indentStep) + part) }
        }
    }

    /// `lead` and a block scalar's header, then its lines moved to `bodyIndent`.
    private mutating func writeBlockScalar(_ node: YAMLNode, lead: String, indent: Int, bodyIndent: Int) {
        let block = BlockScalarSource(node, in: file)
        writeNodeLine(indent: indent, text: lead + tagPrefix(node) + block.header, node: node, endLine: line(of: block.headerEnd))
        // A comment after the header stays on the header's line.
        flushGaps(before: block.bodyStart, indent: indent)
        for bodyLine in block.lines {
            lines.append(bodyLine.isEmpty ? "" : String(repeating: " ", count: bodyIndent) + bodyLine)
        }
        lastNodeLine = line(of: max(node.range.end - 1, node.range.start))
    }

    private mutating func writeNodeLine(indent: Int, text: String, node: YAMLNode, endLine: Int? = nil) {
        if let prefix = itemPrefix {
            appendLine(String(repeating: " ", count: prefix.indent) + prefix.text + text)
            itemPrefix = nil
        } else {
            appendLine(String(repeating: " ", count: indent) + text)
        }
        lastNodeLine = endLine ?? line(of: max(node.range.end - 1, node.range.start))
    }

    private mutating func appendLine(_ text: String) {
        if owesBlankLine, let last = lines.last, !last.isEmpty { lines.append("") }
        owesBlankLine = false
        var text = Substring(text)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        lines.append(String(text))
    }

    /// Writes the comments and blank lines before `offset`. A comment that followed a node on the
    /// node's line stays on that line; the others take `indent` (or the indentation of the `- ` still
    /// to be written).
    private mutating func flushGaps(before offset: Int, indent: Int) {
        while nextGap < gaps.count, gaps[nextGap].offset < offset {
            let gap = gaps[nextGap]
            nextGap += 1
            switch gap.kind {
            case .blankLine:
                owesBlankLine = !lines.isEmpty
            case .comment(let text, let followsText, let spacing):
                if followsText, gap.line == lastNodeLine, let last = lines.indices.last {
                    lines[last] += String(repeating: " ", count: spacing) + text
                } else {
                    appendLine(String(repeating: " ", count: itemPrefix?.indent ?? indent) + text)
                }
            }
        }
    }

    // MARK: Inline text

    /// A scalar or a flow collection on one line.
    private func inline(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, let style):
            return tagPrefix(node) + (style == .plain ? text : ScalarSpelling.quoted(text))
        case .mapping(let pairs, _):
            if pairs.isEmpty { return tagPrefix(node) + "{}" }
            let entries = pairs.map { pair in
                let value = pair.value
                if value.scalarStyle == .plain, value.scalarLength == 0, value.tag == nil { return inline(pair.key) }
                return inline(pair.key) + ": " + inline(value)
            }
            // `{{ name }}` (an unquoted template, which the checker explains) keeps its braces together.
            if pairs.first?.key.scalarStyle == nil { return tagPrefix(node) + "{" + entries.joined(separator: ", ") + "}" }
            return tagPrefix(node) + "{ " + entries.joined(separator: ", ") + " }"
        case .sequence(let items, _):
            return tagPrefix(node) + "[" + items.map { inline($0) }.joined(separator: ", ") + "]"
        case .alias(let name):
            return "*" + name
        }
    }

    /// The tag as written (`!!str `), when the node has one.
    private func tagPrefix(_ node: YAMLNode) -> String {
        guard node.tag != nil else { return "" }
        let bytes = file.bytes
        var end = node.range.start
        guard end < bytes.count, bytes[end] == UInt8(ascii: "!") else { return "" }
        while end < bytes.count, !SourceGaps.isBlank(bytes[end]), bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") {
            end += 1
        }
        return file.text(in: SourceRange(start: node.range.start, end: end)) + " "
    }

    /// ` !!map` after a key whose value is a tagged block collection.
    private func tagSuffix(_ node: YAMLNode) -> String {
        let tag = tagPrefix(node)
        return tag.isEmpty ? "" : " " + tag.dropLast()
    }

    // MARK: Positions

    private func line(of offset: Int) -> Int { file.location(of: offset).line }

    /// The offset of a `---` or `...` line before or after an offset.
    private func markerLine(_ marker: String, before limit: Int? = nil, after start: Int? = nil) -> Int? {
        let lineStarts = file.lineStarts
        for lineStart in lineStarts {
            if let limit, lineStart > limit { break }
            if let start, lineStart < start { continue }
            let text = file.lineText(line(of: lineStart))
            if text == marker || text.hasPrefix(marker + " ") || text.hasPrefix(marker + "\t") { return lineStart }
        }
        return nil
    }

    /// `%YAML` and `%TAG` lines before the `---` at `marker`.
    private func directiveLines(before marker: Int) -> [(offset: Int, text: String)] {
        file.lineStarts.filter { $0 < marker && $0 < file.bytes.count && file.bytes[$0] == UInt8(ascii: "%") }.map { start in
            var text = file.lineText(line(of: start))
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return (start, text)
        }
    }
}

/// A block scalar (`|`, `>-`) as its file spells it: the header and the lines of its text with the
/// text's own indentation, ready to be moved to a new one.
struct BlockScalarSource {
    /// `|`, `>-`, `|2+`: the style, an indentation indicator only when the first line starts with a
    /// space, and the chomping indicator as written.
    var header: String
    /// Where the header's indicators end, and where the text's first line starts.
    var headerEnd: Int
    var bodyStart: Int
    /// The text's lines without its indentation; an empty string for a line with no text.
    var lines: [String]

    init(_ node: YAMLNode, in file: SourceFile) {
        let bytes = file.bytes
        var index = node.range.start
        // Past the tag, when there is one.
        if index < bytes.count, bytes[index] == UInt8(ascii: "!") {
            while index < bytes.count, !SourceGaps.isBlank(bytes[index]), bytes[index] != UInt8(ascii: "\n") { index += 1 }
            while index < bytes.count, SourceGaps.isBlank(bytes[index]) { index += 1 }
        }
        let style = index < bytes.count ? Character(UnicodeScalar(bytes[index])) : "|"
        index += 1
        var chomping = ""
        while index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { chomping = String(UnicodeScalar(bytes[index])) }
            index += 1
        }
        headerEnd = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        bodyStart = min(index + 1, bytes.count)

        let value = node.scalar ?? ""
        // The text's indentation in the file: the first line with text, less the spaces the value keeps.
        let firstText = value.split(separator: "\n").first(where: { $0.contains(where: { $0 != " " }) }) ?? ""
        let keptSpaces = firstText.prefix(while: { $0 == " " }).count
        var sourceLines: [Substring] = []
        if node.range.end > bodyStart {
            var end = node.range.end
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let body = String(decoding: bytes[bodyStart..<end], as: UTF8.self)
            sourceLines = body.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasSuffix("\r") ? line.dropLast() : line
            }
        }
        let firstTextLine = sourceLines.first(where: { $0.contains(where: { $0 != " " }) })
        let sourceIndent = max(0, (firstTextLine?.prefix(while: { $0 == " " }).count ?? 0) - keptSpaces)
        var lines = sourceLines.map { line -> String in
            line.count <= sourceIndent && line.allSatisfy({ $0 == " " }) ? "" : String(line.dropFirst(sourceIndent))
        }
        // Kept final line breaks (`|+`) are the blank lines after the text.
        if chomping == "+" {
            let finalBreaks = value.reversed().prefix(while: { $0 == "\n" }).count
            let blankLinesInBody = lines.reversed().prefix(while: { $0.isEmpty }).count
            lines.append(contentsOf: repeatElement("", count: max(0, finalBreaks - 1 - blankLinesInBody)))
        }
        self.lines = lines
        header = String(style) + (keptSpaces > 0 ? String(LayoutWriter.indentStep) : "") + chomping
    }
}
