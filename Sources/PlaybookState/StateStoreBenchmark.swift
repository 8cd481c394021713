import Foundation
import GRDB

/// Measures the store's per-record operations on a fresh state file: what the ledger and sync
/// batches cost a run. `playbook-bench` prints these figures.
public enum StateStoreBenchmark {
    /// What one measurement found.
    public struct Figures: Sendable {
        /// Keys claimed and marked sent, and how many per transaction.
        public var keys: Int
        public var keysPerTransaction: Int
        /// Nanoseconds per key to claim it, and to mark it sent, in transactions of `keysPerTransaction`.
        public var claimNanosecondsPerKey: Double
        public var markSentNanosecondsPerKey: Double
        /// Nanoseconds to intend one batch and to acknowledge it, one transaction each.
        public var intendNanosecondsPerBatch: Double
        public var acknowledgeNanosecondsPerBatch: Double
        /// Nanoseconds to commit a cursor.
        public var commitCursorNanoseconds: Double
        /// Keys the ledger held as sent at the end: `keys` when every claim and mark went through.
        public var keysSent: Int
    }

    /// Claims `keys` notification keys and marks them sent, `keysPerTransaction` at a time, then
    /// intends and acknowledges `batches` sync batches and commits a cursor as often, in a state file
    /// made in `directory` and removed afterwards.
    public static func run(directory: String, keys: Int = 100_000, keysPerTransaction: Int = 1024, batches: Int = 1000) async throws -> Figures {
        let path = (directory as NSString).appendingPathComponent("benchmark-\(UUID().uuidString).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try SQLiteRunStateStore(path: path)
        let runID = "benchmark"
        _ = try await store.startRun(NewRun(id: runID, playbook: "benchmark", contentHash: "", startedAt: Date()), wait: .no)
        let allKeys = (0..<keys).map { "person-\($0)@example.com" }
        let clock = ContinuousClock()

        var claiming = Duration.zero
        var marking = Duration.zero
        for start in stride(from: 0, to: allKeys.count, by: max(1, keysPerTransaction)) {
            let chunk = Array(allKeys[start..<min(start + keysPerTransaction, allKeys.count)])
            claiming += try await clock.measure { _ = try await store.claim(keys: chunk, step: "notify", runID: runID, delivery: .atMostOnce) }
            marking += try await clock.measure { try await store.markSent(keys: chunk, step: "notify", runID: runID) }
        }

        var intending = Duration.zero
        var acknowledging = Duration.zero
        var committing = Duration.zero
        for sequence in 0..<batches {
            intending += try await clock.measure {
                _ = try await store.intend(batches: [BatchIntent(step: "sync", sequence: sequence, recordCount: 100)], runID: runID)
            }
            acknowledging += try await clock.measure {
                try await store.acknowledge(batches: [BatchReference(step: "sync", sequence: sequence)], runID: runID)
            }
            committing += try await clock.measure {
                try await store.commitCursor(CursorPosition(value: "\(sequence)", keysAtValue: ["k\(sequence)"]), step: "fetch", runID: runID)
            }
        }
        let sent = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(json_array_length(keys)) FROM ledger_groups WHERE state = \(LedgerState.sent)") ?? 0
        }
        try await store.finishRun(id: runID, status: .succeeded, summary: nil, finishedAt: Date())

        func per(_ duration: Duration, _ count: Int) -> Double {
            count == 0 ? 0 : duration.timeInterval * 1e9 / Double(count)
        }
        return Figures(
            keys: keys, keysPerTransaction: keysPerTransaction,
            claimNanosecondsPerKey: per(claiming, keys), markSentNanosecondsPerKey: per(marking, keys),
            intendNanosecondsPerBatch: per(intending, batches), acknowledgeNanosecondsPerBatch: per(acknowledging, batches),
            commitCursorNanoseconds: per(committing, batches), keysSent: sent)
    }
}
