import CEL

/// Options of a CSV file.
public struct CSVOptions: Sendable {
    /// The byte between values, a comma unless the playbook says otherwise (`;`, a tab).
    public var delimiter: UInt8
    /// Whether the first row names the columns. Without a header, columns are `column_1`,
    /// `column_2`, …, or the declared fields in their order.
    public var header: Bool

    /// Options; by default comma-separated with a header row.
    public init(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true) {
        self.delimiter = delimiter
        self.header = header
    }
}

/// One outcome of reading: a record, or a line that could not become one.
public enum FileReadOutcome: Sendable {
    /// A record, read from the physical line `line` (1-based; where a CSV row starts).
    case record(Record, line: Int)
    /// A line (or CSV row) that is not a record: why, and its text, cut to about 1 KB, with
    /// invalid UTF-8 replaced by U+FFFD.
    case invalid(line: Int, reason: String, text: String)
}

extension FileReadOutcome: CustomStringConvertible {
    /// `line 12: <reason>` for an invalid line, the record in JSON otherwise.
    public var description: String {
        switch self {
        case .record(let record, let line): "line \(line): " + JSONText.string(.map(record))
        case .invalid(let line, let reason, _): "line \(line): " + reason
        }
    }
}
