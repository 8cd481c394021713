import Foundation
import GRDB

/// One try at a playbook's lock: done, or held by a live run.
private enum LockAttempt<Value: Sendable>: Sendable {
    case done(Value)
    case busy(StateStoreError.Holder)
}

extension SQLiteRunStateStore {
    /// Takes the playbook's lock for `runID` and runs `body` in the same transaction, after marking
    /// the playbook's dead runs `interrupted` (they are passed to `body`). A live holder makes it
    /// fail or wait, as `wait` says.
    func withLock<Value: Sendable>(
        playbook: String, runID: String, wait: LockWait,
        _ body: @escaping @Sendable (Database, [RunRecord]) throws -> Value
    ) async throws -> Value {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            let now = self.now
            let attempt: LockAttempt<Value> = try await write { db in
                try self.requireKnownSchema(db)
                let interrupted = try self.interruptDeadRuns(db, playbook: playbook, now: now)
                if let holder = try self.lockHolder(db, playbook: playbook) {
                    return .busy(holder)
                }
                let value = try body(db, interrupted)
                try db.execute(
                    sql: "INSERT INTO playbook_locks (playbook, run_id, acquired_at) VALUES (?, ?, ?)",
                    arguments: [playbook, runID, now])
                return .done(value)
            }
            switch attempt {
            case .done(let value):
                return value
            case .busy(let holder):
                guard case .upTo(let limit) = wait else {
                    throw failure(.playbookBusy(playbook: playbook, holder: holder))
                }
                let waited = clock.now - start
                if waited >= limit { throw failure(.lockWaitTimedOut(playbook: playbook, holder: holder, waited: waited)) }
                try await Task.sleep(for: min(options.lockPollInterval, limit - waited))
            }
        }
    }

    /// The live run holding the playbook's lock, if one does. A lock left by a run that is not
    /// running any more is removed.
    private func lockHolder(_ db: Database, playbook: String) throws -> StateStoreError.Holder? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT runs.id, runs.status, runs.started_at, runs.owner_pid, runs.owner_host, runs.heartbeat_at
                FROM playbook_locks JOIN runs ON runs.id = playbook_locks.run_id
                WHERE playbook_locks.playbook = ?
                """,
            arguments: [playbook])
        guard let row else { return nil }
        guard row["status"] as String == RunRecord.Status.running.rawValue else {
            try db.execute(sql: "DELETE FROM playbook_locks WHERE playbook = ?", arguments: [playbook])
            return nil
        }
        return StateStoreError.Holder(
            runID: row["id"], startedAt: row["started_at"],
            owner: RunOwner(pid: row["owner_pid"], host: row["owner_host"]), heartbeatAt: row["heartbeat_at"])
    }

    /// Marks the running runs whose process died `interrupted` (of one playbook, or of all), and
    /// returns them as they are now.
    func interruptDeadRuns(_ db: Database, playbook: String?, now: Date) throws -> [RunRecord] {
        let running = try Row.fetchAll(
            db,
            sql: "SELECT id, owner_pid, owner_host, heartbeat_at FROM runs WHERE status = 'running'"
                + (playbook == nil ? "" : " AND playbook = ?"),
            arguments: playbook.map { [$0] } ?? [])
        var interrupted: [RunRecord] = []
        for row in running {
            let owner = RunOwner(pid: row["owner_pid"], host: row["owner_host"])
            guard liveness.isDead(owner: owner, heartbeatAt: row["heartbeat_at"], now: now) else { continue }
            let id: String = row["id"]
            try db.execute(
                sql: "UPDATE runs SET status = 'interrupted', finished_at = heartbeat_at WHERE id = ?", arguments: [id])
            try settleUnanswered(db, runID: id)
            if let run = try fetchRun(db, id: id) { interrupted.append(run) }
        }
        return interrupted
    }

    /// What a run that stops leaves behind: messages and batches it meant to send and never heard
    /// back about become uncertain, and its lock is released.
    func settleUnanswered(_ db: Database, runID: String) throws {
        try settleOpenClaims(db, runID: runID)
        try db.execute(sql: "UPDATE sync_batches SET state = 'uncertain' WHERE run_id = ? AND state = 'intended'", arguments: [runID])
        try db.execute(sql: "DELETE FROM playbook_locks WHERE run_id = ?", arguments: [runID])
    }
}
