import Foundation
import GRDB

extension SQLiteRunStateStore {
    public func runs(playbook: String?, limit: Int) async throws -> [RunRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.runColumns) FROM runs"
                    + (playbook == nil ? "" : " WHERE playbook = :playbook")
                    + " ORDER BY started_at DESC, id DESC LIMIT :limit",
                arguments: ["playbook": playbook, "limit": max(0, limit)]
            ).map(self.runRecord)
        }
    }

    public func run(id: String, deadLetterLimit: Int) async throws -> RunDetail? {
        try await read { db in
            guard let run = try self.fetchRun(db, id: id) else { return nil }
            let steps = try Row.fetchAll(
                db, sql: "SELECT * FROM step_results WHERE run_id = ? ORDER BY started_at IS NULL, started_at, step",
                arguments: [id]
            ).map(self.stepResult)
            return RunDetail(
                run: run, steps: steps, deadLetters: try self.deadLetters(db, runID: id, limit: deadLetterLimit, offset: 0),
                uncertainNotifications: try self.uncertainNotifications(db, runID: id), batches: try self.batches(db, runID: id))
        }
    }

    public func lastRun(playbook: String) async throws -> RunRecord? {
        try await runs(playbook: playbook, limit: 1).first
    }

    public func interruptedRuns(playbook: String?) async throws -> [RunRecord] {
        let now = self.now
        return try await write { db in
            _ = try self.interruptDeadRuns(db, playbook: playbook, now: now)
            return try Row.fetchAll(
                db,
                sql: "SELECT \(Self.runColumns) FROM runs WHERE status = 'interrupted'"
                    + (playbook == nil ? "" : " AND playbook = :playbook")
                    + " ORDER BY started_at DESC, id DESC",
                arguments: ["playbook": playbook]
            ).map(self.runRecord)
        }
    }
}
