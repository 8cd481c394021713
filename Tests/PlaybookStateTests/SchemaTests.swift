import Foundation
import Synchronization
import GRDB
import Testing
@testable import PlaybookState

@Suite struct SchemaTests {
    @Test func anEmptyFileIsMigratedToTheCurrentVersion() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let store = try SQLiteRunStateStore(path: path)
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            let (tables, views, applied, journal, applicationID) = try await store.read { db in
                (
                    try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"),
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view'"),
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int32.fetchOne(db, sql: "PRAGMA application_id")
                )
            }
            #expect(tables == [
                "runs", "step_results", "dead_letters", "cursors", "cursor_keys", "ledger_groups", "ledger_scopes", "run_numbers", "sync_batches",
                "checkpoints", "playbook_locks", "fetch_pages", "webhook_events", "schedule_fires", "grdb_migrations",
            ])
            #expect(views == ["notification_ledger"])
            #expect(applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
            #expect(journal == "wal")
            #expect(applicationID == Schema.applicationID)
        }
    }

    @Test func everyCommitIsFlushedToTheDiskUnlessToldOtherwise() async throws {
        try await withTemporaryFolder { folder in
            let flushed = try SQLiteRunStateStore(path: statePath(folder))
            #expect(try await flushed.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
            var options = SQLiteRunStateStore.Options()
            options.flushEachCommit = false
            let lazy = try SQLiteRunStateStore(path: (folder as NSString).appendingPathComponent("other.sqlite"), options: options)
            #expect(try await lazy.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 1)
        }
    }

    @Test func acknowledgementsAreNotWaitedForButEveryOtherCommitIsFlushed() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            _ = try await store.claim(keys: ["ana@example.com", "ben@example.com"], step: "alert", runID: "r1", delivery: .atMostOnce)
            let levelInside = try await store.writeWithoutFlush { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(levelInside == 1)
            try await store.markSent(keys: ["ana@example.com"], step: "alert", runID: "r1")
            try await store.markUncertain(keys: ["ben@example.com"], step: "alert", runID: "r1")
            #expect(try await store.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
            // A failed change leaves the level as it was, too.
            await #expect(throws: (any Error).self) {
                try await store.writeWithoutFlush { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }
            }
            #expect(try await store.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ben@example.com"])
        }
    }

    @Test func aRunsOpenGroupsAreFoundThroughTheIndexOfOpenGroups() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            let plans = try await store.read { db in
                try [
                    "UPDATE ledger_groups SET state = 2 WHERE run = ? AND state = 0 AND state <> 1",
                    "SELECT * FROM ledger_groups WHERE state = 2 AND run = ? AND state <> 1",
                    "UPDATE ledger_groups SET state = 1 WHERE run = ? AND state = 0 AND state <> 1 AND scope = 1 AND keys = '[]'",
                ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [1]).map { $0["detail"] as String }.joined() }
            }
            for plan in plans { #expect(plan.contains("ledger_groups_open"), "\(plan)") }
        }
    }

    @Test func aFileOfTheThirdVersionKeepsItsLedgerAndFindsItsUncertainKeys() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let clock = TestClock()
            try await writeStateFile(at: path, upTo: "v3", sql: """
                \(insertRuns([(id: "r1", day: 1, leftRunning: false)]))
                INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at, sent_at)
                VALUES ('hot-leads', 'alert', 'ana@example.com', 'sent', 'r1', '2026-12-01 10:00:00.000', '2026-12-01 10:00:01.000'),
                       ('hot-leads', 'alert', 'ben@example.com', 'uncertain', 'r1', '2026-12-01 10:00:00.000', NULL);
                """)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ben@example.com"])
            _ = try await store.startRun(newRun("r2"), wait: .no)
            let claims = try await store.claim(keys: ["ana@example.com", "ben@example.com"], step: "alert", runID: "r2", delivery: .atMostOnce)
            #expect(claims.count == 2)
            if case .alreadySent(by: "r1", _) = claims[0] {} else { Issue.record("ana: \(claims[0])") }
            #expect(claims[1] == .uncertain(by: "r1"))
        }
    }

    @Test func aKeyAFileOfTheFourthVersionLeftIntendedIsStillUncertain() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let clock = TestClock()
            try await writeStateFile(at: path, upTo: "v4", sql: """
                \(insertRuns([(id: "r1", day: 1, leftRunning: true)]))
                INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at)
                VALUES ('hot-leads', 'alert', 'ana@example.com', 'intended', 'r1', '2026-12-01 10:00:00.000');
                """)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            // Starting a run settles the dead one; its intended key is uncertain, not sent again.
            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.uncertainNotifications(runID: "r1").map(\.key) == ["ana@example.com"])
            #expect(try await store.claim(keys: ["ana@example.com", "ben@example.com"], step: "alert", runID: "r2", delivery: .atMostOnce)
                == [.uncertain(by: "r1"), .send])
        }
    }

    @Test func aFileOfTheFifthVersionKeepsEveryKeyItsTimesAndItsOpenClaims() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let clock = TestClock()
            try await writeStateFile(at: path, upTo: "v5", sql: """
                \(insertRuns([(id: "r1", day: 1, leftRunning: false), (id: "r2", day: 2, leftRunning: true)]))
                INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at, sent_at, found_uncertain_by)
                VALUES ('hot-leads', 'alert', 'ana@example.com', 'sent', 'r1', '2026-12-01 10:00:00.250', '2026-12-01 10:00:01.999', NULL),
                       ('hot-leads', 'alert', 'ben@example.com', 'uncertain', 'r1', '2026-12-01 10:00:00.250', NULL, 'r2'),
                       ('hot-leads', 'digest', 'ana@example.com', 'intended', 'r2', '2026-12-02 10:00:00.007', NULL, NULL);
                INSERT INTO ledger_intents (playbook, step, run_id, keys, intended_at)
                VALUES ('hot-leads', 'alert', 'r2', '["cy@example.com","dee@example.com"]', '2026-12-02 10:00:00.500');
                """)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            // The view shows each row as the fifth version held it, and the keys of open claims as intended.
            let rows = try await store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT playbook || ' ' || step || ' ' || key || ' ' || state || ' ' || run_id || ' ' || intended_at || ' '
                        || coalesce(sent_at, '-') || ' ' || coalesce(found_uncertain_by, '-')
                    FROM notification_ledger ORDER BY step, key
                    """)
            }
            #expect(rows == [
                "hot-leads alert ana@example.com sent r1 2026-12-01 10:00:00.250 2026-12-01 10:00:01.999 -",
                "hot-leads alert ben@example.com uncertain r1 2026-12-01 10:00:00.250 - r2",
                "hot-leads alert cy@example.com intended r2 2026-12-02 10:00:00.500 - -",
                "hot-leads alert dee@example.com intended r2 2026-12-02 10:00:00.500 - -",
                "hot-leads digest ana@example.com intended r2 2026-12-02 10:00:00.007 - -",
            ])
            let sent = try #require(try await store.read { db in try Int64.fetchOne(db, sql: "SELECT sent_at FROM ledger_groups, json_each(keys) WHERE value = 'ana@example.com' AND state = 1") })
            #expect(sent == 1_796_119_201_999)
            #expect(try await store.uncertainNotifications(runID: "r2").map(\.key) == ["ben@example.com"])
            // The dead run's open claim and its key intended again become uncertain when the next run starts.
            _ = try await store.startRun(newRun("r3"), wait: .no)
            #expect(try await store.uncertainNotifications(runID: "r2").map { "\($0.step)/\($0.key)" }
                == ["alert/ben@example.com", "alert/cy@example.com", "alert/dee@example.com", "digest/ana@example.com"])
            try await expectTheUpgradedKeysAnswers(store, runID: "r3")
        }
    }

    @Test func anUpgradeIsAnnouncedOnceAndOnlyForAnOlderFile() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            try await writeStateFile(at: path, upTo: "v5", sql: "SELECT 1")
            let announced = Mutex<[String]>([])
            var options = SQLiteRunStateStore.Options()
            options.upgrading = { path, from, to in announced.withLock { $0.append("\((path as NSString).lastPathComponent) \(from) → \(to)") } }
            _ = try SQLiteRunStateStore(path: path, options: options)
            _ = try SQLiteRunStateStore(path: path, options: options)
            _ = try SQLiteRunStateStore(path: (folder as NSString).appendingPathComponent("new.sqlite"), options: options)
            #expect(announced.withLock { $0 } == ["\((path as NSString).lastPathComponent) 5 → \(Schema.currentVersion)"])
        }
    }

    @Test func aFileOfTheSixthVersionKeepsEveryKeyInGroupsAndItsOpenClaims() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let clock = TestClock()
            try await writeStateFile(at: path, upTo: "v6", sql: """
                \(insertRuns([(id: "r1", day: 1, leftRunning: false), (id: "r2", day: 2, leftRunning: true)]))
                INSERT INTO ledger_scopes (id, playbook, step) VALUES (1, 'hot-leads', 'alert'), (2, 'hot-leads', 'digest');
                INSERT INTO run_numbers (number, run_id) VALUES (1, 'r1'), (2, 'r2');
                INSERT INTO ledger (scope, key, state, run, intended_at, sent_at, found_uncertain_by)
                VALUES (1, 'ana@example.com', 1, 1, NULL, 1796119201999, NULL),
                       (1, 'al@example.com', 1, 1, NULL, 1796119201999, NULL),
                       (1, 'ben@example.com', 2, 1, 1796119200250, NULL, 2),
                       (2, 'ana@example.com', 0, 2, 1796205600007, NULL, NULL);
                INSERT INTO ledger_claims (scope, run, keys, intended_at) VALUES (1, 2, '["cy@example.com","dee@example.com"]', 1796205600500);
                """)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            let (groups, rows) = try await store.read { db in
                (try String.fetchAll(db, sql: "SELECT scope || ' ' || state || ' ' || keys FROM ledger_groups ORDER BY id"),
                 try String.fetchAll(db, sql: """
                    SELECT step || ' ' || key || ' ' || state || ' ' || run_id || ' ' || intended_at || ' ' || coalesce(sent_at, '-') || ' '
                        || coalesce(found_uncertain_by, '-')
                    FROM notification_ledger ORDER BY step, key
                    """))
            }
            // Keys sent together by one run at one time are one group.
            #expect(groups == [
                #"1 1 ["al@example.com","ana@example.com"]"#, #"1 2 ["ben@example.com"]"#, #"2 0 ["ana@example.com"]"#,
                #"1 0 ["cy@example.com","dee@example.com"]"#,
            ])
            #expect(rows == [
                "alert al@example.com sent r1 2026-12-01 10:00:01.999 2026-12-01 10:00:01.999 -",
                "alert ana@example.com sent r1 2026-12-01 10:00:01.999 2026-12-01 10:00:01.999 -",
                "alert ben@example.com uncertain r1 2026-12-01 10:00:00.250 - r2",
                "alert cy@example.com intended r2 2026-12-02 10:00:00.500 - -",
                "alert dee@example.com intended r2 2026-12-02 10:00:00.500 - -",
                "digest ana@example.com intended r2 2026-12-02 10:00:00.007 - -",
            ])
            _ = try await store.startRun(newRun("r3"), wait: .no)
            try await expectTheUpgradedKeysAnswers(store, runID: "r3")
            #expect(try await store.claim(key: "ana@example.com", step: "digest", runID: "r3") == .uncertain(by: "r2"))
        }
    }

    @Test func aFileANewerPlaybookUpgradedWhileOpenIsRefusedBeforeAnyClaimOrRun() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            #expect(try await store.claim(key: "ana", step: "alert", runID: "r1") == .send)
            // Another process, of a newer playbook, upgrades the file this one has open.
            try await store.write { db in try db.execute(sql: "PRAGMA user_version = \(Schema.currentVersion + 1)") }
            for attempt in ["claim", "start"] {
                do {
                    if attempt == "claim" {
                        _ = try await store.claim(key: "bo", step: "alert", runID: "r1")
                    } else {
                        _ = try await store.startRun(newRun("w1", playbook: "weekly-report"), wait: .no)
                    }
                    Issue.record("the \(attempt) went through on a newer file")
                } catch let error as StateStoreError {
                    guard case .newerSchema(let found, let supported) = error.problem else {
                        Issue.record("\(attempt): \(error)")
                        continue
                    }
                    #expect(found == Schema.currentVersion + 1)
                    #expect(supported == Schema.currentVersion)
                }
            }
        }
    }

    @Test func aFileOfTheFirstVersionIsMigratedKeepingItsRuns() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let queue = try DatabaseQueue(path: path)
                try Schema.migrator.migrate(queue, upTo: "v1")
                try queue.close()
            }
            let store = try SQLiteRunStateStore(path: path)
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.savePage("[]", position: "{}", step: "leads", runID: "r1")
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            #expect(try await store.readProgress(step: "leads", runID: "r1")?.pages == ["[]"])
        }
    }

    @Test func reopeningKeepsWhatWasStored() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let clock = TestClock()
            do {
                let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
                _ = try await store.startRun(newRun("r1"), wait: .no)
                _ = try await store.claim(keys: ["ana@example.com"], step: "alert", runID: "r1", delivery: .atMostOnce)
                try await store.markSent(key: "ana@example.com", step: "alert", runID: "r1")
                try await store.finishRun(id: "r1", status: .succeeded, summary: #"{"records":3}"#, finishedAt: clock.now)
            }
            let reopened = try SQLiteRunStateStore(path: path, options: storeOptions(clock: clock))
            let run = try #require(try await reopened.lastRun(playbook: "hot-leads"))
            #expect(run.id == "r1")
            #expect(run.status == .succeeded)
            #expect(run.summary == #"{"records":3}"#)
            _ = try await reopened.startRun(newRun("r2"), wait: .no)
            let claim = try await reopened.claim(key: "ana@example.com", step: "alert", runID: "r2")
            #expect(claim == .alreadySent(by: "r1", at: clock.now))
        }
    }

    @Test func storesOpeningANewFileAtOnceAllSucceed() async throws {
        try await withTemporaryFolder { folder in
            for round in 0..<10 {
                let path = (folder as NSString).appendingPathComponent("state-\(round).sqlite")
                let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await SQLiteRunStateStore(path: path).schemaVersion() }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(versions == Array(repeating: Schema.currentVersion, count: 4))
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(left.filter { $0.contains(".new-") } == [])
        }
    }

    @Test func theFolderIsCreatedWhenMissing() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("a/b/state.sqlite")
            _ = try SQLiteRunStateStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aBackupOpensAsAStateFileWithTheSameRuns() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let copy = (folder as NSString).appendingPathComponent("backup.sqlite")
            try await store.backup(to: copy)
            let restored = try SQLiteRunStateStore(path: copy)
            #expect(try await restored.runs(playbook: nil, limit: 10).map(\.id) == ["r1"])
        }
    }

    @Test func theDefaultLocationIsBesideThePlaybook() {
        #expect(StateLocation.defaultPath(forPlaybookAt: "playbooks/hot-leads.yaml") == "playbooks/.playbook/state.sqlite")
        #expect(StateLocation.defaultPath(forPlaybookAt: "hot-leads.yaml") == ".playbook/state.sqlite")
        #expect(StateLocation.defaultPath(forPlaybookAt: "/srv/marketing/hot-leads.yaml") == "/srv/marketing/.playbook/state.sqlite")
        #expect(StateLocation.defaultPath(inDirectory: "/srv/marketing") == "/srv/marketing/.playbook/state.sqlite")
        #expect(StateLocation.defaultPath(inDirectory: ".") == ".playbook/state.sqlite")
    }

    /// SQL inserting runs of `hot-leads` that started on a day of December 2026: each either
    /// interrupted, recorded by another machine, or left running by a process of this one that died.
    private func insertRuns(_ runs: [(id: String, day: Int, leftRunning: Bool)]) -> String {
        let rows = runs.map { run in
            let time = "2026-12-0\(run.day) 10:00:00.000"
            let (status, pid, host) = run.leftRunning ? ("running", "\(deadPID)", RunOwner.current.host) : ("interrupted", "1", "elsewhere")
            return "('\(run.id)', 'hot-leads', '', '{}', 'manual', '{}', '\(status)', '\(time)', \(pid), '\(host)', '\(time)')"
        }
        return "INSERT INTO runs (id, playbook, content_hash, params, trigger_kind, trigger_details, status, started_at, owner_pid, owner_host, heartbeat_at) "
            + "VALUES " + rows.joined(separator: ", ") + ";"
    }

    /// Makes a state file of an earlier schema version holding what `sql` inserts.
    /// What a run's claim answers for the keys the upgraded files of the fifth and sixth versions
    /// hold: ana sent by r1, ben left uncertain by r1, cy left intended by r2 (which died), eve new.
    private func expectTheUpgradedKeysAnswers(_ store: SQLiteRunStateStore, runID: String) async throws {
        let claims = try await store.claim(keys: ["ana@example.com", "ben@example.com", "cy@example.com", "eve@example.com"], step: "alert",
                                           runID: runID, delivery: .atMostOnce)
        if case .alreadySent(by: "r1", let at) = claims[0] {
            #expect(at == Date(timeIntervalSince1970: 1_796_119_201.999))
        } else {
            Issue.record("ana: \(claims[0])")
        }
        #expect(Array(claims.dropFirst()) == [.uncertain(by: "r1"), .uncertain(by: "r2"), .send])
    }

    private func writeStateFile(at path: String, upTo version: String, sql: String) async throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: version)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
