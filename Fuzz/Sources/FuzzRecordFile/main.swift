// Reads any bytes as a JSON Lines or CSV file, with and without declared fields: every line must
// become a record or an invalid line with a reason, never a crash or a hang, and every record must
// survive being written as JSON and read back.
import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime

enum FuzzRecordFile {
    /// One file per process, rewritten for each input.
    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-record-file-\(getpid())").path
    static let fields: [(name: String, type: ValueType)] = [
        ("email", .string), ("visits", .int), ("score", .double), ("vip", .bool), ("seen", .timestamp),
        ("wait", .duration), ("tags", .list(.string)), ("extra", .dyn),
    ]
    static let schema = CELRecordSchema(fieldNames: fields.map(\.name))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordFile(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    // The first byte picks the format and options; the rest is the file.
    let choice = bytes[0]
    let format: FileFormat = choice & 1 == 0 ? .jsonl : .csv
    let csv = CSVOptions(delimiter: choice & 2 == 0 ? UInt8(ascii: ",") : UInt8(ascii: ";"), header: choice & 4 == 0)
    let declared = choice & 8 != 0
    FileManager.default.createFile(atPath: FuzzRecordFile.path, contents: Data(bytes.dropFirst()))
    guard let reader = try? RecordFileReader(
        path: FuzzRecordFile.path, format: format, csv: csv,
        fields: declared ? FuzzRecordFile.fields : nil, schema: declared ? FuzzRecordFile.schema : nil
    ) else { return 0 }
    var lastLine = 0
    while let outcomes = try? reader.read(upTo: 64), !outcomes.isEmpty {
        for outcome in outcomes {
            switch outcome {
            case .record(let record, let line):
                precondition(line > lastLine, "line numbers must grow: \(line) after \(lastLine)")
                lastLine = line
                let text = JSONText.string(.map(record))
                precondition((try? JSONText.decode(Array(text.utf8))) != nil, "a record written as JSON must read back: \(text)")
            case .invalid(let line, let reason, _):
                precondition(line > lastLine || format == .csv, "line numbers must grow: \(line) after \(lastLine)")
                precondition(!reason.isEmpty, "an invalid line needs a reason")
                lastLine = max(lastLine, line)
            }
        }
    }
    return 0
}
