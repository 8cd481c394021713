import CEL
import Foundation
import GRDB
import PlaybookRuntime

// The notification ledger: a `once_per` key is recorded as intended before its message is sent, and
// as sent once the platform acknowledges it.

extension SQLiteRunStateStore {
    public func claim(keys: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        guard !keys.isEmpty else { return [] }
        let now = self.now
        return try await write { db in try self.claim(db, keys: keys, step: step, runID: runID, delivery: delivery, now: now) }
    }

    public func claim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        guard !keys.isEmpty else {
            try await markSent(keys: sent, step: step, runID: runID)
            return []
        }
        let now = self.now
        return try await write { db in
            if !sent.isEmpty { try self.markSent(db, keys: sent, step: step, runID: runID, now: now) }
            return try self.claim(db, keys: keys, step: step, runID: runID, delivery: delivery, now: now)
        }
    }

    private func claim(_ db: Database, keys: [String], step: String, runID: String, delivery: NotificationDelivery, now: Date) throws -> [LedgerClaim] {
        let playbook = try ownRunningRun(db, id: runID)
        // The keys go in as one JSON array, and SQLite inserts them in one statement: a key
        // nobody holds (the common case) costs no statement of its own.
        let inserted = try String.fetchSet(
            db.cachedStatement(sql: """
                INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at)
                SELECT ?, ?, value, 'intended', ?, ? FROM json_each(?) WHERE true
                ON CONFLICT DO NOTHING
                RETURNING key
                """),
            arguments: [playbook, step, runID, now, Self.jsonArray(keys)])
        var answered = Set<String>()
        var claims: [LedgerClaim] = []
        claims.reserveCapacity(keys.count)
        for key in keys {
            if inserted.contains(key), answered.insert(key).inserted {
                claims.append(.send)
            } else {
                let entry = LedgerKey(playbook: playbook, step: step, key: key)
                claims.append(try claimTaken(db, entry, runID: runID, delivery: delivery, now: now))
            }
        }
        return claims
    }

    /// Keys as a JSON array of strings, for `json_each`.
    static func jsonArray(_ keys: [String]) -> String {
        JSONText.string(.list(keys.map(CELValue.string)))
    }

    /// The answer for a key the ledger holds already.
    private func claimTaken(_ db: Database, _ entry: LedgerKey, runID: String, delivery: NotificationDelivery, now: Date) throws -> LedgerClaim {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT state, run_id, sent_at FROM notification_ledger WHERE playbook = ? AND step = ? AND key = ?",
            arguments: [entry.playbook, entry.step, entry.key])
        else { throw failure(.corrupt(detail: "a ledger entry vanished inside a transaction")) }
        let holder: String = row["run_id"]
        switch row["state"] as String {
        case LedgerEntry.State.sent.rawValue:
            return .alreadySent(by: holder, at: row["sent_at"] ?? now)
        case LedgerEntry.State.intended.rawValue:
            if try holder == runID || holderIsAlive(db, runID: holder, now: now) { return .inFlight(by: holder) }
            // Its run stopped without a word: what it meant to send is uncertain.
            try db.execute(
                sql: "UPDATE notification_ledger SET state = 'uncertain' WHERE playbook = ? AND step = ? AND key = ?",
                arguments: [entry.playbook, entry.step, entry.key])
        default:
            break
        }
        try db.execute(
            sql: """
                UPDATE notification_ledger SET found_uncertain_by = coalesce(found_uncertain_by, ?)
                WHERE playbook = ? AND step = ? AND key = ?
                """,
            arguments: [runID, entry.playbook, entry.step, entry.key])
        guard delivery == .atLeastOnce else { return .uncertain(by: holder) }
        try db.execute(
            sql: """
                UPDATE notification_ledger SET state = 'intended', run_id = ?, intended_at = ?
                WHERE playbook = ? AND step = ? AND key = ?
                """,
            arguments: [runID, now, entry.playbook, entry.step, entry.key])
        return .resend(after: holder)
    }

    /// Whether the run is running in a live process; a dead one is marked `interrupted` on the way.
    private func holderIsAlive(_ db: Database, runID: String, now: Date) throws -> Bool {
        guard let run = try fetchRun(db, id: runID), run.status == .running else { return false }
        guard liveness.isDead(owner: run.owner, heartbeatAt: run.heartbeatAt, now: now) else { return true }
        _ = try interruptDeadRuns(db, playbook: run.playbook, now: now)
        return false
    }

    public func markSent(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        let now = self.now
        // Not waited for on the disk: a mark a power cut undoes leaves its key intended, and the
        // next run finds it uncertain and does not send it again.
        try await writeWithoutFlush { db in try self.markSent(db, keys: keys, step: step, runID: runID, now: now) }
    }

    private func markSent(_ db: Database, keys: [String], step: String, runID: String, now: Date) throws {
        let playbook = try requireRun(db, id: runID)
        try db.cachedStatement(sql: """
            INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at, sent_at)
            SELECT ?, ?, value, 'sent', ?, ?, ? FROM json_each(?) WHERE true
            ON CONFLICT (playbook, step, key) DO UPDATE SET state = 'sent', run_id = excluded.run_id, sent_at = excluded.sent_at
            """).execute(arguments: [playbook, step, runID, now, now, Self.jsonArray(keys)])
    }

    public func release(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        try await write { db in
            let playbook = try self.requireRun(db, id: runID)
            let delete = try db.cachedStatement(
                sql: "DELETE FROM notification_ledger WHERE playbook = ? AND step = ? AND key = ? AND run_id = ? AND state = 'intended'")
            for key in keys {
                try delete.execute(arguments: [playbook, step, key, runID])
            }
        }
    }

    public func markUncertain(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        // An intended key is found uncertain anyway once its run has stopped.
        try await writeWithoutFlush { db in
            let playbook = try self.requireRun(db, id: runID)
            let update = try db.cachedStatement(
                sql: "UPDATE notification_ledger SET state = 'uncertain' WHERE playbook = ? AND step = ? AND key = ? AND run_id = ? AND state = 'intended'")
            for key in keys {
                try update.execute(arguments: [playbook, step, key, runID])
            }
        }
    }

    public func uncertainNotifications(runID: String) async throws -> [LedgerEntry] {
        try await read { db in
            try self.requireRun(db, id: runID)
            return try self.uncertainNotifications(db, runID: runID)
        }
    }

    func uncertainNotifications(_ db: Database, runID: String) throws -> [LedgerEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM notification_ledger WHERE state = 'uncertain' AND run_id = ? AND state <> 'sent' -- through ledger_open
                UNION
                SELECT * FROM notification_ledger WHERE state = 'uncertain' AND found_uncertain_by = ?
                ORDER BY step, key
                """,
            arguments: [runID, runID]
        ).map(ledgerEntry)
    }
}

/// A key of the ledger, with the playbook and step it belongs to.
private struct LedgerKey {
    var playbook: String
    var step: String
    var key: String
}
