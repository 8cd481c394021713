import Foundation
import Testing
@testable import PlaybookState

@Suite struct LockTests {
    @Test func aSecondRunIsRefusedWhileTheFirstIsAlive() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let first = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            let second = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await first.startRun(newRun("r1"), wait: .no)
            do {
                _ = try await second.startRun(newRun("r2"), wait: .no)
                Issue.record("the second run started")
            } catch let error as StateStoreError {
                guard case .playbookBusy(let playbook, let holder) = error.problem else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(playbook == "hot-leads")
                #expect(holder.runID == "r1")
                #expect(holder.owner == .current)
                #expect(error.description.contains("playbook 'hot-leads' is already running: run r1, started 2026-12-06 08:00:00 UTC, pid \(getpid())"))
            }
            #expect(try await second.run(id: "r2") == nil)
        }
    }

    @Test func otherPlaybooksRunAlongside() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.startRun(newRun("w1", playbook: "weekly-report"), wait: .no)
            #expect(try await store.runs(playbook: nil, limit: 10).allSatisfy { $0.status == .running })
        }
    }

    @Test func aQueuedRunStartsOnceTheFirstFinishes() async throws {
        try await withTemporaryFolder { folder in
            let first = try SQLiteRunStateStore(path: statePath(folder))
            let second = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await first.startRun(newRun("r1"), wait: .no)
            let queued = Task { try await second.startRun(newRun("r2"), wait: .upTo(.seconds(30))) }
            try await first.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            let started = try await queued.value
            #expect(started.run.id == "r2")
            #expect(try await first.run(id: "r1")?.run.status == .succeeded)
        }
    }

    @Test func aQueuedRunGivesUpAfterItsWait() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let found = await problem { _ = try await store.startRun(newRun("r2"), wait: .upTo(.milliseconds(50))) }
            guard case .lockWaitTimedOut(let playbook, let holder, let waited) = found else {
                Issue.record("expected lockWaitTimedOut, got \(String(describing: found))")
                return
            }
            #expect(playbook == "hot-leads")
            #expect(holder.runID == "r1")
            #expect(waited >= .milliseconds(50))
        }
    }

    @Test func aRunWhoseProcessIsGoneIsInterruptedAndItsLockTaken() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let crashed = try SQLiteRunStateStore(
                path: statePath(folder), options: storeOptions(clock: clock, owner: RunOwner(pid: deadPID, host: RunOwner.current.host)))
            _ = try await crashed.startRun(newRun("r1"), wait: .no)
            _ = try await crashed.claim(keys: ["ana@example.com"], step: "alert", runID: "r1", delivery: .atMostOnce)
            _ = try await crashed.intend(batches: [BatchIntent(step: "crm", sequence: 0, recordCount: 50)], runID: "r1")

            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            let started = try await store.startRun(newRun("r2"), wait: .no)
            #expect(started.interrupted.map(\.id) == ["r1"])
            #expect(started.interrupted.first?.status == .interrupted)
            #expect(started.interrupted.first?.finishedAt == clock.now)

            let earlier = try #require(try await store.run(id: "r1"))
            #expect(earlier.uncertainNotifications.map(\.key) == ["ana@example.com"])
            #expect(earlier.batches.map(\.state) == [.uncertain])
            #expect(try await store.interruptedRuns(playbook: "hot-leads").map(\.id) == ["r1"])
        }
    }

    @Test func aRunOnAnotherMachineIsDeadOnlyWhenItsHeartbeatIsOld() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            var options = storeOptions(clock: clock, owner: RunOwner(pid: 1234, host: "worker-9"))
            options.staleAfter = .seconds(120)
            let remote = try SQLiteRunStateStore(path: statePath(folder), options: options)
            _ = try await remote.startRun(newRun("r1"), wait: .no)

            var localOptions = storeOptions(clock: clock)
            localOptions.staleAfter = .seconds(120)
            let store = try SQLiteRunStateStore(path: statePath(folder), options: localOptions)
            clock.advance(by: 100)
            let busy = await problem { _ = try await store.startRun(newRun("r2"), wait: .no) }
            guard case .playbookBusy = busy else { Issue.record("expected playbookBusy, got \(String(describing: busy))"); return }
            try await remote.heartbeat(runID: "r1")
            clock.advance(by: 100)
            #expect(await problem { _ = try await store.startRun(newRun("r2"), wait: .no) } != nil)
            clock.advance(by: 21)
            let started = try await store.startRun(newRun("r2"), wait: .no)
            #expect(started.interrupted.map(\.id) == ["r1"])
        }
    }

    @Test func aRunTakenOverCannotGoOnButItsFactsAreKept() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            var options = storeOptions(clock: clock, owner: RunOwner(pid: 1234, host: "laptop"))
            options.staleAfter = .seconds(60)
            let paused = try SQLiteRunStateStore(path: statePath(folder), options: options)
            _ = try await paused.startRun(newRun("r1"), wait: .no)
            _ = try await paused.claim(keys: ["ana@example.com"], step: "alert", runID: "r1", delivery: .atMostOnce)

            clock.advance(by: 61)
            var localOptions = storeOptions(clock: clock)
            localOptions.staleAfter = .seconds(60)
            let store = try SQLiteRunStateStore(path: statePath(folder), options: localOptions)
            _ = try await store.startRun(newRun("r2"), wait: .no)

            let notOwned = StateStoreError.Problem.runNotOwned("r1", status: .interrupted, owner: RunOwner(pid: 1234, host: "laptop"))
            #expect(await problem { try await paused.heartbeat(runID: "r1") } == notOwned)
            #expect(await problem { try await paused.commitCursor(CursorPosition(value: "7"), step: "leads", runID: "r1") } == notOwned)
            #expect(await problem { _ = try await paused.claim(keys: ["bo@example.com"], step: "alert", runID: "r1", delivery: .atMostOnce) } == notOwned)
            #expect(await problem { try await paused.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: clock.now) } == notOwned)
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads") == nil)

            // The message did go out: that is recorded, so no later run sends it again.
            try await paused.markSent(key: "ana@example.com", step: "alert", runID: "r1")
            #expect(try await store.claim(key: "ana@example.com", step: "alert", runID: "r2") == .alreadySent(by: "r1", at: clock.now))
        }
    }

    @Test func anInterruptedRunResumesAndTheLaterRunsLeaveItAlone() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let crashed = try SQLiteRunStateStore(
                path: statePath(folder), options: storeOptions(clock: clock, owner: RunOwner(pid: deadPID, host: RunOwner.current.host)))
            _ = try await crashed.startRun(newRun("r1"), wait: .no)
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            #expect(try await store.interruptedRuns(playbook: nil).map(\.id) == ["r1"])
            let resumed = try await store.resumeRun(id: "r1", wait: .no)
            #expect(resumed.run.owner == .current)
            #expect(resumed.run.attempts == 2)
            #expect(try await store.interruptedRuns(playbook: nil).isEmpty)
        }
    }

    @Test(arguments: [
        // host, pid alive, seconds since heartbeat, dead
        ("here", true, 10.0, false),
        ("here", false, 10.0, true),
        ("here", true, 500.0, true),
        ("elsewhere", false, 10.0, false),
        ("elsewhere", false, 120.0, false),
        ("elsewhere", false, 120.5, true),
    ])
    func liveness(host: String, alive: Bool, silence: Double, dead: Bool) {
        let liveness = RunLiveness(staleAfter: .seconds(120), host: "here", processExists: { _ in alive })
        let now = Date(timeIntervalSince1970: 1_796_544_000)
        #expect(liveness.isDead(owner: RunOwner(pid: 42, host: host), heartbeatAt: now.addingTimeInterval(-silence), now: now) == dead)
    }

    @Test func thisProcessExistsAndAnImpossibleOneDoesNot() {
        #expect(RunOwner.processExists(getpid()))
        #expect(!RunOwner.processExists(deadPID))
        #expect(!RunOwner.processExists(0))
    }
}
