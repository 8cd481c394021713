#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEL

/// Reads a JSON Lines file: one JSON object per line (LF or CRLF), blank lines skipped, a
/// byte-order mark at the start ignored.
final class JSONLinesReader {
    private let chunks: FileChunks
    private let layout: DeclaredLayout?
    private let lineLimit: Int
    /// The number of the last line taken from the file.
    private var lineNumber = 0
    /// Whether the rest of an overlong line, already reported, is being skipped.
    private var isSkippingLongLine = false

    init(chunks: FileChunks, layout: DeclaredLayout?, lineLimit: Int) throws(FileAccessError) {
        self.chunks = chunks
        self.layout = layout
        self.lineLimit = lineLimit
        try chunks.skipByteOrderMark()
    }

    /// The next record or invalid line; nil at the end of the file.
    func next() throws(FileAccessError) -> FileReadOutcome? {
        while true {
            let pending = chunks.pending
            if let newline = Self.firstNewline(in: pending) {
                chunks.start += newline + 1
                if isSkippingLongLine {
                    isSkippingLongLine = false
                    continue
                }
                lineNumber += 1
                var line = UnsafeBufferPointer(rebasing: pending[..<newline])
                if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
                if Self.isBlank(line) { continue }
                if line.count > lineLimit { return tooLong(line) }
                return outcome(of: line)
            }
            if isSkippingLongLine {
                chunks.discardPending()
                guard try chunks.readMore() else { return nil }
                continue
            }
            if pending.count > lineLimit {
                lineNumber += 1
                isSkippingLongLine = true
                let outcome = tooLong(pending)
                chunks.discardPending()
                return outcome
            }
            if try chunks.readMore() { continue }
            // The last line has no line end.
            let lastLine = chunks.pending
            guard !lastLine.isEmpty else { return nil }
            chunks.start = chunks.end
            lineNumber += 1
            if Self.isBlank(lastLine) { return nil }
            if lastLine.count > lineLimit { return tooLong(lastLine) }
            return outcome(of: lastLine)
        }
    }

    private func tooLong(_ line: UnsafeBufferPointer<UInt8>) -> FileReadOutcome {
        .invalid(line: lineNumber, reason: LineProblem.tooLong(limit: lineLimit).reason(in: line), text: excerpt(line))
    }

    private func outcome(of line: UnsafeBufferPointer<UInt8>) -> FileReadOutcome {
        do {
            return .record(try record(from: line), line: lineNumber)
        } catch {
            return .invalid(line: lineNumber, reason: error.reason(in: line), text: excerpt(line))
        }
    }

    /// The record a line holds, laid out on the declared fields when there are some.
    func record(from line: UnsafeBufferPointer<UInt8>) throws(LineProblem) -> Record {
        var parser = JSONParser(line)
        guard !parser.isAtEnd(), line[parser.position] == UInt8(ascii: "{") else { throw .notAnObject }
        let record: Record
        if let layout {
            record = try Self.declaredRecord(&parser, layout)
        } else {
            guard case .map(let map) = try parser.parseValue() else { throw .notAnObject }
            record = map
        }
        guard parser.isAtEnd() else { throw .syntax("expected the end of the line after the object", at: parser.position) }
        return record
    }

    /// Reads the object into the declared fields' slots, converting each value to its field's
    /// type; undeclared fields are read (so the line is still checked) and dropped.
    private static func declaredRecord(_ parser: inout JSONParser, _ layout: DeclaredLayout) throws(LineProblem) -> Record {
        var values = layout.emptyRecord()
        var undeclaredKeys: Set<String> = []
        var previousSlot = -1
        // Lines mostly list their fields in the declared order: the key after the previous one's
        // is looked for first, on the line's bytes.
        try parser.parseMembers(expectingKey: { rest in layout.lengthOfKey(after: previousSlot, startingAt: rest) }) {
            (key: UnsafeBufferPointer<UInt8>, isExpected: Bool, parser: inout JSONParser) throws(LineProblem) -> Void in
            guard let slot = isExpected ? previousSlot + 1 : layout.slot(of: key) else {
                _ = try parser.parseValue()
                let name = String(decoding: key, as: UTF8.self)
                guard undeclaredKeys.insert(name).inserted else { throw .repeatedKey(name) }
                return
            }
            previousSlot = slot
            guard values[slot] == nil else { throw .repeatedKey(layout.names[slot]) }
            // A timestamp is read from the line's bytes: most files carry one on every line, and
            // its text would only be made to be read and thrown away.
            if layout.readsTimestamp(at: slot), let timestamp = parser.parseTimestampInPlace() {
                values[slot] = .timestamp(timestamp)
                return
            }
            let value = try parser.parseValue()
            if layout.takesAsRead(value, at: slot) {
                values[slot] = value
                return
            }
            guard let converted = FieldConversion.json(value, as: layout.types[slot]) else {
                throw .fieldType(field: layout.names[slot], expected: layout.types[slot], value: FieldConversion.shown(value))
            }
            values[slot] = converted
        }
        return values.record()
    }

    private static func firstNewline(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress, !bytes.isEmpty, let found = memchr(base, 0x0A, bytes.count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
