import Foundation
@testable import PlaybookState
import Testing

@Suite struct InboxTests {
    private func event(_ id: String, path: String = "/hooks/forms", body: String = "{\"email\":\"a@example.com\"}") -> NewInboundEvent {
        NewInboundEvent(path: path, playbook: "forms", eventID: id, headers: "{\"content-type\":\"application/json\"}",
                        body: Array(body.utf8), receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func anEventIsStoredOnceAndARepeatIsADuplicateOfIt() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            let first = try await store.accept(events: [event("e1"), event("e2"), event("e1")])
            guard case .accepted(let one) = first[0], case .accepted = first[1] else {
                Issue.record("expected the first two to be accepted, got \(first)")
                return
            }
            #expect(first[2] == .duplicate(of: one, status: .pending))
            // The same id at another path is another event.
            let other = try await store.accept(events: [event("e1", path: "/hooks/other")])
            guard case .accepted = other[0] else {
                Issue.record("an id at another path is not a duplicate: \(other)")
                return
            }
            let open = try await store.openEvents()
            #expect(open.map(\.eventID) == ["e1", "e2", "e1"])
            #expect(open[0].body == Array("{\"email\":\"a@example.com\"}".utf8))
            #expect(open[0].headers.contains("content-type"))
        }
    }

    @Test func aDoneEventLeavesTheInboxAndForgetsWhatItCarried() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            guard case .accepted(let id) = try await store.accept(events: [event("e1")])[0] else {
                Issue.record("not accepted")
                return
            }
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.markEventRunning(id: id, runID: "r1")
            #expect(try await store.openEvents().first?.status == .running)
            #expect(try await store.openEvents().first?.runID == "r1")
            try await store.markEventDone(id: id)
            #expect(try await store.openEvents().isEmpty)
            // Still known as received, so that a repeat is not run again.
            #expect(try await store.accept(events: [event("e1")]) == [.duplicate(of: id, status: .done)])
            let kept = try await store.read { db in try String.fetchOne(db, sql: "SELECT length(body) || ',' || headers FROM webhook_events") }
            #expect(kept == "0,{}")
        }
    }

    @Test func aScheduleFireIsKeptOnlyWhenLater() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            let late = Date(timeIntervalSince1970: 1_800_003_600)
            try await store.recordFire(ScheduleFire(playbook: "digest", schedule: "0 * * * * UTC", firedAt: late))
            try await store.recordFire(ScheduleFire(playbook: "digest", schedule: "0 * * * * UTC", firedAt: late.addingTimeInterval(-3600)))
            try await store.recordFire(ScheduleFire(playbook: "digest", schedule: "0 9 * * * UTC", firedAt: late))
            let fires = try await store.lastFires(playbook: "digest")
            #expect(fires.map(\.schedule) == ["0 * * * * UTC", "0 9 * * * UTC"])
            #expect(fires.allSatisfy { $0.firedAt == late })
            #expect(try await store.lastFires(playbook: "other").isEmpty)
        }
    }
}
