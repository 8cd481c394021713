import CYAML
import Diagnostics

/// Drives libyaml's event parser and assembles nodes, one event at a time, into flat storage.
struct EventReader {
    private let file: SourceFile
    private let options: YAMLLoader.Options
    /// libyaml reports marks in characters; this maps a character index to a byte offset.
    private let offsets: CharacterOffsets

    private var diagnostics: [Diagnostic] = []
    private var records: [YAMLStorage.Record] = []
    private var children: [Int32] = []
    /// The file's bytes followed by the texts that differ from what the file spells (quoted, folded
    /// or escaped scalars, aliases); records point into it.
    private var textBytes: [UInt8]
    /// Tags and anchors.
    private var properties: [String] = []
    /// Children of the collections still open, innermost last; each frame owns a suffix.
    private var pending: [Int32] = []
    private var stack: [Frame] = []
    private var documents: [(root: Int32, explicitStart: Bool, explicitEnd: Bool)] = []
    private var documentRoot: Int32?
    private var documentExplicitStart = false
    private var documentStart = 0
    private var foundDuplicateKey = false

    private struct Frame {
        var isMapping: Bool
        var flow: Bool
        var start: Int
        var tag: Int32
        var anchor: Int32
        /// Where this collection's children begin in `pending`.
        var pendingStart: Int
        /// Keys by text, built only once a mapping has many keys; smaller mappings are scanned, which
        /// is cheaper than hashing. Each key maps to the record of its first occurrence.
        var keyIndex: [KeyText: Int32]?
    }

    /// How many keys a mapping may have before its keys are indexed instead of scanned.
    private static let scannedKeyLimit = 64

    init(file: SourceFile, options: YAMLLoader.Options, isPlainASCII: Bool) {
        self.file = file
        self.options = options
        self.offsets = CharacterOffsets(file.bytes, isPlainASCII: isPlainASCII)
        // Playbooks hold about one node per ten bytes; reserving a little more avoids growing the
        // arrays while reading.
        let estimate = file.bytes.count / 8
        records.reserveCapacity(estimate)
        children.reserveCapacity(estimate)
        // Most scalars are plain text on one line, which the file spells exactly: their text is read
        // in place. The texts of the others (quoted, folded, escaped) are appended after the file's bytes.
        textBytes = file.bytes
        textBytes.reserveCapacity(file.bytes.count * 2)
    }

    mutating func read() -> YAMLLoader.Result {
        var stoppedEarly = false
        // libyaml reads the file through a C pointer; it stays valid for the whole read.
        file.bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                stoppedEarly = true
                return
            }
            defer { yaml_parser_delete(&parser) }
            // Hand libyaml the text after a UTF-8 byte order mark; its marks then start at the offset below.
            let skip = offsets.byteOrderMarkLength
            yaml_parser_set_input_string(&parser, buffer.baseAddress.map { $0 + skip }, buffer.count - skip)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    reportParserError(parser)
                    stoppedEarly = true
                    return
                }
                let keepGoing = handle(event)
                let type = event.type
                yaml_event_delete(&event)
                if !keepGoing {
                    stoppedEarly = true
                    return
                }
                if type == YAML_STREAM_END_EVENT { return }
            }
        }
        let storage = YAMLStorage(
            records: records, children: children, textBytes: textBytes, properties: properties,
            mayHaveDuplicateKeys: foundDuplicateKey || !options.rejectDuplicateKeys
        )
        return YAMLLoader.Result(
            documents: documents.map {
                YAMLDocument(root: YAMLNode(storage, $0.root), explicitStart: $0.explicitStart, explicitEnd: $0.explicitEnd)
            },
            diagnostics: diagnostics,
            stoppedEarly: stoppedEarly
        )
    }

    // MARK: Events

    /// Handles one event; returns false when reading must stop.
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let start = offsets.byteOffset(event.start_mark.index)
        let end = offsets.byteOffset(event.end_mark.index)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            if !documents.isEmpty, !options.allowMultipleDocuments {
                diagnostics.append(.error(
                    YAMLDiagnosticCode.multipleDocuments,
                    YAMLMessage.multipleDocuments,
                    at: SourceRange(start: start, end: max(end, start + 3)),
                    notes: [DiagnosticNote(YAMLMessage.firstDocumentNote, at: .at(documentStart))]
                ))
                return false
            }
            documentExplicitStart = event.data.document_start.implicit == 0
            documentStart = start
            documentRoot = nil
        case YAML_DOCUMENT_END_EVENT:
            let root = documentRoot ?? addScalar(
                UnsafeBufferPointer(start: nil, count: 0), inFileAt: start, style: .plain, start: start, end: start, tag: -1, anchor: -1
            )
            documents.append((root, documentExplicitStart, event.data.document_end.implicit == 0))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            // libyaml's own copy of the text, valid until the event is deleted: read in place, and
            // copied into `textBytes` only when the file does not spell it exactly.
            let bytes = UnsafeBufferPointer(start: scalar.value, count: scalar.value == nil ? 0 : Int(scalar.length))
            let (tag, anchor) = properties(tag: scalar.tag, anchor: scalar.anchor, at: start)
            let style = style(of: scalar.style)
            let range = scalarRange(start: start, end: end, style: scalar.style)
            // A plain scalar on one line with as many bytes as its range is exactly the file's text
            // there: only quoting, escapes and line folding make the two differ.
            let isSpelledInFile = scalar.style == YAML_PLAIN_SCALAR_STYLE && event.start_mark.line == event.end_mark.line
                && bytes.count == end - start
            let node = addScalar(
                bytes, inFileAt: isSpelledInFile ? start : nil, style: style, start: range.start, end: range.end,
                tag: tag, anchor: anchor, textHash: isAtKey ? Self.hash(bytes) : 0
            )
            return attach(node)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            let textStart = textBytes.count
            textBytes.append(contentsOf: name.utf8)
            if !options.allowAliases {
                diagnostics.append(.error(
                    YAMLDiagnosticCode.aliasNotAllowed, YAMLMessage.aliasNotAllowed(name), at: SourceRange(start: start, end: end)
                ))
            }
            records.append(YAMLStorage.Record(
                kind: .alias, style: 0, start: start, end: end, text: Int32(textStart),
                childStart: 0, childCount: 0, tag: -1, anchor: -1, textLength: Int32(textBytes.count - textStart)
            ))
            return attach(Int32(records.count - 1))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return push(
                isMapping: false,
                flow: data.style == YAML_FLOW_SEQUENCE_STYLE,
                start: start,
                properties: properties(tag: data.tag, anchor: data.anchor, at: start)
            )
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return push(
                isMapping: true,
                flow: data.style == YAML_FLOW_MAPPING_STYLE,
                start: start,
                properties: properties(tag: data.tag, anchor: data.anchor, at: start)
            )
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            let childStart = children.count
            children.append(contentsOf: pending[frame.pendingStart...])
            pending.removeSubrange(frame.pendingStart...)
            let lastEnd = children.count > childStart ? records[Int(children[children.count - 1])].end : nil
            // A flow collection ends at its closing bracket; a block one at its last value (libyaml's
            // end mark for block collections points at the next token, past comments and blank lines).
            let rangeEnd = frame.flow ? end : (lastEnd ?? end)
            records.append(YAMLStorage.Record(
                kind: frame.isMapping ? .mapping : .sequence,
                style: frame.flow ? 1 : 0,
                start: frame.start,
                end: max(rangeEnd, frame.start),
                text: -1,
                childStart: Int32(childStart),
                childCount: Int32(children.count - childStart),
                tag: frame.tag,
                anchor: frame.anchor
            ))
            return attach(Int32(records.count - 1))
        default:
            break
        }
        return true
    }

    /// `text`: the bytes libyaml lends for the event. `fileOffset`: where the file spells the text
    /// exactly, if it does. `textHash`: for a key, the hash of its bytes; 0 otherwise.
    private mutating func addScalar(
        _ text: UnsafeBufferPointer<UInt8>, inFileAt fileOffset: Int?, style: ScalarStyle, start: Int, end: Int,
        tag: Int32, anchor: Int32, textHash: UInt32 = 0
    ) -> Int32 {
        let textStart: Int
        if let fileOffset {
            textStart = fileOffset
        } else {
            textStart = textBytes.count
            textBytes.append(contentsOf: text)
        }
        records.append(YAMLStorage.Record(
            kind: .scalar, style: style.rawValue, start: start, end: end, text: Int32(truncatingIfNeeded: textStart),
            childStart: 0, childCount: 0, tag: tag, anchor: anchor, textLength: Int32(truncatingIfNeeded: text.count),
            textHash: textHash
        ))
        return Int32(records.count - 1)
    }

    private mutating func push(isMapping: Bool, flow: Bool, start: Int, properties: (tag: Int32, anchor: Int32)) -> Bool {
        let (tag, anchor) = properties
        if stack.count >= options.maxDepth {
            diagnostics.append(.error(
                YAMLDiagnosticCode.nestingTooDeep,
                YAMLMessage.nestingTooDeep(limit: options.maxDepth),
                at: SourceRange(start: start, end: min(start + 1, file.bytes.count))
            ))
            return false
        }
        stack.append(Frame(isMapping: isMapping, flow: flow, start: start, tag: tag, anchor: anchor, pendingStart: pending.count))
        return true
    }

    /// Whether the next node read is a mapping key.
    private var isAtKey: Bool {
        let top = stack.count - 1
        return top >= 0 && stack[top].isMapping && (pending.count - stack[top].pendingStart) % 2 == 0
    }

    /// Adds a finished node to its parent, or makes it the document's root.
    private mutating func attach(_ node: Int32) -> Bool {
        if records.count > options.maxNodes {
            diagnostics.append(.error(
                YAMLDiagnosticCode.tooManyNodes,
                YAMLMessage.tooManyNodes(limit: options.maxNodes),
                at: SourceRange(start: records[Int(node)].start, end: records[Int(node)].end)
            ))
            return false
        }
        guard !stack.isEmpty else {
            documentRoot = node
            return true
        }
        if isAtKey { checkKey(node, frame: stack.count - 1) }
        pending.append(node)
        return true
    }

    private mutating func checkKey(_ key: Int32, frame top: Int) {
        let record = records[Int(key)]
        let range = SourceRange(start: record.start, end: record.end)
        guard record.kind == .scalar else {
            if record.kind == .alias { return }
            // `{{ text }}` unquoted reads as a mapping used as a key; the decoder knows whether the field
            // is text or an expression and explains it better.
            if record.kind == .mapping, record.style == 1, stack[top].flow, record.start == stack[top].start + 1 { return }
            if !options.allowComplexKeys {
                diagnostics.append(.error(YAMLDiagnosticCode.complexKey, YAMLMessage.complexKey(isMapping: record.kind == .mapping), at: range))
            }
            return
        }
        guard options.rejectDuplicateKeys, let first = earlierKey(like: key, frame: top) else { return }
        foundDuplicateKey = true
        let text = self.text(of: record)
        let firstRecord = records[Int(first)]
        let firstRange = SourceRange(start: firstRecord.start, end: firstRecord.end)
        let firstText = file.text(in: firstRange)
        diagnostics.append(.error(
            YAMLDiagnosticCode.duplicateKey,
            YAMLMessage.duplicateKey(text, written: file.text(in: range), firstWritten: firstText),
            at: range,
            notes: [DiagnosticNote(YAMLMessage.keyFirstDefinedNote(text), at: firstRange)]
        ))
    }

    /// The record of an earlier key with the same text in the mapping being read, if there is one.
    /// Keys are compared as YAML compares them, by bytes.
    private mutating func earlierKey(like key: Int32, frame top: Int) -> Int32? {
        let pendingStart = stack[top].pendingStart
        let earlierCount = (pending.count - pendingStart) / 2
        guard earlierCount < Self.scannedKeyLimit else { return indexedEarlierKey(like: key, frame: top) }
        // Every key of every mapping is compared here with the earlier keys of the same hash and
        // length, so the arrays are read without bounds checks (see `YAMLStorage.bytes` for what
        // reading them as arrays cost).
        return records.withUnsafeBufferPointer { records in
            pending.withUnsafeBufferPointer { pending in
                textBytes.withUnsafeBufferPointer { bytes in
                    let record = records[Int(key)]
                    let text = UnsafeBufferPointer(rebasing: bytes[Int(record.text)..<Int(record.text) + Int(record.textLength)])
                    var child = pendingStart
                    while child < pending.count {
                        let earlier = pending[child]
                        let earlierRecord = records[Int(earlier)]
                        if earlierRecord.textHash == record.textHash, earlierRecord.textLength == record.textLength,
                           earlierRecord.kind == .scalar, YAMLStorage.bytes(bytes, at: Int(earlierRecord.text), equal: text) {
                            return earlier
                        }
                        child += 2
                    }
                    return nil
                }
            }
        }
    }

    /// `earlierKey(like:frame:)` for a mapping with many keys: its keys are indexed by text once, so
    /// a mapping with thousands of keys is not scanned once per key.
    private mutating func indexedEarlierKey(like key: Int32, frame top: Int) -> Int32? {
        if stack[top].keyIndex == nil {
            var index: [KeyText: Int32] = [:]
            var child = stack[top].pendingStart
            while child < pending.count {
                let keyRecord = records[Int(pending[child])]
                if keyRecord.kind == .scalar {
                    let text = KeyText(text(of: keyRecord))
                    if index[text] == nil { index[text] = pending[child] }
                }
                child += 2
            }
            stack[top].keyIndex = index
        }
        let text = KeyText(text(of: records[Int(key)]))
        if let first = stack[top].keyIndex![text] { return first }
        stack[top].keyIndex![text] = key
        return nil
    }

    /// The text of a scalar or alias record read so far.
    private func text(of record: YAMLStorage.Record) -> String {
        String(decoding: textBytes[Int(record.text)..<Int(record.text) + Int(record.textLength)], as: UTF8.self)
    }

    /// FNV-1a over a scalar's bytes as libyaml lends them: cheap, and only used to skip keys that
    /// cannot be equal.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }

    // MARK: Node properties

    /// The node's tag and anchor, libyaml's C strings, as indices into `properties` (-1 when absent),
    /// each checked. Almost no node has either, so that case returns at once.
    @inline(__always)
    private mutating func properties(
        tag: UnsafeMutablePointer<yaml_char_t>?, anchor: UnsafeMutablePointer<yaml_char_t>?, at offset: Int
    ) -> (tag: Int32, anchor: Int32) {
        if tag == nil, anchor == nil { return (-1, -1) }
        return (checkedTag(tag, at: offset), checkedAnchor(anchor, at: offset))
    }

    private mutating func checkedTag(_ pointer: UnsafeMutablePointer<yaml_char_t>?, at offset: Int) -> Int32 {
        guard let tag = string(pointer) else { return -1 }
        if !options.allowCustomTags, !Self.coreTags.contains(tag) {
            diagnostics.append(.error(
                YAMLDiagnosticCode.unsupportedTag,
                YAMLMessage.unsupportedTag(tag),
                at: SourceRange(start: offset, end: offset + tagLength(at: offset))
            ))
        }
        properties.append(tag)
        return Int32(properties.count - 1)
    }

    private mutating func checkedAnchor(_ pointer: UnsafeMutablePointer<yaml_char_t>?, at offset: Int) -> Int32 {
        guard let anchor = string(pointer) else { return -1 }
        if !options.allowAliases {
            diagnostics.append(.error(
                YAMLDiagnosticCode.aliasNotAllowed,
                YAMLMessage.anchorNotAllowed(anchor),
                at: SourceRange(start: offset, end: offset + anchor.utf8.count + 1)
            ))
        }
        properties.append(anchor)
        return Int32(properties.count - 1)
    }

    /// The length of the tag written at `offset` (up to the next blank), for a tight underline.
    private func tagLength(at offset: Int) -> Int {
        var end = offset
        let bytes = file.bytes
        while end < bytes.count, bytes[end] != UInt8(ascii: " "), bytes[end] != UInt8(ascii: "\n"),
              bytes[end] != UInt8(ascii: "\t"), bytes[end] != UInt8(ascii: "\r") {
            end += 1
        }
        return max(1, end - offset)
    }

    private static let coreTags: Set<String> = [
        "!",
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    ]

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private func style(of style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// Block scalars' end marks include the line break and following blank lines; trim them so an
    /// underline stays on the scalar's own text.
    private func scalarRange(start: Int, end: Int, style: yaml_scalar_style_t) -> SourceRange {
        guard style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE else {
            return SourceRange(start: start, end: end)
        }
        var trimmed = min(end, file.bytes.count)
        while trimmed > start, [UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " ")].contains(file.bytes[trimmed - 1]) {
            trimmed -= 1
        }
        return SourceRange(start: start, end: trimmed)
    }

    // MARK: Errors

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? YAMLMessage.unknownSyntaxProblem
        let context = parser.context.map { String(cString: $0) }
        let offset: Int
        switch parser.error {
        case YAML_READER_ERROR:
            offset = offsets.byteOrderMarkLength + Int(parser.problem_offset)
        default:
            offset = offsets.byteOffset(parser.problem_mark.index)
        }
        var notes: [DiagnosticNote] = []
        if let context, parser.context_mark.index != parser.problem_mark.index || parser.error == YAML_PARSER_ERROR {
            notes.append(DiagnosticNote(context, at: .at(offsets.byteOffset(parser.context_mark.index))))
        }
        let hint = SyntaxHints.hint(for: problem, at: offset, in: file)
        // For a tab or an unquoted template the line says everything; what libyaml was scanning when
        // it met it does not help.
        switch hint {
        case .tabIndentation?, .startsWithTemplateBraces?, .misindentedKey?: notes = []
        default: break
        }
        let end = min(offset + 1, file.bytes.count)
        let range: SourceRange
        if case .misindentedKey(let misindent)? = hint {
            range = misindent.range
        } else {
            range = SyntaxHints.valueRange(at: offset, in: file) ?? SourceRange(start: offset, end: max(end, offset))
        }
        diagnostics.append(.error(
            YAMLDiagnosticCode.syntaxError,
            YAMLMessage.syntaxError(problem, hint: hint),
            at: range,
            notes: notes
        ))
    }
}

/// Maps libyaml's character indices to byte offsets. For ASCII files they are the same and no table is built.
struct CharacterOffsets {
    let byteOrderMarkLength: Int
    /// Character index to byte offset; nil for plain ASCII, where they are the same.
    private let table: [Int32]?
    private let byteCount: Int

    /// `isPlainASCII`: every byte is ASCII (and none is NUL), as the input check found.
    init(_ bytes: [UInt8], isPlainASCII: Bool) {
        // libyaml skips one byte order mark itself; hand it the text after all of them so its marks
        // count from the first real character.
        var markLength = 0
        while bytes.count >= markLength + 3, bytes[markLength] == 0xEF, bytes[markLength + 1] == 0xBB, bytes[markLength + 2] == 0xBF {
            markLength += 3
        }
        byteOrderMarkLength = markLength
        byteCount = bytes.count
        guard !isPlainASCII else {
            table = nil
            return
        }
        var table: [Int32] = []
        table.reserveCapacity(bytes.count + 1)
        for index in byteOrderMarkLength..<bytes.count where bytes[index] & 0xC0 != 0x80 {
            table.append(Int32(index))
        }
        table.append(Int32(bytes.count))
        self.table = table
    }

    func byteOffset(_ characterIndex: Int) -> Int {
        guard let table else { return min(byteOrderMarkLength + characterIndex, byteCount) }
        return Int(table[min(max(characterIndex, 0), table.count - 1)])
    }
}

/// A mapping key compared by its bytes, as YAML compares keys (Swift's `==` would also equate
/// canonically equivalent spellings such as a precomposed and a decomposed `é`).
struct KeyText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: KeyText, rhs: KeyText) -> Bool { lhs.text.hasSameBytes(as: rhs.text) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
