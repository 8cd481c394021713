import Foundation
import GRDB

// Incremental cursors, per playbook and fetch step. Values are stored as minified JSON (`json(?)`),
// so that equal values written with different spacing compare equal.

extension SQLiteRunStateStore {
    public func cursor(playbook: String, step: String) async throws -> StoredCursor? {
        try await read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT value, run_id, committed_at FROM cursors WHERE playbook = ? AND step = ?",
                arguments: [playbook, step])
            else { return nil }
            let keys = try String.fetchSet(
                db, sql: "SELECT key FROM cursor_keys WHERE playbook = ? AND step = ?", arguments: [playbook, step])
            return StoredCursor(
                position: CursorPosition(value: row["value"], keysAtValue: keys), runID: row["run_id"],
                committedAt: row["committed_at"])
        }
    }

    public func commitCursors(_ commits: [CursorCommit], runID: String) async throws {
        guard !commits.isEmpty else { return }
        let now = self.now
        try await write { db in
            let playbook = try self.ownRunningRun(db, id: runID)
            for commit in commits {
                try self.commit(db, commit, playbook: playbook, runID: runID, now: now)
            }
        }
    }

    private func commit(_ db: Database, _ commit: CursorCommit, playbook: String, runID: String, now: Date) throws {
        let (step, position) = (commit.step, commit.position)
        try requireJSON(db, position.value, "the cursor of step '\(step)'")
        let sameValue = try Bool.fetchOne(
            db, sql: "SELECT value = json(?) FROM cursors WHERE playbook = ? AND step = ?",
            arguments: [position.value, playbook, step]) ?? false
        try db.execute(
            sql: """
                INSERT INTO cursors (playbook, step, value, run_id, committed_at) VALUES (?, ?, json(?), ?, ?)
                ON CONFLICT (playbook, step) DO UPDATE SET
                    value = excluded.value, run_id = excluded.run_id, committed_at = excluded.committed_at
                """,
            arguments: [playbook, step, position.value, runID, now])
        if !sameValue {
            try db.execute(sql: "DELETE FROM cursor_keys WHERE playbook = ? AND step = ?", arguments: [playbook, step])
        }
        guard !position.keysAtValue.isEmpty else { return }
        // One statement for all the keys, in their order in the table: a platform that changed
        // thousands of records in the cursor's second gives thousands of them.
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO cursor_keys (playbook, step, key) SELECT ?, ?, value FROM json_each(?) ORDER BY value")
            .execute(arguments: [playbook, step, Self.jsonArray(Array(position.keysAtValue))])
    }
}
