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
}
