import Foundation
import GRDB
import PlaybookRuntime

// The notification ledger: a `once_per` key is recorded as intended before its message is sent, and
// as sent once the platform acknowledges it. The keys a claim takes afresh are recorded together,
// as one row of `ledger_claims` (an open claim); each gets a row of its own in `ledger` when it is
// sent, or when it becomes uncertain. So a key sent costs one row written, not a row written and
// then rewritten. Rows name their step by a scope number (`ledger_scopes`) and their run by a run
// number (`run_numbers`), and hold their state and times as numbers: small rows, few pages written.

extension SQLiteRunStateStore {
    public func claim(keys: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        guard !keys.isEmpty else { return [] }
        let now = self.now
        return try await write { db in
            let scope = try self.ledgerScope(db, playbook: try self.ownRunningRun(db, id: runID), step: step, runID: runID)
            return try self.claim(db, keys: keys, in: scope, runID: runID, delivery: delivery, now: now)
        }
    }

    public func claim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        guard !keys.isEmpty else {
            try await markSent(keys: sent, step: step, runID: runID)
            return []
        }
        let now = self.now
        return try await write { db in
            // One scope for both: the run, its step's scope and its number are looked up once.
            let scope = try self.ledgerScope(db, playbook: try self.ownRunningRun(db, id: runID), step: step, runID: runID)
            if !sent.isEmpty { try self.markSent(db, keys: sent, in: scope, now: now) }
            return try self.claim(db, keys: keys, in: scope, runID: runID, delivery: delivery, now: now)
        }
    }

    private func claim(_ db: Database, keys: [String], in scope: LedgerScope, runID: String, delivery: NotificationDelivery,
                       now: Date) throws -> [LedgerClaim] {
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
            try db.cachedStatement(sql: "INSERT INTO ledger_claims (scope, run, keys, intended_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [scope.id, scope.run, fresh.count == keys.count ? keysJSON : Self.jsonArray(fresh), Self.milliseconds(now)])
        }
        return claims
    }

    /// Keys as a JSON array of strings, for `json_each`.
    static func jsonArray(_ keys: [String]) -> String {
        JSONText.array(ofStrings: keys)
    }

    /// Milliseconds since 1970, as the ledger stores its times.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The time the ledger stored as `milliseconds`.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The rows of the keys of a JSON array, for a scope. CROSS JOIN keeps the keys as the outer
    /// loop, so each is one lookup by primary key however large the ledger grows.
    static let heldKeysQuery = """
        SELECT l.key, l.state, run.run_id, l.sent_at FROM json_each(?) AS wanted
        CROSS JOIN ledger AS l ON l.scope = ? AND l.key = wanted.value
        JOIN run_numbers AS run ON run.number = l.run
        """

    /// Which of the keys the ledger holds a row for (sent, uncertain, or intended to be sent again),
    /// with what the row says.
    private func heldKeys(_ db: Database, _ scope: LedgerScope, keysJSON: String) throws -> [String: HeldKey] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.heldKeysQuery), arguments: [keysJSON, scope.id])
        var held: [String: HeldKey] = [:]
        while let row = try rows.next() {
            held[row[0]] = HeldKey(state: row[1], runID: row[2], sentAt: (row[3] as Int64?).map { Self.date(milliseconds: $0) })
        }
        return held
    }

    /// Which of the keys are in a claim still open (this run's or another's), and whose.
    private func pendingClaims(_ db: Database, _ scope: LedgerScope, keysJSON: String) throws -> [String: String] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT claimed.value, run.run_id FROM ledger_claims AS intent CROSS JOIN json_each(intent.keys) AS claimed
                JOIN run_numbers AS run ON run.number = intent.run
                WHERE intent.scope = ? AND claimed.value IN (SELECT value FROM json_each(?))
                """),
            arguments: [scope.id, keysJSON])
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
        case LedgerState.sent:
            return .alreadySent(by: holder, at: entry.sentAt ?? now)
        case LedgerState.intended:
            // Intended to be sent again (at least once), or left so by a file of an earlier version.
            if try holder == runID || holderIsAlive(db, runID: holder, now: now) { return .inFlight(by: holder) }
            // Its run stopped without a word: what it meant to send is uncertain.
            try db.execute(sql: "UPDATE ledger SET state = \(LedgerState.uncertain) WHERE scope = ? AND key = ?", arguments: [scope.id, key])
        default:
            break
        }
        try db.execute(
            sql: "UPDATE ledger SET found_uncertain_by = coalesce(found_uncertain_by, ?) WHERE scope = ? AND key = ?",
            arguments: [scope.run, scope.id, key])
        guard delivery == .atLeastOnce else { return .uncertain(by: holder) }
        try db.execute(
            sql: "UPDATE ledger SET state = \(LedgerState.intended), run = ?, intended_at = ? WHERE scope = ? AND key = ?",
            arguments: [scope.run, Self.milliseconds(now), scope.id, key])
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
        try await writeWithoutFlush { db in
            let scope = try self.ledgerScope(db, playbook: try self.requireRun(db, id: runID), step: step, runID: runID)
            try self.markSent(db, keys: keys, in: scope, now: now)
        }
    }

    private func markSent(_ db: Database, keys: [String], in scope: LedgerScope, now: Date) throws {
        let keysJSON = Self.jsonArray(keys)
        // A key sent is all most rows will ever say: no time intended (the time sent stands for it).
        try db.cachedStatement(sql: """
            INSERT INTO ledger (scope, key, state, run, sent_at)
            SELECT ?, value, \(LedgerState.sent), ?, ? FROM json_each(?) WHERE true
            ON CONFLICT (scope, key) DO UPDATE SET state = \(LedgerState.sent), run = excluded.run, sent_at = excluded.sent_at
            """).execute(arguments: [scope.id, scope.run, Self.milliseconds(now), keysJSON])
        try closeClaims(db, scope, keysJSON: keysJSON)
    }

    /// Takes keys out of the run's open claims, and drops a claim left with none.
    private func closeClaims(_ db: Database, _ scope: LedgerScope, keysJSON: String) throws {
        let arguments: StatementArguments = [scope.id, scope.run]
        // Most often the keys settled are exactly those claimed together, in the same order: the
        // claim goes as a whole. (No other open claim of the run can hold them: a key claimed
        // afresh was in none.)
        try db.cachedStatement(sql: "DELETE FROM ledger_claims WHERE scope = ? AND run = ? AND keys = ?")
            .execute(arguments: arguments + [keysJSON])
        if db.changesCount > 0 { return }
        try db.cachedStatement(sql: """
            UPDATE ledger_claims SET keys = (
                SELECT json_group_array(value) FROM json_each(ledger_claims.keys) WHERE value NOT IN (SELECT value FROM json_each(?))
            )
            WHERE scope = ? AND run = ?
            """).execute(arguments: [keysJSON] + arguments)
        try db.cachedStatement(sql: "DELETE FROM ledger_claims WHERE scope = ? AND run = ? AND keys = '[]'")
            .execute(arguments: arguments)
    }

    public func release(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        try await write { db in
            let scope = try self.ledgerScope(db, playbook: try self.requireRun(db, id: runID), step: step, runID: runID)
            let keysJSON = Self.jsonArray(keys)
            try self.closeClaims(db, scope, keysJSON: keysJSON)
            // A key claimed to be sent again has a row of its own.
            try db.execute(
                sql: """
                    DELETE FROM ledger WHERE scope = ? AND run = ? AND state = \(LedgerState.intended)
                    AND key IN (SELECT value FROM json_each(?))
                    """,
                arguments: [scope.id, scope.run, keysJSON])
        }
    }

    public func markUncertain(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        // An open claim is found uncertain anyway once its run has stopped.
        try await writeWithoutFlush { db in
            let scope = try self.ledgerScope(db, playbook: try self.requireRun(db, id: runID), step: step, runID: runID)
            let keysJSON = Self.jsonArray(keys)
            try db.execute(
                sql: Self.openClaimsBecomeUncertain(
                    where: "intent.run = ? AND intent.scope = ? AND claimed.value IN (SELECT value FROM json_each(?))"),
                arguments: [scope.run, scope.id, keysJSON])
            try self.closeClaims(db, scope, keysJSON: keysJSON)
            try db.execute(
                sql: """
                    UPDATE ledger SET state = \(LedgerState.uncertain) WHERE scope = ? AND run = ? AND state = \(LedgerState.intended)
                    AND key IN (SELECT value FROM json_each(?))
                    """,
                arguments: [scope.id, scope.run, keysJSON])
        }
    }

    /// Turns a stopped run's open claims into uncertain keys, one row each.
    func settleOpenClaims(_ db: Database, runID: String) throws {
        guard let run = try runNumber(db, runID: runID) else { return }
        try db.execute(sql: Self.openClaimsBecomeUncertain(where: "intent.run = ?"), arguments: [run])
        try db.execute(sql: "DELETE FROM ledger_claims WHERE run = ?", arguments: [run])
    }

    /// Writes the keys of the open claims that `condition` picks as uncertain rows of their own,
    /// leaving any row a key has already.
    private static func openClaimsBecomeUncertain(where condition: String) -> String {
        """
        INSERT INTO ledger (scope, key, state, run, intended_at)
        SELECT intent.scope, claimed.value, \(LedgerState.uncertain), intent.run, intent.intended_at
        FROM ledger_claims AS intent CROSS JOIN json_each(intent.keys) AS claimed
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
        guard let run = try runNumber(db, runID: runID) else { return [] }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT scope.playbook, scope.step, l.key, l.state, holder.run_id, l.intended_at, l.sent_at, finder.run_id AS found_uncertain_by
                FROM (
                    SELECT * FROM ledger WHERE state = \(LedgerState.uncertain) AND run = ? AND state <> \(LedgerState.sent) -- through ledger_open
                    UNION
                    SELECT * FROM ledger WHERE state = \(LedgerState.uncertain) AND found_uncertain_by = ?
                ) AS l
                JOIN ledger_scopes AS scope ON scope.id = l.scope
                JOIN run_numbers AS holder ON holder.number = l.run
                LEFT JOIN run_numbers AS finder ON finder.number = l.found_uncertain_by
                ORDER BY scope.step, l.key
                """,
            arguments: [run, run]
        ).map(ledgerEntry)
    }

    /// The scope of a step's keys and the number of the run writing them, each made on first use.
    private func ledgerScope(_ db: Database, playbook: String, step: String, runID: String) throws -> LedgerScope {
        let findScope = try db.cachedStatement(sql: "SELECT id FROM ledger_scopes WHERE playbook = ? AND step = ?")
        var id = try Int64.fetchOne(findScope, arguments: [playbook, step])
        if id == nil {
            try db.execute(sql: "INSERT INTO ledger_scopes (playbook, step) VALUES (?, ?)", arguments: [playbook, step])
            id = db.lastInsertedRowID
        }
        var run = try runNumber(db, runID: runID)
        if run == nil {
            try db.execute(sql: "INSERT INTO run_numbers (run_id) VALUES (?)", arguments: [runID])
            run = db.lastInsertedRowID
        }
        return LedgerScope(id: id!, run: run!)
    }

    /// The number the ledger knows a run by; nil when the run never wrote to it.
    func runNumber(_ db: Database, runID: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT number FROM run_numbers WHERE run_id = ?"), arguments: [runID])
    }
}

/// The notify step (or inserting sync step) of a playbook that a ledger key belongs to, by its
/// number in `ledger_scopes`, and the number of the run at work on it.
private struct LedgerScope {
    var id: Int64
    var run: Int64
}

/// A ledger row's state, as stored.
enum LedgerState {
    static let intended = 0
    static let sent = 1
    static let uncertain = 2

    /// The state a stored number stands for; nil for a number no version writes.
    static func named(_ number: Int) -> LedgerEntry.State? {
        switch number {
        case intended: .intended
        case sent: .sent
        case uncertain: .uncertain
        default: nil
        }
    }
}

/// What the ledger's row for a key says.
private struct HeldKey {
    var state: Int
    var runID: String
    var sentAt: Date?
}
