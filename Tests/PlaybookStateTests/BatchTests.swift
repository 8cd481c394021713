import Foundation
import PlaybookLanguage
import Testing
@testable import PlaybookState

@Suite struct BatchTests {
    @Test func aResumedRunSkipsABatchOnlyWhenItHoldsTheSameRecords() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            let state = StoredRunState(store: store)
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(try await state.intendBatch(sequence: 0, key: "batch_a", records: 2, step: StepID("crm"), runID: "r1") == false)
            try await state.acknowledgeBatch(sequence: 0, step: StepID("crm"), runID: "r1")
            #expect(try await state.intendBatch(sequence: 1, key: "batch_b", records: 2, step: StepID("crm"), runID: "r1") == false)
            try await store.finishRun(id: "r1", status: .failed, summary: nil, finishedAt: Date())
            _ = try await store.resumeRun(id: "r1", wait: .no)
            #expect(try await state.intendBatch(sequence: 0, key: "batch_a", records: 2, step: StepID("crm"), runID: "r1") == true)
            // Intended but never acknowledged: written again.
            #expect(try await state.intendBatch(sequence: 1, key: "batch_b", records: 2, step: StepID("crm"), runID: "r1") == false)
            // The same place with other records: written.
            #expect(try await state.intendBatch(sequence: 0, key: "batch_c", records: 2, step: StepID("crm"), runID: "r1") == false)
        }
    }

    @Test func aNewBatchIsWrittenWithAKeyDerivedFromTheRun() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let claims = try await store.intend(
                batches: [
                    BatchIntent(step: "crm", sequence: 0, recordCount: 100),
                    BatchIntent(step: "crm", sequence: 1, recordCount: 40, idempotencyKey: "custom-key-1"),
                ], runID: "r1")
            #expect(claims == [.write(idempotencyKey: "r1-crm-0"), .write(idempotencyKey: "custom-key-1")])
            try await store.acknowledge(batches: [BatchReference(step: "crm", sequence: 0)], runID: "r1")
            let batches = try await store.batches(runID: "r1")
            #expect(batches.map(\.state) == [.acknowledged, .intended])
            #expect(batches.map(\.recordCount) == [100, 40])
            #expect(batches[0].acknowledgedAt == clock.now)
        }
    }

    @Test func aResumedRunSkipsAcknowledgedBatchesAndKeepsTheKeysOfUncertainOnes() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let crashed = try SQLiteRunStateStore(
                path: statePath(folder), options: storeOptions(clock: clock, owner: RunOwner(pid: deadPID, host: RunOwner.current.host)))
            _ = try await crashed.startRun(newRun("r1"), wait: .no)
            let intents = (0..<3).map { BatchIntent(step: "crm", sequence: $0, recordCount: 100) }
            _ = try await crashed.intend(batches: Array(intents.prefix(2)), runID: "r1")
            try await crashed.acknowledge(batches: [BatchReference(step: "crm", sequence: 0)], runID: "r1")

            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.resumeRun(id: "r1", wait: .no)
            let claims = try await store.intend(batches: intents, runID: "r1")
            #expect(claims == [
                .acknowledged(idempotencyKey: "r1-crm-0"), .uncertain(idempotencyKey: "r1-crm-1"), .write(idempotencyKey: "r1-crm-2"),
            ])
            // Written again with the same key where that is safe, then acknowledged.
            try await store.acknowledge(
                batches: [BatchReference(step: "crm", sequence: 1), BatchReference(step: "crm", sequence: 2)], runID: "r1")
            #expect(try await store.batches(runID: "r1").allSatisfy { $0.state == .acknowledged })
        }
    }

    @Test func aBatchIntendedAgainInTheSameAttemptIsARetry() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let intent = BatchIntent(step: "crm", sequence: 0, recordCount: 10)
            _ = try await store.intend(batches: [intent], runID: "r1")
            #expect(try await store.intend(batches: [intent], runID: "r1") == [.write(idempotencyKey: "r1-crm-0")])
        }
    }

    @Test func acknowledgingABatchNeverIntendedIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let found = await problem { try await store.acknowledge(batches: [BatchReference(step: "crm", sequence: 4)], runID: "r1") }
            #expect(found == .invalidValue(detail: "run r1 never intended batch 4 of step 'crm'"))
        }
    }
}
