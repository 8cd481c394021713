import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
@testable import PlaybookRuntime
import Testing

/// A fresh folder for one test's files, removed when the value goes.
final class ScratchFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "playbook-files-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the folder and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let filePath = path + "/" + name
        if !FileManager.default.createFile(atPath: filePath, contents: Data(bytes)) {
            Issue.record("could not write \(filePath)")
        }
        return filePath
    }

    /// Writes `text` to `name` in the folder and returns its path.
    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    /// The bytes of `name`, nil when there is no such file.
    func contents(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Every outcome of reading `path`, in small chunks when asked, to cross chunk boundaries.
func readAll(
    _ path: String, format: FileFormat, csv: CSVOptions = CSVOptions(), fields: [(name: String, type: ValueType)]? = nil,
    chunkSize: Int = RecordFileReader.chunkSize, lineLimit: Int = RecordFileReader.lineLimit
) throws -> [FileReadOutcome] {
    let reader = try RecordFileReader(
        path: path, format: format, csv: csv, fields: fields, schema: nil, chunkSize: chunkSize, lineLimit: lineLimit)
    var outcomes: [FileReadOutcome] = []
    while true {
        let batch = try reader.read(upTo: 3)
        if batch.isEmpty { return outcomes }
        outcomes += batch
    }
}

extension FileReadOutcome {
    /// `12: {"a":1}` for a record (its JSON text), `12! reason` for an invalid line: one exact,
    /// readable line per outcome for assertions.
    var summary: String {
        switch self {
        case .record(let record, let line): "\(line): " + JSONText.string(.map(record))
        case .invalid(let line, let reason, _): "\(line)! " + reason
        }
    }

    var record: Record? {
        if case .record(let record, _) = self { return record }
        return nil
    }
}

extension CELValue {
    /// Typed-JSON text: an exact form for assertions, which keeps int, uint and double apart.
    var typed: String { typedJSON.text }
}
