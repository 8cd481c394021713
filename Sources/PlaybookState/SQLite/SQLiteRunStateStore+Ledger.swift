import Foundation
import GRDB
import PlaybookRuntime

// The notification ledger: a `once_per` key is recorded as intended before its message is sent, and
// as sent once the platform acknowledges it. Keys are kept in groups (`ledger_groups`), one row per
// group of keys claimed together: a claim adds one row for the keys it takes, and marking them sent
// changes that row's state. So a batch of a thousand keys costs a row, not a thousand. Which group
// holds a key is found through the store's index in memory (`LedgerIndex`), and confirmed by
// reading the group; rows name their step by a scope number (`ledger_scopes`) and their run by a
// run number (`run_numbers`), and hold their state and times as numbers.

extension SQLiteRunStateStore {
    public func claim(keys: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        try await claim(keys: keys, afterMarkingSent: [], step: step, runID: runID, delivery: delivery)
    }

    public func claim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        guard !keys.isEmpty else {
            try await markSent(keys: sent, step: step, runID: runID)
            return []
        }
        return try await writeLedger(step: step, runID: runID, ownRunOnly: true, claiming(keys, afterMarkingSent: sent, runID: runID, delivery: delivery))
    }

    public func startClaim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery,
                           completion: @escaping @Sendable (Result<[LedgerClaim], any Error>) -> Void) {
        guard !keys.isEmpty else {
            // Only marks to record, which are not waited for on the disk: as `claim` records them.
            return answerOnATask(completion) { try await self.claim(keys: keys, afterMarkingSent: sent, step: step, runID: runID, delivery: delivery) }
        }
        // Put straight on the writer's queue: the claim is written while the caller goes on.
        let work = ledgerWork(step: step, runID: runID, ownRunOnly: true, claiming(keys, afterMarkingSent: sent, runID: runID, delivery: delivery))
        startWrite(work) { result in
            completion(result.map { outcome in
                self.noteCommitted(outcome)
                return outcome.value
            })
        }
    }

    /// What a claim does in its transaction: marks `sent` as sent, then claims `keys`.
    private func claiming(_ keys: [String], afterMarkingSent sent: [String], runID: String, delivery: NotificationDelivery)
        -> @Sendable (Database, LedgerScope, inout ScopeIndex) throws -> [LedgerClaim] {
        let now = self.now
        return { db, scope, index in
            if !sent.isEmpty { try self.markSent(db, keys: sent, in: scope, index: &index, now: now) }
            return try self.claim(db, keys: keys, in: scope, index: &index, runID: runID, delivery: delivery, now: now)
        }
    }

    /// Runs `body` in one transaction on a step's ledger, with the step's index brought up to date,
    /// and notes the groups it added as seen once they are committed. A claim (`ownRunOnly`) needs
    /// the run to be running in this process; facts are recorded whatever the run's status.
    private func writeLedger<T: Sendable>(
        step: String, runID: String, ownRunOnly: Bool, flush: Bool = true,
        _ body: @escaping @Sendable (Database, LedgerScope, inout ScopeIndex) throws -> T
    ) async throws -> T {
        let work = ledgerWork(step: step, runID: runID, ownRunOnly: ownRunOnly, body)
        let outcome = flush ? try await write(work) : try await writeWithoutFlush(work)
        noteCommitted(outcome)
        return outcome.value
    }

    /// What a transaction on a step's ledger does: finds the step's scope, then runs `body` with
    /// the step's index.
    private func ledgerWork<T: Sendable>(
        step: String, runID: String, ownRunOnly: Bool,
        _ body: @escaping @Sendable (Database, LedgerScope, inout ScopeIndex) throws -> T
    ) -> @Sendable (Database) throws -> LedgerOutcome<T> {
        { db in
            let playbook = ownRunOnly ? try self.ownRunningRun(db, id: runID) : try self.requireRun(db, id: runID)
            let scope = try self.ledgerScope(db, playbook: playbook, step: step, runID: runID)
            let (value, lastAdded) = try self.ledgerIndex.withScope(scope.id, db) { index in try body(db, scope, &index) }
            return LedgerOutcome(value: value, scope: scope.id, lastAdded: lastAdded)
        }
    }

    /// Notes the groups a committed transaction added as seen by the index.
    private func noteCommitted<T>(_ outcome: LedgerOutcome<T>) {
        if let lastAdded = outcome.lastAdded { ledgerIndex.seen(through: lastAdded, scope: outcome.scope) }
    }

    private func claim(_ db: Database, keys: [String], in scope: LedgerScope, index: inout ScopeIndex, runID: String,
                       delivery: NotificationDelivery, now: Date) throws -> [LedgerClaim] {
        // The keys this claim takes point at a new slot as they go, which the group written at the
        // end fills; one probe of the index per key finds a key or places it. Most often (keys never
        // seen) the claim reads no row at all.
        let slot = index.newSlot()
        var fresh: [String] = []
        // The groups the index names for keys met before, each read once, with their keys.
        var groups: [Int64: (group: LedgerGroup, keys: Set<String>)?] = [:]
        var stopped: Set<Int64> = []
        var foundUncertain: [Int64: [String]] = [:]
        var resent: [Int64: [String]] = [:]
        var claims: [LedgerClaim] = []
        claims.reserveCapacity(keys.count)
        // The digests first, so that each key's bucket is asked for a few keys before it is probed.
        let digests = keys.map(LedgerKeyDigest.init)
        let prefetchDistance = 16
        for digest in digests.prefix(prefetchDistance) { index.prefetch(digest) }
        for (position, key) in keys.enumerated() {
            let digest = digests[position]
            if position + prefetchDistance < digests.count { index.prefetch(digests[position + prefetchDistance]) }
            guard let earlier = index.slotOrPlace(digest, at: slot) else {
                fresh.append(key)
                claims.append(.send)
                continue
            }
            if earlier == slot {
                // The same key twice in one claim: what this claim sends, it sends once.
                claims.append(.inFlight(by: runID))
                continue
            }
            let id = index.group(of: earlier)
            if id != 0, groups[id] == nil {
                groups[id] = try group(db, id: id).map { ($0, Set($0.keys)) }
            }
            guard id != 0, var (group, members) = groups[id] ?? nil, members.contains(key) else {
                // The group named was never written, or no longer holds the key (given up since).
                index.point(digest, at: slot)
                fresh.append(key)
                claims.append(.send)
                continue
            }
            if group.state == LedgerState.intended && group.runID != runID {
                // A run that stopped with groups still open leaves them uncertain.
                if try stopped.contains(group.run) || !holderIsAlive(db, runID: group.runID, now: now) {
                    if stopped.insert(group.run).inserted { try settleOpenClaims(db, runID: group.runID) }
                    group.state = LedgerState.uncertain
                    groups[id] = (group, members)
                }
            }
            switch group.state {
            case LedgerState.sent:
                claims.append(.alreadySent(by: group.runID, at: group.sentAt.map(Self.date(milliseconds:)) ?? now))
            case LedgerState.intended:
                // This run's own claim, or that of a run still alive.
                claims.append(.inFlight(by: group.runID))
            default:
                if group.foundUncertainBy == nil, !(foundUncertain[id]?.contains(key) ?? false) { foundUncertain[id, default: []].append(key) }
                guard delivery == .atLeastOnce else {
                    claims.append(.uncertain(by: group.runID))
                    continue
                }
                // Sent again: the key leaves its group for this claim's.
                resent[id, default: []].append(key)
                members.remove(key)
                groups[id] = (group, members)
                index.point(digest, at: slot)
                fresh.append(key)
                claims.append(.resend(after: group.runID))
            }
        }

        for (id, keys) in resent { try removeKeys(keys, fromGroup: id, db) }
        // Keys found uncertain for the first time are marked found by this run (`runs show` lists
        // them): the whole group, or those keys in a group of their own.
        for (id, found) in foundUncertain {
            guard let (group, members) = groups[id] ?? nil else { continue }
            let staying = found.filter(members.contains)
            if staying.isEmpty { continue }
            if staying.count == members.count {
                try db.execute(sql: "UPDATE ledger_groups SET found_uncertain_by = ? WHERE id = ?", arguments: [scope.run, id])
            } else {
                try removeKeys(staying, fromGroup: id, db)
                var moved = group
                moved.foundUncertainBy = scope.run
                try addGroup(staying, like: moved, scope: scope, index: &index, db)
            }
        }

        if !fresh.isEmpty {
            // The keys nobody holds (the common case) are recorded as intended together, in one row.
            try db.cachedStatement(sql: "INSERT INTO ledger_groups (scope, run, state, keys, intended_at) VALUES (?, ?, \(LedgerState.intended), ?, ?)")
                .execute(arguments: [scope.id, scope.run, Self.jsonArray(fresh), Self.milliseconds(now)])
            index.setGroup(db.lastInsertedRowID, of: slot)
            index.lastClaimed = (db.lastInsertedRowID, scope.run, fresh)
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

    /// A group of the ledger with its keys; nil when there is no longer such a group.
    private func group(_ db: Database, id: Int64) throws -> LedgerGroup? {
        try groups(db, sql: "groups.id = ?", arguments: [id]).first
    }

    /// Picks a run's open groups in a step's ledger, given the run's number and the step's scope.
    /// (`state <> sent` lets the index of open groups, `ledger_groups_open`, find them.)
    static let openGroupsOfTheRun = "run = ? AND state = \(LedgerState.intended) AND state <> \(LedgerState.sent) AND scope = ?"

    /// The run's open groups in a step's ledger.
    private func openGroups(_ db: Database, _ scope: LedgerScope) throws -> [LedgerGroup] {
        try groups(db, sql: Self.openGroupsOfTheRun, arguments: [scope.run, scope.id])
    }

    /// The groups `condition` picks, with their keys in order.
    private func groups(_ db: Database, sql condition: String, arguments: StatementArguments) throws -> [LedgerGroup] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT groups.id, groups.state, groups.run, run.run_id, groups.intended_at, groups.sent_at, groups.found_uncertain_by, key.value
                FROM ledger_groups AS groups JOIN run_numbers AS run ON run.number = groups.run
                CROSS JOIN json_each(groups.keys) AS key
                WHERE \(condition)
                ORDER BY groups.id, key.id
                """),
            arguments: arguments)
        var groups: [LedgerGroup] = []
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if groups.last?.id != id {
                groups.append(LedgerGroup(id: id, state: row[1], run: row[2], runID: row[3], intendedAt: row[4], sentAt: row[5],
                                          foundUncertainBy: row[6], keys: []))
            }
            groups[groups.count - 1].keys.append(row[7])
        }
        return groups
    }

    /// Adds a group of keys (distinct, held by no other group now) with the state, run and times of
    /// `model`, and points the index at it.
    private func addGroup(_ keys: [String], like model: LedgerGroup, scope: LedgerScope, index: inout ScopeIndex, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO ledger_groups (scope, run, state, keys, intended_at, sent_at, found_uncertain_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [scope.id, model.run, model.state, Self.jsonArray(keys), model.intendedAt, model.sentAt, model.foundUncertainBy])
        index.place(keys.map(LedgerKeyDigest.init), inGroup: db.lastInsertedRowID)
    }

    /// Takes keys out of a group, and drops the group if none is left. Keys it does not hold are ignored.
    private func removeKeys(_ keys: [String], fromGroup id: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE ledger_groups SET keys = (
                    SELECT json_group_array(value) FROM json_each(ledger_groups.keys) WHERE value NOT IN (SELECT value FROM json_each(?))
                ) WHERE id = ?
                """,
            arguments: [Self.jsonArray(keys), id])
        try db.execute(sql: "DELETE FROM ledger_groups WHERE id = ? AND keys = '[]'", arguments: [id])
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
        try await writeLedger(step: step, runID: runID, ownRunOnly: false, flush: false) { db, scope, index in
            try self.markSent(db, keys: keys, in: scope, index: &index, now: now)
        }
    }

    private func markSent(_ db: Database, keys: [String], in scope: LedgerScope, index: inout ScopeIndex, now: Date) throws {
        // Most often the keys sent are exactly those claimed together, in the same order: their
        // group changes state as a whole. The last group claimed is found by its id, the others
        // among the run's open groups by their keys.
        if let last = index.lastClaimed, last.run == scope.run, last.keys == keys {
            try db.cachedStatement(sql: """
                UPDATE ledger_groups SET state = \(LedgerState.sent), sent_at = ?
                WHERE id = ? AND run = ? AND scope = ? AND state = \(LedgerState.intended)
                """).execute(arguments: [Self.milliseconds(now), last.group, scope.run, scope.id])
            if db.changesCount > 0 { return }
        }
        try db.cachedStatement(sql: """
            UPDATE ledger_groups SET state = \(LedgerState.sent), sent_at = ?
            WHERE \(Self.openGroupsOfTheRun) AND keys = ?
            """).execute(arguments: [Self.milliseconds(now), scope.run, scope.id, Self.jsonArray(keys)])
        if db.changesCount > 0 { return }
        // Otherwise the keys leave whatever group holds them for a group of their own.
        var seen = Set<String>(minimumCapacity: keys.count)
        let distinct = keys.filter { seen.insert($0).inserted }
        try removeFromTheirGroups(distinct, index: index, db)
        let sent = LedgerGroup(id: 0, state: LedgerState.sent, run: scope.run, runID: "", intendedAt: nil, sentAt: Self.milliseconds(now),
                               foundUncertainBy: nil, keys: [])
        try addGroup(distinct, like: sent, scope: scope, index: &index, db)
    }

    /// Takes keys out of the groups the index says hold them.
    private func removeFromTheirGroups(_ keys: [String], index: ScopeIndex, _ db: Database) throws {
        var byGroup: [Int64: [String]] = [:]
        for key in keys {
            if let id = index.group(of: LedgerKeyDigest(key)) { byGroup[id, default: []].append(key) }
        }
        for (id, keys) in byGroup { try removeKeys(keys, fromGroup: id, db) }
    }

    public func release(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        try await writeLedger(step: step, runID: runID, ownRunOnly: false) { db, scope, _ in
            // Only the run's own open groups give keys up: what was sent stays sent.
            let keysJSON = Self.jsonArray(keys)
            try db.cachedStatement(sql: """
                DELETE FROM ledger_groups
                WHERE \(Self.openGroupsOfTheRun) AND keys = ?
                """).execute(arguments: [scope.run, scope.id, keysJSON])
            if db.changesCount > 0 { return }
            let open = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM ledger_groups WHERE \(Self.openGroupsOfTheRun)"), arguments: [scope.run, scope.id])
            for id in open { try self.removeKeys(keys, fromGroup: id, db) }
        }
    }

    public func markUncertain(keys: [String], step: String, runID: String) async throws {
        guard !keys.isEmpty else { return }
        // An open group is found uncertain anyway once its run has stopped.
        try await writeLedger(step: step, runID: runID, ownRunOnly: false, flush: false) { db, scope, index in
            let wanted = Set(keys)
            for group in try self.openGroups(db, scope) {
                let keys = group.keys.filter(wanted.contains)
                if keys.isEmpty { continue }
                if keys.count == group.keys.count {
                    try db.execute(sql: "UPDATE ledger_groups SET state = \(LedgerState.uncertain) WHERE id = ?", arguments: [group.id])
                } else {
                    try self.removeKeys(keys, fromGroup: group.id, db)
                    var uncertain = group
                    uncertain.state = LedgerState.uncertain
                    try self.addGroup(keys, like: uncertain, scope: scope, index: &index, db)
                }
            }
        }
    }

    /// Turns a stopped run's open groups into uncertain ones.
    func settleOpenClaims(_ db: Database, runID: String) throws {
        guard let run = try runNumber(db, runID: runID) else { return }
        // `state <> sent` lets the index of open groups find the run's groups.
        try db.execute(
            sql: """
                UPDATE ledger_groups SET state = \(LedgerState.uncertain)
                WHERE run = ? AND state = \(LedgerState.intended) AND state <> \(LedgerState.sent)
                """,
            arguments: [run])
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
                SELECT scope.playbook, scope.step, key.value AS key, groups.state, holder.run_id, groups.intended_at, groups.sent_at,
                       finder.run_id AS found_uncertain_by
                FROM (
                    SELECT * FROM ledger_groups WHERE state = \(LedgerState.uncertain) AND run = ? AND state <> \(LedgerState.sent) -- through ledger_groups_open
                    UNION
                    SELECT * FROM ledger_groups WHERE state = \(LedgerState.uncertain) AND found_uncertain_by = ?
                ) AS groups
                CROSS JOIN json_each(groups.keys) AS key
                JOIN ledger_scopes AS scope ON scope.id = groups.scope
                JOIN run_numbers AS holder ON holder.number = groups.run
                LEFT JOIN run_numbers AS finder ON finder.number = groups.found_uncertain_by
                ORDER BY scope.step, key.value
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

/// What a committed transaction on a step's ledger gives: its value, and the last group it added.
private struct LedgerOutcome<Value: Sendable>: Sendable {
    var value: Value
    var scope: Int64
    var lastAdded: Int64?
}

/// A row of `ledger_groups`: keys claimed together, and where they stand.
private struct LedgerGroup {
    var id: Int64
    var state: Int
    var run: Int64
    var runID: String
    var intendedAt: Int64?
    var sentAt: Int64?
    var foundUncertainBy: Int64?
    /// The keys, in the order they were claimed.
    var keys: [String]
}
