import CEL
import Diagnostics
import Foundation
import Synchronization

/// Why one record could not be handled, and where in the playbook that comes from.
struct RecordFailure: Error, Sendable {
    /// Why, such as "no such key: 'email'".
    var reason: String
    /// The expression that failed, when one did.
    var location: PlaybookLocation?
}

/// The error that ends a step: its message and, when an expression caused it, where.
struct StepFailure: Error, Sendable {
    var message: String
    var location: PlaybookLocation?

    init(_ message: String, at location: PlaybookLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// The records a run sets aside, one JSON line each, in a file created when the first one is:
/// nothing a step skips is lost.
final class DeadLetters: Sendable {
    /// The file's path.
    let path: String
    private let runID: String
    private let state = Mutex<(handle: FileHandle?, count: Int, failed: String?)>((nil, 0, nil))

    init(path: String, runID: String) {
        self.path = path
        self.runID = runID
    }

    /// Records set aside so far.
    var count: Int { state.withLock { $0.count } }

    /// Why the file could not be written, if it could not.
    var writeError: String? { state.withLock { $0.failed } }

    /// Sets aside a record (`record`) or input that never became one (`input`).
    func add(step: String, reason: String, location: PlaybookLocation?, record: CELValue? = nil, input: String? = nil) {
        var fields: [(CELValue, CELValue)] = [
            (.string("run_id"), .string(runID)), (.string("step"), .string(step)), (.string("reason"), .string(reason)),
        ]
        if let location { fields.append((.string("location"), .string(location.description))) }
        if let record { fields.append((.string("record"), record)) }
        if let input { fields.append((.string("input"), .string(input))) }
        var bytes: [UInt8] = []
        JSONText.encode(.map(try! CELMap(pairs: fields)), into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        let line = Data(bytes)
        state.withLock { state in
            state.count += 1
            do {
                if state.handle == nil {
                    let folder = (path as NSString).deletingLastPathComponent
                    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                    try handle.seekToEnd()
                    state.handle = handle
                }
                try state.handle?.write(contentsOf: line)
            } catch {
                state.failed = state.failed ?? "cannot write the dead letters to \(path): \(error.localizedDescription)"
            }
        }
    }

    /// Closes the file.
    func close() {
        state.withLock { state in
            try? state.handle?.close()
            state.handle = nil
        }
    }
}
