import Diagnostics

/// Rewrites a YAML file in one canonical layout, keeping its values, its quoting and its comments.
///
/// The layout (docs/formatting.md gives it with examples):
/// - two spaces per level; a list under a key is indented by two spaces (`steps:` / `  - …`), and a
///   mapping in a list starts on the line of its `- `;
/// - keys stay in the order written;
/// - a list or mapping the author wrote in brackets on one line stays on one line, as `[a, b]` and
///   `{ a: b }`; one spread over several lines is written one entry per line; empty ones are `[]`
///   and `{}`;
/// - a plain scalar stays plain and a quoted one stays quoted, because quoting is part of the value;
///   quoted text is written in double quotes, in single quotes when it holds `"` or `\`, and with
///   escapes only for characters that cannot be written otherwise;
/// - block scalars (`|`, `>-`) stay block scalars, their lines moved to two spaces under their key;
/// - a comment line belongs to the entry after it and takes its indentation, except comment lines
///   at the end of a block indented as deep as the block's entries, which stay at its end; a comment
///   after a value stays on that value's line, with the spacing written before it;
/// - blank lines between entries or comments are kept, several in a row as one; none at the start
///   or the end of the file; no blank at the end of a line; one line break at the end of the file.
///
/// Every result is checked before it is handed back: read again, it must give the same values with
/// the same quoting, and the same comments in the same order.
public struct YAMLFormatter: Sendable {
    /// Why a file was not formatted.
    public enum Failure: Error, Sendable {
        /// The file does not load (syntax error, tab indentation, anchor, encoding): the loader's
        /// diagnostics, as `validate` reports them.
        case invalid([Diagnostic])
        /// The layout could not be written without changing the file's meaning; the file is left as
        /// it is. `offset`: where in the original the difference starts.
        case unchanged(reason: String, offset: Int)
    }

    private let loader: YAMLLoader

    /// A formatter reading files as `loader` does; by default as playbooks are read.
    public init(loader: YAMLLoader = YAMLLoader()) {
        self.loader = loader
    }

    /// The file in canonical layout, or why it cannot be formatted.
    public func format(_ file: SourceFile) -> Result<[UInt8], Failure> {
        let loaded = loader.load(file)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty || loaded.stoppedEarly { return .failure(.invalid(loaded.diagnostics)) }
        let gaps = SourceGaps.scan(file, skipping: Self.scalarText(of: loaded.documents, in: file))
        var writer = LayoutWriter(file: file, gaps: gaps)
        for document in loaded.documents {
            writer.write(document)
        }
        writer.finish()
        let text = writer.lines.isEmpty ? "" : writer.lines.joined(separator: "\n") + "\n"
        let output = SourceFile(path: file.path, text: text)
        if let difference = Self.difference(between: loaded, and: output, original: file, gaps: gaps) {
            return .failure(difference)
        }
        return .success(output.bytes)
    }

    // MARK: Checking the result

    private static func difference(between original: YAMLLoader.Result, and output: SourceFile, original file: SourceFile, gaps: [SourceGap]) -> Failure? {
        let reloaded = YAMLLoader(options: .permissive).load(output)
        guard !reloaded.stoppedEarly, reloaded.diagnostics.isEmpty, reloaded.documents.count == original.documents.count else {
            return .unchanged(reason: "the rewritten file would not read back", offset: 0)
        }
        for (before, after) in zip(original.documents, reloaded.documents) {
            if let offset = firstDifference(before.root, after.root) {
                return .unchanged(reason: "the rewritten file would read back differently", offset: offset)
            }
        }
        let comments = gaps.compactMap(commentText)
        let kept = SourceGaps.scan(output, skipping: scalarText(of: reloaded.documents, in: output)).compactMap(commentText)
        if comments != kept {
            let missing = Array(zip(comments, kept)).firstIndex(where: { $0 != $1 }) ?? min(comments.count, kept.count)
            let offset = gaps.filter(\.isComment).dropFirst(missing).first?.offset ?? 0
            return .unchanged(reason: "a comment could not be kept in place", offset: offset)
        }
        return nil
    }

    private static func commentText(_ gap: SourceGap) -> String? {
        if case .comment(let text, _, _) = gap.kind { return text }
        return nil
    }

    /// The offset in `before` of the first node that differs from `after` in kind, text, quoting,
    /// tag or number of entries; nil when the two trees are the same.
    static func firstDifference(_ before: YAMLNode, _ after: YAMLNode) -> Int? {
        guard before.tag == after.tag else { return before.range.start }
        switch (before.content, after.content) {
        case (.scalar(let text, let style), .scalar(let otherText, let otherStyle)):
            return text.hasSameBytes(as: otherText) && (style == .plain) == (otherStyle == .plain) ? nil : before.range.start
        case (.mapping(let pairs, _), .mapping(let otherPairs, _)):
            guard pairs.count == otherPairs.count else { return before.range.start }
            for index in pairs.indices {
                if let offset = firstDifference(pairs.key(at: index), otherPairs.key(at: index))
                    ?? firstDifference(pairs.value(at: index), otherPairs.value(at: index)) {
                    return offset
                }
            }
            return nil
        case (.sequence(let items, _), .sequence(let otherItems, _)):
            guard items.count == otherItems.count else { return before.range.start }
            for index in items.indices {
                if let offset = firstDifference(items[index], otherItems[index]) { return offset }
            }
            return nil
        case (.alias(let name), .alias(let otherName)):
            return name == otherName ? nil : before.range.start
        default:
            return before.range.start
        }
    }

    // MARK: Where scalars are

    /// The ranges holding scalar text, where `#` is not a comment, sorted. A block scalar's range
    /// starts on the line after its header (a comment may follow the header) and, when it keeps its
    /// final line breaks (`|+`), runs over the blank lines after it.
    static func scalarText(of documents: [YAMLDocument], in file: SourceFile) -> [SourceRange] {
        var ranges: [SourceRange] = []
        func visit(_ node: YAMLNode) {
            switch node.content {
            case .scalar(_, let style):
                if style == .literal || style == .folded {
                    let block = BlockScalarSource(node, in: file)
                    var end = max(node.range.end, block.bodyStart)
                    let bytes = file.bytes
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                    if block.header.hasSuffix("+") {
                        var next = end
                        while next < bytes.count, bytes[next] == UInt8(ascii: "\n") || bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\r") {
                            if bytes[next] == UInt8(ascii: "\n") { end = next }
                            next += 1
                        }
                    }
                    if end > block.bodyStart { ranges.append(SourceRange(start: block.bodyStart, end: end)) }
                } else if !node.range.isEmpty {
                    ranges.append(node.range)
                }
            case .mapping(let pairs, _):
                for pair in pairs {
                    visit(pair.key)
                    visit(pair.value)
                }
            case .sequence(let items, _):
                items.forEach(visit)
            case .alias:
                break
            }
        }
        documents.forEach { visit($0.root) }
        return ranges.sorted { $0.start < $1.start }
    }
}
