import Foundation
import GRDB

extension SQLiteRunStateStore {
    public func addDeadLetters(_ letters: [NewDeadLetter], runID: String) async throws {
        guard !letters.isEmpty else { return }
        let now = self.now
        try await write { db in
            try self.requireRun(db, id: runID)
            let insert = try db.cachedStatement(
                sql: "INSERT INTO dead_letters (run_id, step, record, reason, location, added_at) VALUES (?, ?, ?, ?, ?, ?)")
            for letter in letters {
                try insert.execute(arguments: [runID, letter.step, letter.record, letter.reason, letter.location, now])
            }
        }
    }

    public func markDeadLettersRetried(ids: [Int64], by runID: String) async throws {
        guard !ids.isEmpty else { return }
        let now = self.now
        try await write { db in
            try self.requireRun(db, id: runID)
            let update = try db.cachedStatement(sql: "UPDATE dead_letters SET retried_by = ?, retried_at = ? WHERE id = ?")
            for id in ids {
                try update.execute(arguments: [runID, now, id])
                if db.changesCount == 0 { throw self.failure(.invalidValue(detail: "there is no dead letter \(id)")) }
            }
        }
    }

    public func deadLetters(runID: String, limit: Int, offset: Int) async throws -> [DeadLetter] {
        try await read { db in
            try self.requireRun(db, id: runID)
            return try self.deadLetters(db, runID: runID, limit: limit, offset: offset)
        }
    }

    func deadLetters(_ db: Database, runID: String, limit: Int, offset: Int) throws -> [DeadLetter] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM dead_letters WHERE run_id = ? ORDER BY id LIMIT ? OFFSET ?",
            arguments: [runID, max(0, limit), max(0, offset)]
        ).map(deadLetter)
    }
}
