import Foundation
import GRDB

// Sync batches: recorded as intended before they are written and as acknowledged once the platform
// answers, so that a resumed run skips what was written.

extension SQLiteRunStateStore {
    public func intend(batches: [BatchIntent], runID: String) async throws -> [BatchClaim] {
        guard !batches.isEmpty else { return [] }
        let now = self.now
        return try await write { db in
            try self.ownRunningRun(db, id: runID)
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO sync_batches (run_id, step, sequence, idempotency_key, state, record_count, intended_at)
                    VALUES (?, ?, ?, ?, 'intended', ?, ?) ON CONFLICT DO NOTHING
                    """)
            let existing = try db.cachedStatement(
                sql: "SELECT state, idempotency_key FROM sync_batches WHERE run_id = ? AND step = ? AND sequence = ?")
            var claims: [BatchClaim] = []
            claims.reserveCapacity(batches.count)
            for batch in batches {
                let key = batch.idempotencyKey ?? "\(runID)-\(batch.step)-\(batch.sequence)"
                try insert.execute(arguments: [runID, batch.step, batch.sequence, key, batch.recordCount, StoredTime.text(now)])
                if db.changesCount == 1 {
                    claims.append(.write(idempotencyKey: key))
                    continue
                }
                guard let row = try Row.fetchOne(existing, arguments: [runID, batch.step, batch.sequence]) else {
                    throw self.failure(.corrupt(detail: "a sync batch vanished inside a transaction"))
                }
                let storedKey: String = row["idempotency_key"]
                switch row["state"] as String {
                case SyncBatch.State.acknowledged.rawValue: claims.append(.acknowledged(idempotencyKey: storedKey))
                case SyncBatch.State.uncertain.rawValue: claims.append(.uncertain(idempotencyKey: storedKey))
                default: claims.append(.write(idempotencyKey: storedKey))  // intended earlier in this attempt: a retry
                }
            }
            return claims
        }
    }

    public func acknowledge(batches: [BatchReference], runID: String) async throws {
        guard !batches.isEmpty else { return }
        let now = self.now
        // Not waited for on the disk: an acknowledgement a power cut undoes leaves its batch
        // intended, which a resumed run writes again by `match_on` or reports as uncertain.
        try await writeWithoutFlush { db in
            try self.requireRun(db, id: runID)
            let update = try db.cachedStatement(
                sql: """
                    UPDATE sync_batches SET state = 'acknowledged', acknowledged_at = coalesce(acknowledged_at, ?)
                    WHERE run_id = ? AND step = ? AND sequence = ?
                    """)
            for batch in batches {
                try update.execute(arguments: [StoredTime.text(now), runID, batch.step, batch.sequence])
                if db.changesCount == 0 {
                    throw self.failure(.invalidValue(detail: "run \(runID) never intended batch \(batch.sequence) of step '\(batch.step)'"))
                }
            }
        }
    }

    public func batches(runID: String) async throws -> [SyncBatch] {
        try await read { db in
            try self.requireRun(db, id: runID)
            return try self.batches(db, runID: runID)
        }
    }

    func batches(_ db: Database, runID: String) throws -> [SyncBatch] {
        try Row.fetchAll(db, sql: "SELECT * FROM sync_batches WHERE run_id = ? ORDER BY step, sequence", arguments: [runID])
            .map(syncBatch)
    }
}
