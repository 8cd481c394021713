#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEL
import PlaybookLanguage

/// Appends records to a JSON Lines or CSV file, whole lines only: each call's lines go to the
/// file in one `write`, so a run stopped midway leaves no half line.
///
/// The file is created by the first record written, not before: a sync that receives no
/// records (or only records that cannot be written) leaves no empty file behind, and no CSV
/// file holding a header alone.
///
/// A new (or empty) CSV file gets a header naming the first record's fields (all the fields of
/// its schema for a laid-out record). An existing CSV file keeps its header: values are written
/// in its column order, a record with a field it lacks is refused, a missing field is an empty
/// cell.
public final class RecordFileWriter {
    private let path: String
    private let format: FileFormat
    private let delimiter: UInt8
    /// Nil until the first record is written.
    private var descriptor: Int32?
    /// Whether the file has been looked at: its size, last byte and CSV header.
    private var hasInspectedFile = false
    /// Whether the existing file's last line lacks its line end, which is added before writing.
    private var needsLineEnd = false
    /// The CSV columns, from the file's header or the first record.
    private var columns: [String]?
    private var columnPositions: [String: Int] = [:]
    /// Whether the CSV header still has to be written.
    private var needsHeader = false
    /// The bytes of one batch being encoded; its room is reused once the batch was written.
    private var output: [UInt8] = []

    /// A batch's lines, encoded and not yet written, and the records that cannot be written.
    public struct EncodedLines: Sendable {
        /// The lines, each with its line end.
        var bytes: [UInt8]
        /// The records left out: their index in the batch, and why.
        public var rejected: [(index: Int, reason: String)]
    }

    /// Prepares to append to `path`, creating its folder; the file itself is created by the first
    /// record written.
    public init(path: String, format: FileFormat, csv: CSVOptions = CSVOptions()) throws(FileAccessError) {
        self.path = path
        self.format = format
        delimiter = csv.delimiter
        try Self.createFolders(of: path)
    }

    deinit {
        if let descriptor { _ = closeDescriptor(descriptor) }
    }

    /// Appends the records; returns those that cannot be written (their index in `records` and
    /// why), which are left out.
    public func append(_ records: [Record]) throws(FileAccessError) -> [(index: Int, reason: String)] {
        let lines = try encode(records)
        try append(lines)
        return lines.rejected
    }

    /// Encodes the records' lines without writing them (`append(_:)` then writes them); the file
    /// is only read, for its header and last byte.
    public func encode(_ records: [Record]) throws(FileAccessError) -> EncodedLines {
        guard !records.isEmpty else { return EncodedLines(bytes: [], rejected: []) }
        if !hasInspectedFile { try inspectFile(firstRecord: records[0]) }
        var rejected: [(index: Int, reason: String)] = []
        output.removeAll(keepingCapacity: true)
        for (index, record) in records.enumerated() {
            let mark = output.count
            do {
                switch format {
                case .jsonl: try appendJSONLine(record)
                case .csv: try appendCSVRow(record)
                }
            } catch {
                output.removeSubrange(mark...)
                rejected.append((index, error.reason))
            }
        }
        return EncodedLines(bytes: output, rejected: rejected)
    }

    /// Writes lines `encode(_:)` made, in one `write`.
    public func append(_ lines: EncodedLines) throws(FileAccessError) {
        guard !lines.bytes.isEmpty else { return }
        var bytes = lines.bytes
        var prefix: [UInt8] = []
        if needsLineEnd { prefix.append(0x0A) }
        if needsHeader, let columns {
            for (position, name) in columns.enumerated() {
                if position > 0 { prefix.append(delimiter) }
                CSVCells.appendText(name, delimiter: delimiter, into: &prefix)
            }
            prefix.append(0x0A)
        }
        if !prefix.isEmpty { bytes.insert(contentsOf: prefix, at: 0) }
        try write(bytes)
        needsLineEnd = false
        needsHeader = false
    }

    /// Closes the file; appending after closing opens it again.
    public func close() throws(FileAccessError) {
        guard let descriptor else { return }
        self.descriptor = nil
        guard closeDescriptor(descriptor) == 0 else { throw FileAccessError(path: path, problem: .cannotWrite(errno: errno)) }
    }

    private func appendJSONLine(_ record: Record) throws(JSONText.UnwritableValue) {
        try JSONText.encode(.map(record), into: &output, strict: true)
        output.append(0x0A)
    }

    private func appendCSVRow(_ record: Record) throws(JSONText.UnwritableValue) {
        guard let columns else { return }
        if let schema = record.schema, let recordValues = record.recordValues, schema.fieldNames == columns {
            return try appendCSVRow(cells: recordValues)
        }
        var values = [CELValue?](repeating: nil, count: columns.count)
        for (key, value) in record {
            let name = key.rendered
            guard let position = columnPositions[name] else {
                throw JSONText.UnwritableValue(reason: "the field '\(name)' is not a column of the file (its columns: \(columns.joined(separator: ", ")))")
            }
            values[position] = value
        }
        try appendCSVRow(cells: values)
    }

    /// Appends a row of cells in column order, an absent value as an empty cell.
    private func appendCSVRow(cells values: some Collection<CELValue?>) throws(JSONText.UnwritableValue) {
        let rowStart = output.count
        for (position, value) in values.enumerated() {
            if position > 0 { output.append(delimiter) }
            if let value { try CSVCells.append(value, delimiter: delimiter, into: &output) }
        }
        // A row of one empty cell would be an empty line, which readers skip.
        if output.count == rowStart { output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")]) }
        output.append(0x0A)
    }

    /// Looks at the existing file, if any: whether its last line is complete and, for CSV, its
    /// header. Without a header, the columns are the first record's fields.
    private func inspectFile(firstRecord: Record) throws(FileAccessError) {
        var status = stat()
        if stat(path, &status) == 0, status.st_size > 0 {
            needsLineEnd = try lastByte(size: Int(status.st_size)) != 0x0A
            if format == .csv {
                let reader = try CSVReader(
                    chunks: try FileChunks(path: path, chunkSize: 64 << 10), options: CSVOptions(delimiter: delimiter, header: true),
                    layout: nil, rowLimit: RecordFileReader.lineLimit)
                columns = reader.header
            }
        }
        if format == .csv, columns == nil {
            columns = firstRecord.schema?.fieldNames ?? firstRecord.keys.map(\.rendered)
            needsHeader = true
        }
        for (position, name) in (columns ?? []).enumerated() { columnPositions[name] = position }
        hasInspectedFile = true
    }

    private func lastByte(size: Int) throws(FileAccessError) -> UInt8 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileAccessError(path: path, problem: .cannotOpen(errno: errno)) }
        defer { _ = closeDescriptor(descriptor) }
        var byte: UInt8 = 0
        guard pread(descriptor, &byte, 1, off_t(size - 1)) == 1 else { throw FileAccessError(path: path, problem: .cannotRead(errno: errno)) }
        return byte
    }

    private func write(_ bytes: [UInt8]) throws(FileAccessError) {
        if descriptor == nil {
            let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard opened >= 0 else { throw FileAccessError(path: path, problem: .cannotOpen(errno: errno)) }
            descriptor = opened
        }
        guard let descriptor else { return }
        var written = 0
        // One call writes everything to a regular file; the loop only finishes an interrupted one.
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { writeBytes(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                guard errno == EINTR else { throw FileAccessError(path: path, problem: .cannotWrite(errno: errno)) }
                continue
            }
            written += count
        }
    }

    /// Creates the folders on the way to `path`, as `mkdir -p` does.
    private static func createFolders(of path: String) throws(FileAccessError) {
        guard let slash = path.lastIndex(of: "/") else { return }
        var folder = path.hasPrefix("/") ? "/" : ""
        for component in path[..<slash].split(separator: "/") {
            folder += component
            if mkdir(folder, 0o755) != 0, errno != EEXIST {
                throw FileAccessError(path: path, problem: .cannotCreateFolder(errno: errno))
            }
            folder += "/"
        }
    }
}

// The writer's own `close()` and `write(_:)` hide the system's inside the class.

private func closeDescriptor(_ descriptor: Int32) -> Int32 { close(descriptor) }

private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
