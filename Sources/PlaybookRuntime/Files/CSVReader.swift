import CEL

/// Reads a CSV file row by row: the header row (when there is one) names the columns; each
/// later row becomes a record, of strings when no fields are declared.
final class CSVReader {
    private let chunks: FileChunks
    private let delimiter: UInt8
    private let layout: DeclaredLayout?
    private let rowLimit: Int
    /// The physical line where the next row starts.
    private var lineNumber = 1
    /// Whether the rest of an overlong row, already reported, is being skipped.
    private var isSkippingLongRow = false
    /// The column names the header gives, in order; nil without a header.
    private(set) var header: [String]?
    /// The number of values every row has: the header's, or the first row's.
    private var columnCount: Int?
    /// The names of columns without a header: `column_1`, `column_2`, …
    private var generatedNames: [String] = []
    /// For declared fields: the slot of each column, nil for a column not declared.
    private var slots: [Int?] = []

    /// Opens the file and reads its header row, which must name every column once.
    init(chunks: FileChunks, options: CSVOptions, layout: DeclaredLayout?, rowLimit: Int) throws(FileAccessError) {
        self.chunks = chunks
        delimiter = options.delimiter
        self.layout = layout
        self.rowLimit = rowLimit
        try chunks.skipByteOrderMark()
        if options.header { try readHeader() }
    }

    private func readHeader() throws(FileAccessError) {
        while true {
            let pending = chunks.pending
            switch CSVRowScanner.scan(pending, isAtEnd: chunks.isAtEnd, delimiter: delimiter) {
            case .needMore:
                guard pending.count <= rowLimit else {
                    throw FileAccessError(path: chunks.path, problem: .unreadableHeader(LineProblem.tooLong(limit: rowLimit).reason(in: pending)))
                }
                _ = try chunks.readMore()
            case .end:
                return
            case .blank(let length):
                chunks.start += length
                lineNumber += 1
            case .invalid(let problem, _, _):
                throw FileAccessError(path: chunks.path, problem: .unreadableHeader(problem.reason(in: pending)))
            case .row(let names, let length, let lineBreaks):
                chunks.start += length
                lineNumber += lineBreaks
                var seen: Set<String> = []
                for (position, name) in names.enumerated() {
                    guard !name.isEmpty else { throw FileAccessError(path: chunks.path, problem: .emptyColumnName(position: position + 1)) }
                    guard seen.insert(name).inserted else { throw FileAccessError(path: chunks.path, problem: .repeatedColumnName(name)) }
                }
                header = names
                columnCount = names.count
                if let layout { slots = names.map { layout.schema.index(of: $0) } }
                return
            }
        }
    }

    /// The next record or invalid row; nil at the end of the file.
    func next() throws(FileAccessError) -> FileReadOutcome? {
        while true {
            let pending = chunks.pending
            if isSkippingLongRow {
                if let lineEnd = pending.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                    chunks.start += lineEnd + 1
                    lineNumber += 1
                    isSkippingLongRow = false
                } else {
                    chunks.discardPending()
                    guard try chunks.readMore() else { return nil }
                }
                continue
            }
            switch CSVRowScanner.scan(pending, isAtEnd: chunks.isAtEnd, delimiter: delimiter) {
            case .needMore:
                if pending.count > rowLimit {
                    let outcome = FileReadOutcome.invalid(
                        line: lineNumber, reason: LineProblem.tooLong(limit: rowLimit).reason(in: pending), text: excerpt(pending))
                    lineNumber += CSVRowScanner.lineBreaks(in: pending)
                    chunks.discardPending()
                    isSkippingLongRow = true
                    return outcome
                }
                _ = try chunks.readMore()
            case .end:
                return nil
            case .blank(let length):
                chunks.start += length
                lineNumber += 1
            case .invalid(let problem, let length, let lineBreaks):
                let row = Self.withoutLineEnd(UnsafeBufferPointer(rebasing: pending[..<length]))
                let outcome = FileReadOutcome.invalid(line: lineNumber, reason: problem.reason(in: row), text: excerpt(row))
                chunks.start += length
                lineNumber += lineBreaks
                return outcome
            case .row(let cells, let length, let lineBreaks):
                let row = Self.withoutLineEnd(UnsafeBufferPointer(rebasing: pending[..<length]))
                let line = lineNumber
                chunks.start += length
                lineNumber += lineBreaks
                do {
                    return .record(try record(from: cells), line: line)
                } catch {
                    return .invalid(line: line, reason: error.reason(in: row), text: excerpt(row))
                }
            }
        }
    }

    /// The record of a row's values.
    private func record(from cells: [String]) throws(LineProblem) -> Record {
        let expected = columnCount ?? cells.count
        columnCount = expected
        guard cells.count == expected else { throw .columnCount(values: cells.count, expected: expected, fromHeader: header != nil) }
        guard let layout else {
            let names = header ?? generatedColumnNames(cells.count)
            var record = Record()
            for (name, cell) in zip(names, cells) { try? record.insert(.string(name), .string(cell)) }
            return record
        }
        if header == nil, slots.isEmpty { slots = (0..<cells.count).map { $0 < layout.names.count ? $0 : nil } }
        var values = layout.emptyRecord()
        for (column, cell) in cells.enumerated() {
            guard let slot = slots[column] else { continue }
            let type = layout.types[slot]
            if cell.isEmpty {
                if type == .string { values[slot] = .string("") }
                continue
            }
            guard let value = FieldConversion.csv(cell, as: type) else {
                throw .fieldType(field: layout.names[slot], expected: type, value: FieldConversion.shown(.string(cell)))
            }
            values[slot] = value
        }
        return values.record()
    }

    private func generatedColumnNames(_ count: Int) -> [String] {
        while generatedNames.count < count { generatedNames.append("column_\(generatedNames.count + 1)") }
        return generatedNames
    }

    private static func withoutLineEnd(_ row: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var row = row
        while let last = row.last, last == 0x0A || last == 0x0D { row = UnsafeBufferPointer(rebasing: row.dropLast()) }
        return row
    }
}
