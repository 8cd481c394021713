import Foundation
import Logging
import PlaybookLanguage
import PlaybookRuntime
@testable import PlaybookServer
import PlaybookState
import Synchronization
import Testing

/// A folder of its own for a test, removed afterwards.
func withFolder<T>(_ files: [String: String] = [:], _ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-serve-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for (name, text) in files {
        try text.write(toFile: (folder as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return try await body(folder)
}

/// A clock the test moves: sleepers wake when it passes their deadline.
final class ManualClock: ServerClock {
    private struct State {
        var now: Date
        var sleepers: [(deadline: Date, wake: CheckedContinuation<Void, any Error>)] = []
    }
    private let state: Mutex<State>

    init(_ now: Date) { state = Mutex(State(now: now)) }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(until deadline: Date) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    guard deadline > state.now else { return true }
                    state.sleepers.append((deadline, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
                defer { state.sleepers.removeAll() }
                return state.sleepers.map(\.wake)
            }
            for sleeper in cancelled { sleeper.resume(throwing: CancellationError()) }
        }
    }

    /// Moves the clock to `date`, waking every sleeper whose deadline has come.
    func move(to date: Date) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = date
            let due = state.sleepers.filter { $0.deadline <= date }
            state.sleepers.removeAll { $0.deadline <= date }
            return due.map(\.wake)
        }
        for sleeper in woken { sleeper.resume() }
    }

    var sleeping: Int { state.withLock { $0.sleepers.count } }
}

/// Collects log lines, for tests that read what the server said.
final class LogLines: @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        Logger(label: "test") { _ in CollectingHandler(lines: self) }
    }

    struct CollectingHandler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var merged = metadata
            if let given = event.metadata { merged.merge(given) { $1 } }
            lines.append("\(event.level) \(event.message) \(merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " "))")
        }
    }
}

/// Waits until `condition` holds, looking every 10 ms, for at most `seconds`.
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// The lines of a JSON Lines file, or none when it does not exist.
func jsonLines(_ path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").map(String.init)
}
