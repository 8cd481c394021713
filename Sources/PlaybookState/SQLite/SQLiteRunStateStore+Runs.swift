import Foundation
import GRDB

extension SQLiteRunStateStore {
    public func startRun(_ run: NewRun, wait: LockWait) async throws -> StartedRun {
        let owner = options.owner
        let now = self.now
        return try await withLock(playbook: run.playbook, runID: run.id, wait: wait) { db, interrupted in
            if try self.fetchRun(db, id: run.id) != nil { throw self.failure(.duplicateRun(run.id)) }
            try db.execute(
                sql: """
                    INSERT INTO runs (id, playbook, content_hash, params, trigger_kind, trigger_details, status,
                                      started_at, owner_pid, owner_host, heartbeat_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.playbook, run.contentHash, run.params, run.triggerKind, run.triggerDetails,
                    run.startedAt, owner.pid, owner.host, now,
                ])
            return StartedRun(run: try self.fetchRun(db, id: run.id)!, interrupted: interrupted)
        }
    }

    public func resumeRun(id: String, wait: LockWait) async throws -> StartedRun {
        let owner = options.owner
        let now = self.now
        // Settled first, outside the lock: a run that is still alive gets its own answer rather than "busy".
        let earlier = try await write { db -> RunRecord in
            guard let run = try self.fetchRun(db, id: id) else { throw self.failure(.unknownRun(id)) }
            _ = try self.interruptDeadRuns(db, playbook: run.playbook, now: now)
            return try self.fetchRun(db, id: id)!
        }
        if earlier.status == .running { throw failure(.stillRunning(id, owner: earlier.owner)) }
        if !earlier.status.isResumable { throw failure(.notResumable(id, status: earlier.status)) }
        return try await withLock(playbook: earlier.playbook, runID: id, wait: wait) { db, interrupted in
            guard let run = try self.fetchRun(db, id: id), run.status.isResumable else {
                throw self.failure(.notResumable(id, status: earlier.status))
            }
            try db.execute(
                sql: """
                    UPDATE runs SET status = 'running', finished_at = NULL, owner_pid = ?, owner_host = ?,
                                    heartbeat_at = ?, attempts = attempts + 1
                    WHERE id = ?
                    """,
                arguments: [owner.pid, owner.host, now, id])
            return StartedRun(run: try self.fetchRun(db, id: id)!, interrupted: interrupted.filter { $0.id != id })
        }
    }

    public func heartbeat(runID: String) async throws {
        let now = self.now
        try await write { db in
            try self.ownRunningRun(db, id: runID)
            try db.execute(sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ?", arguments: [now, runID])
        }
    }

    public func recordStepResults(_ results: [StepResult], runID: String) async throws {
        guard !results.isEmpty else { return }
        try await write { db in
            try self.requireRun(db, id: runID)
            let insert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO step_results (run_id, step, kind, status, records_in, records_out,
                                                     records_skipped, calls, error, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for result in results {
                try insert.execute(arguments: [
                    runID, result.step, result.kind, result.status.rawValue, result.recordsIn, result.recordsOut,
                    result.recordsSkipped, result.calls, result.error, result.startedAt, result.finishedAt,
                ])
            }
        }
    }

    public func finishRun(id: String, status: RunRecord.Status, summary: String?, finishedAt: Date) async throws {
        guard status == .succeeded || status == .failed || status == .cancelled else {
            throw failure(.invalidValue(detail: "a run ends as succeeded, failed or cancelled, not \(status.rawValue)"))
        }
        let now = self.now
        try await write { db in
            let playbook = try self.ownRunningRun(db, id: id)
            try db.execute(
                sql: "UPDATE runs SET status = ?, summary = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?",
                arguments: [status.rawValue, summary, finishedAt, now, id])
            try self.settleUnanswered(db, runID: id)
            if status == .succeeded { try self.forgetPages(db, playbook: playbook) }
            try self.ledgerIndex.forget(Int64.fetchAll(db, sql: "SELECT id FROM ledger_scopes WHERE playbook = ?", arguments: [playbook]))
        }
    }

    /// The run, when it is running in this store's process; otherwise the error that says why not.
    /// Returns its playbook.
    @discardableResult
    func ownRunningRun(_ db: Database, id: String) throws -> String {
        try requireKnownSchema(db)
        // Asked before every claim and batch: a statement kept compiled.
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT playbook, status, owner_pid, owner_host FROM runs WHERE id = ?"), arguments: [id])
        else { throw failure(.unknownRun(id)) }
        let owner = RunOwner(pid: row["owner_pid"], host: row["owner_host"])
        let status = RunRecord.Status(rawValue: row["status"]) ?? .interrupted
        guard status == .running, owner == options.owner else {
            throw failure(.runNotOwned(id, status: status, owner: owner))
        }
        return row["playbook"]
    }

    /// Refuses a file that a newer playbook upgraded after this store opened it (a long-running
    /// `playbook serve` beside a newer `playbook run`): this build would not see what the newer
    /// one records, such as the keys it claimed, and could send a message twice.
    func requireKnownSchema(_ db: Database) throws {
        let version = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA user_version")) ?? 0
        if version > Schema.currentVersion { throw failure(.newerSchema(found: version, supported: Schema.currentVersion)) }
    }

    /// The run's playbook; throws when there is no such run.
    @discardableResult
    func requireRun(_ db: Database, id: String) throws -> String {
        guard let playbook = try String.fetchOne(db.cachedStatement(sql: "SELECT playbook FROM runs WHERE id = ?"), arguments: [id]) else {
            throw failure(.unknownRun(id))
        }
        return playbook
    }
}
