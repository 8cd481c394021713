import Foundation
import Testing
@testable import PlaybookState

@Suite struct RunLifecycleTests {
    @Test func aStartedRunIsRecordedAsRunningInThisProcess() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            let started = try await store.startRun(newRun("20261206T080151Z-c3ea893f"), wait: .no)
            #expect(started.interrupted.isEmpty)
            let run = started.run
            #expect(run.id == "20261206T080151Z-c3ea893f")
            #expect(run.playbook == "hot-leads")
            #expect(run.contentHash == String(repeating: "ab", count: 32))
            #expect(run.params == #"{"min_score":80}"#)
            #expect(run.triggerKind == "schedule")
            #expect(run.triggerDetails == #"{"fire_time":"2026-12-06T08:00:00Z"}"#)
            #expect(run.status == .running)
            #expect(run.owner == .current)
            #expect(run.heartbeatAt == clock.now)
            #expect(run.finishedAt == nil)
            #expect(run.attempts == 1)
        }
    }

    @Test func heartbeatsMoveTheRunsHeartbeatTime() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            clock.advance(by: 30)
            try await store.heartbeat(runID: "r1")
            #expect(try await store.lastRun(playbook: "hot-leads")?.heartbeatAt == clock.now)
        }
    }

    @Test func finishingRecordsTheOutcomeAndFreesThePlaybook() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let end = clock.now.addingTimeInterval(12)
            try await store.finishRun(id: "r1", status: .failed, summary: #"{"error":"crm answered 500"}"#, finishedAt: end)
            let run = try #require(try await store.run(id: "r1")?.run)
            #expect(run.status == .failed)
            #expect(run.finishedAt == end)
            #expect(run.summary == #"{"error":"crm answered 500"}"#)
            _ = try await store.startRun(newRun("r2"), wait: .no)
        }
    }

    @Test(arguments: [RunRecord.Status.running, .interrupted])
    func aRunCannotBeFinishedAs(_ status: RunRecord.Status) async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let found = await problem { try await store.finishRun(id: "r1", status: status, summary: nil, finishedAt: Date()) }
            guard case .invalidValue = found else { Issue.record("expected invalidValue, got \(String(describing: found))"); return }
        }
    }

    @Test func aRunIDIsUsedOnce() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            #expect(await problem { _ = try await store.startRun(newRun("r1"), wait: .no) } == .duplicateRun("r1"))
        }
    }

    @Test func summariesParamsAndTriggersMustBeJSON() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            var run = newRun("r1")
            run.params = "{min_score: 80"
            let found = await problem { _ = try await store.startRun(run, wait: .no) }
            guard case .invalidValue = found else { Issue.record("expected invalidValue, got \(String(describing: found))"); return }
            #expect(try await store.runs(playbook: nil, limit: 10).isEmpty)
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let summary = await problem { try await store.finishRun(id: "r2", status: .succeeded, summary: "done", finishedAt: Date()) }
            guard case .invalidValue = summary else { Issue.record("expected invalidValue, got \(String(describing: summary))"); return }
        }
    }

    @Test func aStepResultIsReplacedByALaterAttempt() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let start = clock.now
            try await store.recordStepResult(
                StepResult(step: "leads", kind: "fetch", status: .failed, recordsOut: 200, calls: 3, error: "timeout", startedAt: start),
                runID: "r1")
            try await store.recordStepResult(
                StepResult(step: "alert", kind: "notify", status: .cancelled), runID: "r1")
            let retried = StepResult(
                step: "leads", kind: "fetch", status: .succeeded, recordsIn: 0, recordsOut: 450, recordsSkipped: 2, calls: 5,
                startedAt: start, finishedAt: start.addingTimeInterval(4))
            try await store.recordStepResult(retried, runID: "r1")
            let steps = try #require(try await store.run(id: "r1")?.steps)
            #expect(steps == [retried, StepResult(step: "alert", kind: "notify", status: .cancelled)])
        }
    }

    @Test func stepResultsOfAnUnknownRunAreRefused() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            let found = await problem { try await store.recordStepResult(StepResult(step: "s", kind: "fetch", status: .succeeded), runID: "nope") }
            #expect(found == .unknownRun("nope"))
        }
    }

    @Test func aFailedRunResumesInThisProcessWithItsCheckpoints() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.saveCheckpoint(#"{"after": "cursor-17"}"#, step: "leads", runID: "r1")
            try await store.saveCheckpoint(#"{"after":"cursor-18"}"#, step: "leads", runID: "r1")
            try await store.saveCheckpoint(#"{"offset":400}"#, step: "deals", runID: "r1")
            try await store.finishRun(id: "r1", status: .failed, summary: nil, finishedAt: clock.now)
            clock.advance(by: 600)
            let resumed = try await store.resumeRun(id: "r1", wait: .no)
            #expect(resumed.run.status == .running)
            #expect(resumed.run.attempts == 2)
            #expect(resumed.run.finishedAt == nil)
            #expect(resumed.run.heartbeatAt == clock.now)
            #expect(try await store.checkpoints(runID: "r1") == ["leads": #"{"after":"cursor-18"}"#, "deals": #"{"offset":400}"#])
            #expect(await problem { _ = try await store.startRun(newRun("r2"), wait: .no) } != nil)
        }
    }

    @Test func pagesReadAreKeptForAResumeUntilARunOfThePlaybookSucceeds() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(try await store.readProgress(step: "leads", runID: "r1") == nil)
            try await store.savePage(#"[{"email":"ana@example.com"}]"#, position: #"{"token":"p2"}"#, step: "leads", runID: "r1")
            try await store.savePage(#"[{"email":"bo@example.com"},{"email":"cy@example.com"}]"#, position: #"{"token":"p3"}"#, step: "leads", runID: "r1")
            let found = await problem { try await store.savePage("ana, bo", position: "{}", step: "leads", runID: "r1") }
            #expect(found == .invalidValue(detail: "the page read by step 'leads' is not JSON: ana, bo"))
            try await store.finishRun(id: "r1", status: .failed, summary: nil, finishedAt: Date())
            let kept = try #require(try await store.readProgress(step: "leads", runID: "r1"))
            #expect(kept.pages == [#"[{"email":"ana@example.com"}]"#, #"[{"email":"bo@example.com"},{"email":"cy@example.com"}]"#])
            #expect(kept.position == #"{"token":"p3"}"#)

            _ = try await store.resumeRun(id: "r1", wait: .no)
            try await store.savePage("[]", position: #"{"token":null}"#, step: "leads", runID: "r1")
            #expect(try await store.readProgress(step: "leads", runID: "r1")?.pages.count == 3)
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            // Pages are no longer needed once the playbook has a succeeded run.
            #expect(try await store.readProgress(step: "leads", runID: "r1")?.pages == [])
        }
    }

    @Test func aCheckpointThatIsNotJSONIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let found = await problem { try await store.saveCheckpoint("page 3", step: "leads", runID: "r1") }
            #expect(found == .invalidValue(detail: "the checkpoint of step 'leads' is not JSON: page 3"))
            #expect(try await store.checkpoints(runID: "r1").isEmpty)
        }
    }

    @Test func aSucceededRunIsNotResumed() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            #expect(await problem { _ = try await store.resumeRun(id: "r1", wait: .no) } == .notResumable("r1", status: .succeeded))
            #expect(await problem { _ = try await store.resumeRun(id: "r9", wait: .no) } == .unknownRun("r9"))
        }
    }

    @Test func aRunningRunIsNotResumedTwice() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(await problem { _ = try await store.resumeRun(id: "r1", wait: .no) } == .stillRunning("r1", owner: .current))
        }
    }

    @Test func deadLettersAreKeptInOrderAndMarkedWhenRetried() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.addDeadLetters(
                [
                    NewDeadLetter(step: "scored", record: #"{"email":"a@x.io","visits":"many"}"#, reason: "not a number: 'many'",
                                  location: "hot-leads.yaml:24:17"),
                    NewDeadLetter(step: "crm", record: #"{"email":"b@x.io"}"#, reason: "the CRM refused it: invalid email"),
                ], runID: "r1")
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: clock.now)
            let letters = try await store.deadLetters(runID: "r1")
            #expect(letters.map(\.step) == ["scored", "crm"])
            #expect(letters[0].location == "hot-leads.yaml:24:17")
            #expect(letters[0].addedAt == clock.now)
            #expect(try await store.lastRun(playbook: "hot-leads")?.deadLetterCount == 2)
            #expect(try await store.deadLetters(runID: "r1", limit: 1, offset: 1).map(\.step) == ["crm"])

            _ = try await store.startRun(newRun("r2"), wait: .no)
            try await store.markDeadLettersRetried(ids: [letters[1].id], by: "r2")
            let after = try await store.deadLetters(runID: "r1")
            #expect(after.map(\.retriedBy) == [nil, "r2"])
            let missing = await problem { try await store.markDeadLettersRetried(ids: [999], by: "r2") }
            guard case .invalidValue = missing else { Issue.record("expected invalidValue, got \(String(describing: missing))"); return }
        }
    }

    @Test func historyListsRunsNewestFirst() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            for (index, id) in ["r1", "r2", "r3"].enumerated() {
                _ = try await store.startRun(newRun(id, at: clock.now.addingTimeInterval(Double(index) * 60)), wait: .no)
                try await store.finishRun(id: id, status: .succeeded, summary: nil, finishedAt: clock.now)
            }
            _ = try await store.startRun(newRun("w1", playbook: "weekly-report"), wait: .no)
            #expect(try await store.runs(playbook: "hot-leads", limit: 10).map(\.id) == ["r3", "r2", "r1"])
            #expect(try await store.runs(playbook: "hot-leads", limit: 2).map(\.id) == ["r3", "r2"])
            #expect(try await store.runs(playbook: nil, limit: 10).count == 4)
            #expect(try await store.lastRun(playbook: "hot-leads")?.id == "r3")
            #expect(try await store.lastRun(playbook: "nothing") == nil)
            #expect(try await store.run(id: "nothing") == nil)
        }
    }
}
