import Foundation
import Synchronization
@testable import PlaybookState

/// A folder made for one test and removed with everything in it afterwards.
func withTemporaryFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-state-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer {
        chmodTree(folder)
        try? FileManager.default.removeItem(atPath: folder)
    }
    return try await body(folder)
}

/// Gives back write permission a test took away, so that the folder can be removed.
private func chmodTree(_ folder: String) {
    chmod(folder, 0o755)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
        chmod((folder as NSString).appendingPathComponent(name), 0o755)
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_796_544_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A process id that no process has: above Linux's largest.
let deadPID: Int32 = Int32.max - 7

/// Options for a store on `clock`, owned by `owner`.
func storeOptions(clock: TestClock, owner: RunOwner = .current, busyTimeout: Duration = .seconds(5)) -> SQLiteRunStateStore.Options {
    var options = SQLiteRunStateStore.Options()
    options.clock = { clock.now }
    options.owner = owner
    options.busyTimeout = busyTimeout
    options.lockPollInterval = .milliseconds(10)
    return options
}

/// A new run of `playbook`.
func newRun(_ id: String, playbook: String = "hot-leads", at date: Date = Date(timeIntervalSince1970: 1_796_544_000)) -> NewRun {
    NewRun(
        id: id, playbook: playbook, contentHash: String(repeating: "ab", count: 32), params: #"{"min_score":80}"#,
        triggerKind: "schedule", triggerDetails: #"{"fire_time":"2026-12-06T08:00:00Z"}"#, startedAt: date)
}

/// The state file's path in `folder`.
func statePath(_ folder: String) -> String {
    (folder as NSString).appendingPathComponent(".playbook/state.sqlite")
}

/// The problem of a state-store error thrown by `body`, nil when it throws none.
func problem(_ body: () async throws -> Void) async -> StateStoreError.Problem? {
    do {
        try await body()
        return nil
    } catch let error as StateStoreError {
        return error.problem
    } catch {
        return .sqlite(code: -1, detail: "not a state-store error: \(error)")
    }
}
