import Foundation
import GRDB
import Synchronization
import Testing
@testable import PlaybookState

@Suite struct LedgerTests {
    @Test func aNewKeyIsClaimedOnceAndARepeatInTheRunIsHeldBack() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let claims = try await store.claim(keys: ["ana", "bo", "ana"], step: "alert", runID: "r1", delivery: .atMostOnce)
            #expect(claims == [.send, .send, .inFlight(by: "r1")])
            #expect(try await store.claim(key: "bo", step: "alert", runID: "r1") == .inFlight(by: "r1"))
            #expect(try await store.claim(key: "bo", step: "digest", runID: "r1") == .send)
        }
    }

    @Test func keysClaimedTogetherAreOneGroupWhoseStateChangesWhenTheyAreSent() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo", "cy"], step: "alert", runID: "r1", delivery: .atMostOnce)
            func tables() async throws -> (groups: [String], rows: [String]) {
                try await store.read { db in
                    (try String.fetchAll(db, sql: "SELECT keys || ':' || state FROM ledger_groups ORDER BY id"),
                     try String.fetchAll(db, sql: "SELECT key || ':' || state FROM notification_ledger ORDER BY key"))
                }
            }
            #expect(try await tables().groups == [#"["ana","bo","cy"]:0"#])
            #expect(try await tables().rows == ["ana:intended", "bo:intended", "cy:intended"])
            // A key settled on its own leaves the group for one of its own.
            try await store.markSent(keys: ["bo"], step: "alert", runID: "r1")
            #expect(try await tables().groups == [#"["ana","cy"]:0"#, #"["bo"]:1"#])
            try await store.markUncertain(keys: ["cy"], step: "alert", runID: "r1")
            try await store.release(keys: ["ana"], step: "alert", runID: "r1")
            #expect(try await tables().groups == [#"["bo"]:1"#, #"["cy"]:2"#])
            #expect(try await tables().rows == ["bo:sent", "cy:uncertain"])
            // Settled whole in the order claimed, the group only changes state; in another order,
            // its keys move to a new group.
            _ = try await store.claim(keys: ["dee", "eve"], step: "alert", runID: "r1", delivery: .atMostOnce)
            _ = try await store.claim(keys: ["fay", "gus"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markSent(keys: ["dee", "eve"], step: "alert", runID: "r1")
            #expect(try await tables().groups == [#"["bo"]:1"#, #"["cy"]:2"#, #"["dee","eve"]:1"#, #"["fay","gus"]:0"#])
            try await store.markSent(keys: ["gus", "fay"], step: "alert", runID: "r1")
            #expect(try await tables().groups == [#"["bo"]:1"#, #"["cy"]:2"#, #"["dee","eve"]:1"#, #"["gus","fay"]:1"#])
            #expect(try await tables().rows == ["bo:sent", "cy:uncertain", "dee:sent", "eve:sent", "fay:sent", "gus:sent"])
        }
    }

    @Test func aKeyGivenUpIsClaimedAgainThoughItsOldGroupIsWhereTheIndexLastSawIt() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send, .send])
            try await store.release(keys: ["ana"], step: "alert", runID: "r1")
            #expect(try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send, .inFlight(by: "r1")])
            try await store.release(keys: ["ana", "bo"], step: "alert", runID: "r1")
            #expect(try await store.claim(keys: ["bo", "ana"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send, .send])
            try await store.markSent(keys: ["bo", "ana"], step: "alert", runID: "r1")
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claims = try await store.claim(keys: ["ana", "bo", "cy"], step: "alert", runID: "r2", delivery: .atMostOnce)
            #expect(claims.map(\.shouldSend) == [false, false, true])
            if case .alreadySent(by: "r1", _) = claims[0] {} else { Issue.record("ana: \(claims[0])") }
        }
    }

    @Test func aRunThatEndsLetsGoOfItsStepsIndexesAndTheNextRunReadsThemAgain() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markSent(keys: ["ana", "bo"], step: "alert", runID: "r1")
            _ = try await store.claim(keys: ["cy"], step: "digest", runID: "r1", delivery: .atMostOnce)
            #expect(store.ledgerIndex.heldScopes == 2)
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            #expect(store.ledgerIndex.heldScopes == 0)
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claims = try await store.claim(keys: ["bo", "cy", "dee"], step: "alert", runID: "r2", delivery: .atMostOnce)
            #expect(claims.map(\.shouldSend) == [false, true, true])
            #expect(try await store.claim(key: "cy", step: "digest", runID: "r2") == .uncertain(by: "r1"))
        }
    }

    @Test func keysAnotherStoreClaimedAfterThisOneLookedAreHeld() async throws {
        try await withTemporaryFolder { folder in
            let stores = try (0..<2).map { _ in try SQLiteRunStateStore(path: statePath(folder)) }
            _ = try await stores[0].startRun(newRun("r1"), wait: .no)
            #expect(try await stores[0].claim(key: "ana", step: "alert", runID: "r1") == .send)
            try await stores[0].markSent(key: "ana", step: "alert", runID: "r1")
            // The other store, which this one never hears from, claims keys and moves one of them.
            #expect(try await stores[1].claim(keys: ["bo", "ana"], step: "alert", runID: "r1", delivery: .atMostOnce).map(\.shouldSend) == [true, false])
            try await stores[1].markSent(keys: ["bo"], step: "alert", runID: "r1")
            #expect(try await stores[1].claim(keys: ["cy", "dee"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send, .send])
            try await stores[1].markSent(keys: ["dee"], step: "alert", runID: "r1")
            let claims = try await stores[0].claim(keys: ["bo", "cy", "dee", "eve"], step: "alert", runID: "r1", delivery: .atMostOnce)
            #expect(claims.map(\.shouldSend) == [false, false, false, true])
            #expect(claims[1] == .inFlight(by: "r1"))
            if case .alreadySent(by: "r1", _) = claims[2] {} else { Issue.record("dee: \(claims[2])") }
        }
    }

    @Test func aGroupWhoseCommitFailedIsStillReadWhenAnotherStoresGroupTakesItsId() async throws {
        try await withTemporaryFolder { folder in
            let stores = try (0..<2).map { _ in try SQLiteRunStateStore(path: statePath(folder)) }
            _ = try await stores[0].startRun(newRun("r1"), wait: .no)
            let failing = CommitFailure()
            try await stores[0].pool.writeWithoutTransaction { db in db.add(transactionObserver: failing, extent: .observerLifetime) }
            // This claim adds its group, then its commit fails: the group is rolled back, and its
            // id is free again.
            await #expect(throws: (any Error).self) {
                try await stores[0].claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            }
            #expect(failing.failedCommits.withLock { $0 } == 1)
            // The other store's group takes that very id.
            #expect(try await stores[1].claim(keys: ["cy"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send])
            let ids = try await stores[1].read { db in try Int64.fetchAll(db, sql: "SELECT id FROM ledger_groups") }
            #expect(ids == [1])
            // This store must read it although it once added a group of that id itself: `cy` is
            // held, and the keys of the failed claim are claimed afresh.
            #expect(try await stores[0].claim(keys: ["cy", "ana"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.inFlight(by: "r1"), .send])
        }
    }

    @Test func aKeyInAnotherLiveRunsOpenClaimIsInFlight() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana"], step: "alert", runID: "r1", delivery: .atMostOnce)
            // A second live run of the playbook, recorded by hand past the playbook's lock.
            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, playbook, content_hash, params, trigger_kind, trigger_details, status,
                                          started_at, owner_pid, owner_host, heartbeat_at)
                        SELECT 'r2', playbook, content_hash, params, trigger_kind, trigger_details, 'running', started_at, owner_pid, owner_host, heartbeat_at
                        FROM runs WHERE id = 'r1'
                        """)
            }
            #expect(try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r2", delivery: .atLeastOnce) == [.inFlight(by: "r1"), .send])
            try await store.markSent(keys: ["ana"], step: "alert", runID: "r1")
            guard case .alreadySent(by: "r1", _) = try await store.claim(key: "ana", step: "alert", runID: "r2") else {
                Issue.record("the key r1 sent was not found sent")
                return
            }
        }
    }

    @Test func aSentKeyIsNotSentByALaterRun() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markSent(keys: ["ana", "bo"], step: "alert", runID: "r1")
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: clock.now)
            clock.advance(by: 3600)
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let sentAt = clock.now.addingTimeInterval(-3600)
            #expect(try await store.claim(keys: ["ana", "cy"], step: "alert", runID: "r2", delivery: .atLeastOnce)
                == [.alreadySent(by: "r1", at: sentAt), .send])
            #expect(try await store.uncertainNotifications(runID: "r2").isEmpty)
        }
    }

    @Test func oneGroupIsMarkedSentInTheTransactionThatClaimsTheNext() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(try await store.claim(keys: ["ana"], afterMarkingSent: [], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send])
            #expect(try await store.claim(keys: ["bo"], afterMarkingSent: ["ana"], step: "alert", runID: "r1", delivery: .atMostOnce) == [.send])
            // Nothing left to claim: the marks still go in.
            #expect(try await store.claim(keys: [], afterMarkingSent: ["bo"], step: "alert", runID: "r1", delivery: .atMostOnce).isEmpty)
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: clock.now)
            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r2", delivery: .atLeastOnce)
                == [.alreadySent(by: "r1", at: clock.now), .alreadySent(by: "r1", at: clock.now)])
        }
    }

    @Test func aClaimThatFailsLeavesTheEarlierGroupUnmarked() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.finishRun(id: "r1", status: .cancelled, summary: nil, finishedAt: clock.now)
            // The run no longer holds its playbook: the claim is refused, and with it the mark.
            await #expect(throws: StateStoreError.self) {
                try await store.claim(keys: ["bo"], afterMarkingSent: ["ana"], step: "alert", runID: "r1", delivery: .atMostOnce)
            }
            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r2", delivery: .atMostOnce) == [.uncertain(by: "r1"), .send])
        }
    }

    @Test func aRefusedMessageIsReleasedForALaterRun() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markSent(key: "bo", step: "alert", runID: "r1")
            try await store.release(keys: ["ana", "bo"], step: "alert", runID: "r1")
            try await store.finishRun(id: "r1", status: .failed, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claims = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r2", delivery: .atMostOnce)
            #expect(claims.first == .send)
            #expect(claims.last?.shouldSend == false)
        }
    }

    @Test func aMessageWhoseAnswerWasLostIsUncertainAtOnceAndNotReleased() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markUncertain(keys: ["ana"], step: "alert", runID: "r1")
            // While the run still runs, the history already shows it.
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ana"])
            // Only a claim still intended can be let go of.
            try await store.release(keys: ["ana", "bo"], step: "alert", runID: "r1")
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claims = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r2", delivery: .atMostOnce)
            #expect(claims == [.uncertain(by: "r1"), .send])
        }
    }

    @Test func aKeyLeftIntendedByAFinishedRunIsUncertainAndNotSentAgain() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.markSent(key: "bo", step: "alert", runID: "r1")
            try await store.finishRun(id: "r1", status: .cancelled, summary: nil, finishedAt: Date())
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ana"])

            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.claim(key: "ana", step: "alert", runID: "r2") == .uncertain(by: "r1"))
            let found = try await store.uncertainNotifications(runID: "r2")
            #expect(found.map(\.key) == ["ana"])
            #expect(found.first?.foundUncertainBy == "r2")
            #expect(found.first?.runID == "r1")
        }
    }

    @Test func eachUncertainKeyIsMarkedFoundByTheFirstRunThatFoundItAndNoOther() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana", "bo", "cy"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await store.finishRun(id: "r1", status: .cancelled, summary: nil, finishedAt: Date())
            // A later run finds one key of the three, then all three: each is found by it once.
            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.claim(key: "bo", step: "alert", runID: "r2") == .uncertain(by: "r1"))
            #expect(try await store.uncertainNotifications(runID: "r2").map(\.key) == ["bo"])
            try await store.finishRun(id: "r2", status: .succeeded, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r3"), wait: .no)
            #expect(try await store.claim(keys: ["ana", "bo", "cy"], step: "alert", runID: "r3", delivery: .atMostOnce)
                == [.uncertain(by: "r1"), .uncertain(by: "r1"), .uncertain(by: "r1")])
            #expect(try await store.uncertainNotifications(runID: "r3").map { "\($0.key) \($0.foundUncertainBy ?? "-")" } == ["ana r3", "cy r3"])
            #expect(try await store.uncertainNotifications(runID: "r2").map(\.key) == ["bo"])
            // The run that left them uncertain still lists all three.
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ana", "bo", "cy"])
        }
    }

    @Test func atLeastOnceSendsAnUncertainKeyAgain() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana"], step: "alert", runID: "r1", delivery: .atLeastOnce)
            try await store.finishRun(id: "r1", status: .failed, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claim = try await store.claim(key: "ana", step: "alert", runID: "r2", delivery: .atLeastOnce)
            #expect(claim == .resend(after: "r1"))
            #expect(claim.shouldSend)
            try await store.markSent(key: "ana", step: "alert", runID: "r2")
            try await store.finishRun(id: "r2", status: .succeeded, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r3"), wait: .no)
            guard case .alreadySent(by: "r2", _) = try await store.claim(key: "ana", step: "alert", runID: "r3") else {
                Issue.record("the key was not recorded as sent by r2")
                return
            }
        }
    }

    @Test func aResumedRunFindsItsOwnUnansweredKeysUncertain() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let crashed = try SQLiteRunStateStore(
                path: statePath(folder), options: storeOptions(clock: clock, owner: RunOwner(pid: deadPID, host: RunOwner.current.host)))
            _ = try await crashed.startRun(newRun("r1"), wait: .no)
            _ = try await crashed.claim(keys: ["ana", "bo"], step: "alert", runID: "r1", delivery: .atMostOnce)
            try await crashed.markSent(key: "bo", step: "alert", runID: "r1")

            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.resumeRun(id: "r1", wait: .no)
            let claims = try await store.claim(keys: ["ana", "bo", "cy"], step: "alert", runID: "r1", delivery: .atMostOnce)
            #expect(claims == [.uncertain(by: "r1"), .alreadySent(by: "r1", at: clock.now), .send])
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ana"])
        }
    }

    @Test func keysBelongToTheirPlaybookAndStep() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.startRun(newRun("w1", playbook: "weekly-report"), wait: .no)
            #expect(try await store.claim(key: "ana", step: "alert", runID: "r1") == .send)
            #expect(try await store.claim(key: "ana", step: "alert", runID: "w1") == .send)
            #expect(try await store.claim(key: "ana", step: "digest", runID: "r1") == .send)
        }
    }

    @Test func aKeyIntendedByARunThatDiedIsUncertainEvenForARunWithoutTheLock() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let crashed = try SQLiteRunStateStore(
                path: statePath(folder), options: storeOptions(clock: clock, owner: RunOwner(pid: deadPID, host: RunOwner.current.host)))
            _ = try await crashed.startRun(newRun("r1"), wait: .no)
            _ = try await crashed.claim(keys: ["ana"], step: "alert", runID: "r1", delivery: .atMostOnce)
            // Taking the playbook's lock settles a dead run first; a run recorded without it (written
            // here by hand) must still not send the key again.
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            try await store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO runs (id, playbook, content_hash, params, trigger_kind, trigger_details, status,
                                          started_at, owner_pid, owner_host, heartbeat_at)
                        SELECT 'r2', playbook, content_hash, params, trigger_kind, trigger_details, 'running',
                               started_at, ?, ?, heartbeat_at
                        FROM runs WHERE id = 'r1'
                        """,
                    arguments: [RunOwner.current.pid, RunOwner.current.host])
            }
            #expect(try await store.claim(key: "ana", step: "alert", runID: "r2") == .uncertain(by: "r1"))
            #expect(try await store.run(id: "r1")?.run.status == .interrupted)
        }
    }

    @Test func twoStoresClaimingTheSameKeysAtOnceSendEachKeyOnce() async throws {
        try await withTemporaryFolder { folder in
            let stores = try (0..<2).map { _ in try SQLiteRunStateStore(path: statePath(folder)) }
            _ = try await stores[0].startRun(newRun("r1"), wait: .no)
            let keys = (0..<200).map { "person-\($0)@example.com" }
            let claims = try await withThrowingTaskGroup(of: [(String, LedgerClaim)].self) { group in
                for task in 0..<8 {
                    let store = stores[task % 2]
                    // Each task claims every key, in chunks of 25, in its own order.
                    let order = task % 2 == 0 ? keys : keys.reversed()
                    group.addTask {
                        var answers: [(String, LedgerClaim)] = []
                        for start in stride(from: 0, to: order.count, by: 25) {
                            let chunk = Array(order[start..<start + 25])
                            let claimed = try await store.claim(keys: chunk, step: "alert", runID: "r1", delivery: .atMostOnce)
                            answers += zip(chunk, claimed)
                        }
                        return answers
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == 8 * keys.count)
            let sends = Dictionary(grouping: claims.filter { $0.1 == .send }, by: \.0).mapValues(\.count)
            #expect(sends.count == keys.count)
            #expect(sends.values.allSatisfy { $0 == 1 })
            #expect(claims.filter { $0.1 != .send }.allSatisfy { $0.1 == .inFlight(by: "r1") })
        }
    }
}

/// Makes the next commit that adds a ledger group fail, as a disk error at commit would: the
/// transaction is rolled back after the group was added.
private final class CommitFailure: TransactionObserver, Sendable {
    private let addedAGroup = Mutex(false)
    let failedCommits = Mutex(0)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(tableName: "ledger_groups") = eventKind { return true }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        addedAGroup.withLock { $0 = true }
    }

    func databaseWillCommit() throws {
        guard addedAGroup.withLock({ $0 }), failedCommits.withLock({ $0 }) == 0 else { return }
        failedCommits.withLock { $0 += 1 }
        throw DatabaseError(resultCode: .SQLITE_IOERR, message: "the disk failed at commit")
    }

    func databaseDidCommit(_ db: Database) {
        addedAGroup.withLock { $0 = false }
    }

    func databaseDidRollback(_ db: Database) {
        addedAGroup.withLock { $0 = false }
    }
}
