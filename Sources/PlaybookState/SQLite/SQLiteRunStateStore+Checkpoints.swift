import Foundation
import GRDB

// How far each fetch step of a run has read, for `--resume`.

extension SQLiteRunStateStore {
    public func saveCheckpoint(_ position: String, step: String, runID: String) async throws {
        let now = self.now
        try await write { db in
            try self.ownRunningRun(db, id: runID)
            try self.requireJSON(db, position, "the checkpoint of step '\(step)'")
            try db.execute(
                sql: """
                    INSERT INTO checkpoints (run_id, step, position, saved_at) VALUES (?, ?, json(?), ?)
                    ON CONFLICT (run_id, step) DO UPDATE SET position = excluded.position, saved_at = excluded.saved_at
                    """,
                arguments: [runID, step, position, now])
        }
    }

    public func checkpoints(runID: String) async throws -> [String: String] {
        try await read { db in
            try self.requireRun(db, id: runID)
            let rows = try Row.fetchAll(db, sql: "SELECT step, position FROM checkpoints WHERE run_id = ?", arguments: [runID])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["step"] as String, $0["position"] as String) })
        }
    }

    public func savePage(_ records: String, position: String, step: String, runID: String) async throws {
        let now = self.now
        try await write { db in
            try self.ownRunningRun(db, id: runID)
            try self.requireJSON(db, records, "the page read by step '\(step)'")
            try self.requireJSON(db, position, "the checkpoint of step '\(step)'")
            try db.execute(
                sql: """
                    INSERT INTO fetch_pages (run_id, step, sequence, records)
                    VALUES (?, ?, (SELECT coalesce(max(sequence), 0) + 1 FROM fetch_pages WHERE run_id = ? AND step = ?), json(?))
                    """,
                arguments: [runID, step, runID, step, records])
            try db.execute(
                sql: """
                    INSERT INTO checkpoints (run_id, step, position, saved_at) VALUES (?, ?, json(?), ?)
                    ON CONFLICT (run_id, step) DO UPDATE SET position = excluded.position, saved_at = excluded.saved_at
                    """,
                arguments: [runID, step, position, now])
        }
    }

    public func readProgress(step: String, runID: String) async throws -> StoredReadProgress? {
        try await read { db in
            try self.requireRun(db, id: runID)
            guard let position = try String.fetchOne(
                db, sql: "SELECT position FROM checkpoints WHERE run_id = ? AND step = ?", arguments: [runID, step]) else { return nil }
            let pages = try String.fetchAll(
                db, sql: "SELECT records FROM fetch_pages WHERE run_id = ? AND step = ? ORDER BY sequence", arguments: [runID, step])
            return StoredReadProgress(pages: pages, position: position)
        }
    }

    /// Once a run of a playbook succeeded, the pages its runs read are no longer needed to resume
    /// one: a resumed older run reads from the platform again.
    func forgetPages(_ db: Database, playbook: String) throws {
        try db.execute(sql: "DELETE FROM fetch_pages WHERE run_id IN (SELECT id FROM runs WHERE playbook = ?)", arguments: [playbook])
    }
}
