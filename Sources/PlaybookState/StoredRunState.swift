import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime

/// The runtime's view of the run-state store: cursors and the `once_per` ledger of one run.
public final class StoredRunState: RunState {
    public let store: any RunStateStore

    public init(store: any RunStateStore) {
        self.store = store
    }

    public func cursor(playbook: String, step: StepID) async throws -> IncrementalCursor? {
        guard let stored = try await store.cursor(playbook: playbook, step: step.rawValue) else { return nil }
        let value = (try? JSONValue(parsing: stored.position.value)) ?? .string(stored.position.value)
        return IncrementalCursor(value: value, keysAtValue: stored.position.keysAtValue.sorted())
    }

    public func commit(_ cursors: [(step: StepID, cursor: IncrementalCursor)], playbook: String, runID: String) async throws {
        let commits = cursors.map { CursorCommit(step: $0.step.rawValue, position: CursorPosition(value: $0.cursor.value.text, keysAtValue: Set($0.cursor.keysAtValue))) }
        try await store.commitCursors(commits, runID: runID)
    }

    public func claim(_ keys: [String], playbook: String, step: StepID, runID: String, delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        try await claim(keys, afterMarkingSent: [], playbook: playbook, step: step, runID: runID, delivery: delivery)
    }

    public func claim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
                      delivery: NotifyDelivery) async throws -> [NotificationClaim] {
        let answers = try await store.claim(keys: keys, afterMarkingSent: sent, step: step.rawValue, runID: runID,
                                            delivery: delivery == .atLeastOnce ? .atLeastOnce : .atMostOnce)
        return answers.map(Self.notificationClaim)
    }

    /// What the runtime does with the store's answer to a claim.
    private static func notificationClaim(_ answer: LedgerClaim) -> NotificationClaim {
        switch answer {
        case .send: .send
        case .resend: .sendAgain
        case .alreadySent, .inFlight: .alreadySent
        case .uncertain: .uncertain
        }
    }

    public func startClaim(_ keys: [String], afterMarkingSent sent: [String], playbook: String, step: StepID, runID: String,
                           delivery: NotifyDelivery) -> PendingAnswer<[NotificationClaim]> {
        let pending = PendingAnswer<[NotificationClaim]>()
        store.startClaim(keys: keys, afterMarkingSent: sent, step: step.rawValue, runID: runID,
                         delivery: delivery == .atLeastOnce ? .atLeastOnce : .atMostOnce) { result in
            pending.answer(result.map { $0.map(Self.notificationClaim) })
        }
        return pending
    }

    public func markSent(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try await store.markSent(keys: keys, step: step.rawValue, runID: runID)
    }

    public func release(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try await store.release(keys: keys, step: step.rawValue, runID: runID)
    }

    public func markUncertain(_ keys: [String], playbook: String, step: StepID, runID: String) async throws {
        try await store.markUncertain(keys: keys, step: step.rawValue, runID: runID)
    }

    public func intendBatch(sequence: Int, key: String, records: Int, step: StepID, runID: String) async throws -> Bool {
        let claim = try await store.intend(batches: [BatchIntent(step: step.rawValue, sequence: sequence, recordCount: records, idempotencyKey: key)],
                                           runID: runID)
        // The batch numbered so in an earlier attempt counts only if it held the same records.
        if case .acknowledged(let written)? = claim.first, written == key { return true }
        return false
    }

    public func acknowledgeBatch(sequence: Int, step: StepID, runID: String) async throws {
        try await store.acknowledge(batches: [BatchReference(step: step.rawValue, sequence: sequence)], runID: runID)
    }

    public func savePage(_ records: [JSONValue], position: JSONValue, playbook: String, step: StepID, runID: String) async throws {
        try await store.savePage(JSONValue.array(records).text, position: position.text, step: step.rawValue, runID: runID)
    }

    public func readProgress(playbook: String, step: StepID, runID: String) async throws -> ReadProgress? {
        guard let stored = try await store.readProgress(step: step.rawValue, runID: runID) else { return nil }
        var pages: [[JSONValue]] = []
        for page in stored.pages {
            guard case .array(let records) = try JSONValue(parsing: page) else { continue }
            pages.append(records)
        }
        return ReadProgress(pages: pages, position: try JSONValue(parsing: stored.position))
    }
}
