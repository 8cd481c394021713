import Foundation
import GRDB
import PlaybookRuntime

// The notification ledger: a `once_per` key is recorded as intended before its message is sent, and
// as sent once the platform acknowledges it. The keys a claim takes afresh are recorded together,
// as one row of `ledger_intents` (an open claim); each gets a row of its own in
// `notification_ledger` when it is sent, or when it becomes uncertain. So a key sent costs one
// row written, not a row written and then rewritten.

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
        let scope = LedgerScope(playbook: playbook, step: step)
        let keysJSON = Self.jsonArray(keys)
        var held = try heldKeys(db, scope, keysJSON: keysJSON)
        var pending = try pendingClaims(db, scope, keysJSON: keysJSON)
        // A run that stopped with claims still open leaves them uncertain: they become rows of
        // their own before they are answered.
        var stopped: [String] = []
        for holder in Set(pending.values) where holder != runID {
            if try !holderIsAlive(db, runID: holder, now: now) { stopped.append(holder) }
        }
        if !stopped.isEmpty {
            for holder in stopped { try settleOpenClaims(db, runID: holder) }
            held = try heldKeys(db, scope, keysJSON: keysJSON)
            pending = try pendingClaims(db, scope, keysJSON: keysJSON)
        }

        var fresh: [String] = []
        var answered: [String: LedgerClaim] = [:]
        answered.reserveCapacity(keys.count)
        var claims: [LedgerClaim] = []
        claims.reserveCapacity(keys.count)
        for key in keys {
            let claim: LedgerClaim
            if let earlier = answered[key] {
                // The same key twice in one claim: what this claim sends, it sends once.
                claim = earlier.shouldSend ? .inFlight(by: runID) : earlier
            } else if let holder = pending[key] {
                claim = .inFlight(by: holder)
            } else if let entry = held[key] {
                claim = try claimTaken(db, scope, key: key, entry: entry, runID: runID, delivery: delivery, now: now)
            } else {
                fresh.append(key)
                claim = .send
            }
            answered[key] = claim
            claims.append(claim)
        }
        if !fresh.isEmpty {
            // The keys nobody holds (the common case) are recorded as intended together, in one row.
            try db.cachedStatement(sql: """
                INSERT INTO ledger_intents (playbook, step, run_id, keys, intended_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [playbook, step, runID, fresh.count == keys.count ? keysJSON : Self.jsonArray(fresh), StoredTime.text(now)])
        }
        return claims
    }

    /// Keys as a JSON array of strings, for `json_each`.
    static func jsonArray(_ keys: [String]) -> String {
        JSONText.array(ofStrings: keys)
    }

    /// The rows of the keys of a JSON array, for a playbook and step. CROSS JOIN keeps the keys as
    /// the outer loop, so each is one lookup by primary key however large the ledger grows.
    static let heldKeysQuery = """
        SELECT l.key, l.state, l.run_id, l.sent_at FROM json_each(?) AS wanted
        CROSS JOIN notification_ledger AS l ON l.playbook = ? AND l.step = ? AND l.key = wanted.value
        """

    /// Which of the keys the ledger holds a row for (sent, uncertain, or intended to be sent again),
    /// with what the row says.
    private func heldKeys(_ db: Database, _ scope: LedgerScope, keysJSON: String) throws -> [String: HeldKey] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.heldKeysQuery), arguments: [keysJSON, scope.playbook, scope.step])
        var held: [String: HeldKey] = [:]
        while let row = try rows.next() {
            held[row[0]] = HeldKey(state: row[1], runID: row[2], sentAt: row[3])
        }
        return held
    }

    /// Which of the keys are in a claim still open (this run's or another's), and whose.
    private func pendingClaims(_ db: Database, _ scope: LedgerScope, keysJSON: String) throws -> [String: String] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT claimed.value, intent.run_id FROM ledger_intents AS intent CROSS JOIN json_each(intent.keys) AS claimed
                WHERE intent.playbook = ? AND intent.step = ? AND claimed.value IN (SELECT value FROM json_each(?))
                """),
            arguments: [scope.playbook, scope.step, keysJSON])
        var pending: [String: String] = [:]
        while let row = try rows.next() {
            pending[row[0]] = row[1]
        }
        return pending
    }

    /// The answer for a key the ledger holds a row for.
    private func claimTaken(_ db: Database, _ scope: LedgerScope, key: String, entry: HeldKey, runID: String, delivery: NotificationDelivery,
                            now: Date) throws -> LedgerClaim {
        let holder = entry.runID
        switch entry.state {
        case LedgerEntry.State.sent.rawValue:
            return .alreadySent(by: holder, at: entry.sentAt ?? now)
        case LedgerEntry.State.intended.rawValue:
            // Intended to be sent again (at least once), or left so by a file of an earlier version.
            if try holder == runID || holderIsAlive(db, runID: holder, now: now) { return .inFlight(by: holder) }
            // Its run stopped without a word: what it meant to send is uncertain.
            try db.execute(
                sql: "UPDATE notification_ledger SET state = 'uncertain' WHERE playbook = ? AND step = ? AND key = ?",
                arguments: [scope.playbook, scope.step, key])
        default:
            break
        }
        try db.execute(
            sql: """
                UPDATE notification_ledger SET found_uncertain_by = coalesce(found_uncertain_by, ?)
                WHERE playbook = ? AND step = ? AND key = ?
                """,
            arguments: [runID, scope.playbook, scope.step, key])
        guard delivery == .atLeastOnce else { return .uncertain(by: holder) }
        try db.execute(
            sql: """
                UPDATE notification_ledger SET state = 'intended', run_id = ?, intended_at = ?
                WHERE playbook = ? AND step = ? AND key = ?
                """,
            arguments: [runID, now, scope.playbook, scope.step, key])
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
        let keysJSON = Self.jsonArray(keys)
        let stamp = StoredTime.text(now)
        try db.cachedStatement(sql: """
            INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at, sent_at)
            SELECT ?, ?, value, 'sent', ?, ?, ? FROM json_each(?) WHERE true
            ON CONFLICT (playbook, step, key) DO UPDATE SET state = 'sent', run_id = excluded.run_id, sent_at = excluded.sent_at
            """).execute(arguments: [playbook, step, runID, stamp, stamp, keysJSON])
        try closeClaims(db, LedgerScope(playbook: playbook, step: step), keysJSON: keysJSON, runID: runID)
    }

    /// Takes keys out of the run's open claims, and drops a claim left with none.
    private func closeClaims(_ db: Database, _ scope: LedgerScope, keysJSON: String, runID: String) throws {
        let arguments: StatementArguments = [scope.playbook, scope.step, runID]
        // Most often the keys settled are exactly those claimed together, in the same order: the
        // claim goes as a whole. (No other open claim of the run can hold them: a key claimed
        // afresh was in none.)
        try db.cachedStatement(sql: "DELETE FROM ledger_intents WHERE playbook = ? AND step = ? AND run_id = ? AND keys = ?")
            .execute(arguments: arguments + [keysJSON])
        if db.changesCount > 0 { return }
        try db.cachedStatement(sql: """
            UPDATE ledger_intents SET keys = (
                SELECT json_group_array(value) FROM json_each(ledger_intents.keys) WHERE value NOT IN (SELECT value FROM json_each(?))
            )
            WHERE playbook = ? AND step = ? AND run_id = ?
            """).execute(arguments: [keysJSON] + arguments)
        try db.cachedStatement(sql: "DELETE FROM ledger_intents WHERE playbook = ? AND step = ? AND run_id = ? AND keys = '[]'")
            .execute(arguments: arguments)
    }

    public func release(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        try await write { db in
            let playbook = try self.requireRun(db, id: runID)
            let keysJSON = Self.jsonArray(keys)
            try self.closeClaims(db, LedgerScope(playbook: playbook, step: step), keysJSON: keysJSON, runID: runID)
            // A key claimed to be sent again has a row of its own.
            try db.execute(
                sql: """
                    DELETE FROM notification_ledger WHERE playbook = ? AND step = ? AND run_id = ? AND state = 'intended'
                    AND key IN (SELECT value FROM json_each(?))
                    """,
                arguments: [playbook, step, runID, keysJSON])
        }
    }

    public func markUncertain(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        // An open claim is found uncertain anyway once its run has stopped.
        try await writeWithoutFlush { db in
            let playbook = try self.requireRun(db, id: runID)
            let keysJSON = Self.jsonArray(keys)
            try db.execute(
                sql: Self.openClaimsBecomeUncertain(
                    where: "intent.run_id = ? AND intent.playbook = ? AND intent.step = ? AND claimed.value IN (SELECT value FROM json_each(?))"),
                arguments: [runID, playbook, step, keysJSON])
            try self.closeClaims(db, LedgerScope(playbook: playbook, step: step), keysJSON: keysJSON, runID: runID)
            try db.execute(
                sql: """
                    UPDATE notification_ledger SET state = 'uncertain' WHERE playbook = ? AND step = ? AND run_id = ? AND state = 'intended'
                    AND key IN (SELECT value FROM json_each(?))
                    """,
                arguments: [playbook, step, runID, keysJSON])
        }
    }

    /// Turns a stopped run's open claims into uncertain keys, one row each.
    func settleOpenClaims(_ db: Database, runID: String) throws {
        try db.execute(sql: Self.openClaimsBecomeUncertain(where: "intent.run_id = ?"), arguments: [runID])
        try db.execute(sql: "DELETE FROM ledger_intents WHERE run_id = ?", arguments: [runID])
    }

    /// Writes the keys of the open claims that `condition` picks as uncertain rows of their own,
    /// leaving any row a key has already.
    private static func openClaimsBecomeUncertain(where condition: String) -> String {
        """
        INSERT INTO notification_ledger (playbook, step, key, state, run_id, intended_at)
        SELECT intent.playbook, intent.step, claimed.value, 'uncertain', intent.run_id, intent.intended_at
        FROM ledger_intents AS intent CROSS JOIN json_each(intent.keys) AS claimed
        WHERE \(condition)
        ON CONFLICT DO NOTHING
        """
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

/// The notify step (or inserting sync step) of a playbook that a ledger key belongs to.
private struct LedgerScope {
    var playbook: String
    var step: String
}

/// What the ledger's row for a key says.
private struct HeldKey {
    var state: String
    var runID: String
    var sentAt: Date?
}
