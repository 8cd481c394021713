import Foundation
import PlaybookState

/// Stores webhook events in the state file, many requests to one transaction: while one commit is
/// being flushed to the disk, the requests that arrive wait and go together in the next. A request
/// is answered once its commit is on the disk, and no sooner.
actor InboxWriter {
    private let store: any ServerStateStore
    private var pending: [(event: NewInboundEvent, answer: CheckedContinuation<EventAcceptance, any Error>)] = []
    private var writing = false

    init(store: any ServerStateStore) {
        self.store = store
    }

    /// Stores `event`, or finds that it was stored before.
    func accept(_ event: NewInboundEvent) async throws -> EventAcceptance {
        try await withCheckedThrowingContinuation { answer in
            pending.append((event, answer))
            if !writing {
                writing = true
                Task { await writeAll() }
            }
        }
    }

    private func writeAll() async {
        while !pending.isEmpty {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            do {
                let outcomes = try await store.accept(events: batch.map(\.event))
                for (waiting, outcome) in zip(batch, outcomes) { waiting.answer.resume(returning: outcome) }
            } catch {
                for waiting in batch { waiting.answer.resume(throwing: error) }
            }
        }
        writing = false
    }
}
