import CEL
import PlaybookLanguage

/// Reads records from a JSON Lines or CSV file in chunks: memory is bounded by the chunk (and the
/// longest line), never the whole file.
///
/// With declared fields, records are laid out on `schema` (fields in declared order) and each
/// value is converted to its field's type; a value that does not fit makes its line invalid.
/// Fields the file has but the playbook does not declare are ignored. Without declared fields,
/// JSON Lines records are maps in the file's key order and CSV records maps of strings keyed by
/// the header (or `column_1`, `column_2`, …).
public final class RecordFileReader {
    private enum Format {
        case jsonLines(JSONLinesReader)
        case csv(CSVReader)
    }

    /// Bytes read from the file at a time.
    public static let chunkSize = 1 << 20
    /// The longest line (or CSV row) read; a longer one is an invalid line.
    public static let lineLimit = 64 << 20

    private let format: Format

    /// Opens `path`. With `fields`, records are laid out on `schema` (one built from the field
    /// names when nil); for CSV with a header, the header row is read now, and naming no column
    /// or a column twice is an error of the whole file.
    public convenience init(
        path: String, format: FileFormat, csv: CSVOptions = CSVOptions(),
        fields: [(name: String, type: ValueType)]?, schema: CELRecordSchema?
    ) throws(FileAccessError) {
        try self.init(path: path, format: format, csv: csv, fields: fields, schema: schema, chunkSize: Self.chunkSize, lineLimit: Self.lineLimit)
    }

    /// Opens `path` with a given chunk size and line limit, so that tests can cross chunk
    /// boundaries and the limit with small files.
    init(
        path: String, format: FileFormat, csv: CSVOptions, fields: [(name: String, type: ValueType)]?, schema: CELRecordSchema?,
        chunkSize: Int, lineLimit: Int
    ) throws(FileAccessError) {
        let chunks = try FileChunks(path: path, chunkSize: chunkSize)
        let layout = fields.map { DeclaredLayout(fields: $0, schema: schema) }
        switch format {
        case .jsonl: self.format = .jsonLines(try JSONLinesReader(chunks: chunks, layout: layout, lineLimit: lineLimit))
        case .csv: self.format = .csv(try CSVReader(chunks: chunks, options: csv, layout: layout, rowLimit: lineLimit))
        }
    }

    /// Up to `limit` outcomes, in file order; an empty array at the end of the file.
    public func read(upTo limit: Int) throws(FileAccessError) -> [FileReadOutcome] {
        var outcomes: [FileReadOutcome] = []
        outcomes.reserveCapacity(min(limit, 4096))
        while outcomes.count < limit, let outcome = try next() { outcomes.append(outcome) }
        return outcomes
    }

    private func next() throws(FileAccessError) -> FileReadOutcome? {
        switch format {
        case .jsonLines(let reader): try reader.next()
        case .csv(let reader): try reader.next()
        }
    }
}
