import Foundation
import GRDB

// The webhook inbox and the schedules' bookkeeping of `playbook serve`.

extension SQLiteRunStateStore: ServerStateStore {
    public func accept(events: [NewInboundEvent]) async throws -> [EventAcceptance] {
        guard !events.isEmpty else { return [] }
        return try await write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO webhook_events (path, playbook, event_id, headers, body, received_at, status)
                VALUES (?, ?, ?, json(?), ?, ?, 'pending') ON CONFLICT (path, event_id) DO NOTHING
                """)
            let existing = try db.cachedStatement(sql: "SELECT id, status FROM webhook_events WHERE path = ? AND event_id = ?")
            return try events.map { event in
                try insert.execute(arguments: [event.path, event.playbook, event.eventID, event.headers, Data(event.body), event.receivedAt])
                if db.changesCount == 1 { return .accepted(id: db.lastInsertedRowID) }
                guard let row = try Row.fetchOne(existing, arguments: [event.path, event.eventID]) else {
                    throw self.failure(.invalidValue(detail: "the webhook event \(event.eventID) was neither stored nor found"))
                }
                return .duplicate(of: row["id"], status: InboundEvent.Status(rawValue: row["status"]) ?? .done)
            }
        }
    }

    public func openEvents() async throws -> [InboundEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_events WHERE status <> 'done' ORDER BY id").map(Self.inboundEvent)
        }
    }

    public func markEventRunning(id: Int64, runID: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE webhook_events SET status = 'running', run_id = ? WHERE id = ?", arguments: [runID, id])
            if db.changesCount == 0 { throw self.failure(.invalidValue(detail: "there is no webhook event \(id)")) }
        }
    }

    public func markEventDone(id: Int64) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE webhook_events SET status = 'done', headers = '{}', body = x'' WHERE id = ?", arguments: [id])
        }
    }

    public func lastFires(playbook: String?) async throws -> [ScheduleFire] {
        try await read { db in
            let rows = if let playbook {
                try Row.fetchAll(db, sql: "SELECT * FROM schedule_fires WHERE playbook = ? ORDER BY schedule", arguments: [playbook])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM schedule_fires ORDER BY playbook, schedule")
            }
            return rows.map { ScheduleFire(playbook: $0["playbook"], schedule: $0["schedule"], firedAt: $0["fired_at"]) }
        }
    }

    public func recordFires(_ fires: [ScheduleFire]) async throws {
        guard !fires.isEmpty else { return }
        try await write { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO schedule_fires (playbook, schedule, fired_at) VALUES (?, ?, ?)
                ON CONFLICT (playbook, schedule) DO UPDATE SET fired_at = max(fired_at, excluded.fired_at)
                """)
            for fire in fires {
                try upsert.execute(arguments: [fire.playbook, fire.schedule, fire.firedAt])
            }
        }
    }

    private static func inboundEvent(_ row: Row) -> InboundEvent {
        let body: Data = row["body"] ?? Data()
        return InboundEvent(
            id: row["id"], path: row["path"], playbook: row["playbook"], eventID: row["event_id"], headers: row["headers"],
            body: Array(body), receivedAt: row["received_at"], status: InboundEvent.Status(rawValue: row["status"]) ?? .pending,
            runID: row["run_id"])
    }
}
