import Foundation
import GRDB

// Reading the store's values out of SQLite rows.

extension SQLiteRunStateStore {
    /// The columns of a run, with its dead-letter count.
    static let runColumns = "runs.*, (SELECT count(*) FROM dead_letters WHERE dead_letters.run_id = runs.id) AS dead_letter_count"

    func fetchRun(_ db: Database, id: String) throws -> RunRecord? {
        try Row.fetchOne(db, sql: "SELECT \(Self.runColumns) FROM runs WHERE id = ?", arguments: [id]).map(runRecord)
    }

    func runRecord(_ row: Row) throws -> RunRecord {
        RunRecord(
            id: row["id"], playbook: row["playbook"], contentHash: row["content_hash"], params: row["params"],
            triggerKind: row["trigger_kind"], triggerDetails: row["trigger_details"],
            status: try choice(row["status"], RunRecord.Status.self), startedAt: row["started_at"],
            finishedAt: row["finished_at"], summary: row["summary"],
            owner: RunOwner(pid: row["owner_pid"], host: row["owner_host"]), heartbeatAt: row["heartbeat_at"],
            attempts: row["attempts"], deadLetterCount: row["dead_letter_count"]
        )
    }

    func stepResult(_ row: Row) throws -> StepResult {
        StepResult(
            step: row["step"], kind: row["kind"], status: try choice(row["status"], StepResult.Status.self),
            recordsIn: row["records_in"], recordsOut: row["records_out"], recordsSkipped: row["records_skipped"],
            calls: row["calls"], error: row["error"], startedAt: row["started_at"], finishedAt: row["finished_at"]
        )
    }

    func deadLetter(_ row: Row) -> DeadLetter {
        DeadLetter(
            id: row["id"], runID: row["run_id"], step: row["step"], record: row["record"], reason: row["reason"],
            location: row["location"], addedAt: row["added_at"], retriedBy: row["retried_by"], retriedAt: row["retried_at"]
        )
    }

    /// A ledger entry from a row of `ledger` joined with its scope's names and its runs' ids.
    func ledgerEntry(_ row: Row) throws -> LedgerEntry {
        guard let state = LedgerState.named(row["state"]) else { throw failure(.corrupt(detail: "unknown ledger state \(row["state"] as Int)")) }
        let sentAt = (row["sent_at"] as Int64?).map { Self.date(milliseconds: $0) }
        return LedgerEntry(
            playbook: row["playbook"], step: row["step"], key: row["key"], state: state, runID: row["run_id"],
            intendedAt: (row["intended_at"] as Int64?).map { Self.date(milliseconds: $0) } ?? sentAt ?? Date(timeIntervalSince1970: 0),
            sentAt: sentAt, foundUncertainBy: row["found_uncertain_by"]
        )
    }

    func syncBatch(_ row: Row) throws -> SyncBatch {
        SyncBatch(
            runID: row["run_id"], step: row["step"], sequence: row["sequence"], idempotencyKey: row["idempotency_key"],
            state: try choice(row["state"], SyncBatch.State.self), recordCount: row["record_count"],
            intendedAt: row["intended_at"], acknowledgedAt: row["acknowledged_at"]
        )
    }

    /// Throws when `text`, the `what` of a step, is not JSON.
    func requireJSON(_ db: Database, _ text: String, _ what: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT json_valid(?)", arguments: [text]) == true else {
            throw failure(.invalidValue(detail: "\(what) is not JSON: \(text.prefix(80))"))
        }
    }

    /// A closed set's value from its stored name; a name outside the set means the file was damaged.
    private func choice<T: RawRepresentable<String>>(_ name: String, _ type: T.Type) throws -> T {
        guard let value = T(rawValue: name) else {
            throw failure(.corrupt(detail: "unknown \(String(describing: T.self)) '\(name)'"))
        }
        return value
    }
}
