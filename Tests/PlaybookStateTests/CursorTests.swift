import Foundation
import Testing
@testable import PlaybookState

@Suite struct CursorTests {
    @Test func aStepHasNoCursorBeforeItsFirstCommit() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads") == nil)
        }
    }

    @Test func aCommittedCursorIsReadBackWithTheKeysAtItsValue() async throws {
        try await withTemporaryFolder { folder in
            let clock = TestClock()
            let store = try SQLiteRunStateStore(path: statePath(folder), options: storeOptions(clock: clock))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.commitCursor(
                CursorPosition(value: #""2026-03-01T08:00:00Z""#, keysAtValue: ["c-17", "c-18"]), step: "leads", runID: "r1")
            let cursor = try #require(try await store.cursor(playbook: "hot-leads", step: "leads"))
            #expect(cursor.position == CursorPosition(value: #""2026-03-01T08:00:00Z""#, keysAtValue: ["c-17", "c-18"]))
            #expect(cursor.runID == "r1")
            #expect(cursor.committedAt == clock.now)
            #expect(try await store.cursor(playbook: "hot-leads", step: "deals") == nil)
            #expect(try await store.cursor(playbook: "weekly-report", step: "leads") == nil)
        }
    }

    @Test func theSameValueAddsKeysAndANewValueReplacesThem() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.commitCursor(CursorPosition(value: #"{"at": 1700, "page": 2}"#, keysAtValue: ["a", "b"]), step: "leads", runID: "r1")
            try await store.commitCursor(CursorPosition(value: #"{"at":1700,"page":2}"#, keysAtValue: ["c"]), step: "leads", runID: "r1")
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.position.keysAtValue == ["a", "b", "c"])
            try await store.commitCursor(CursorPosition(value: #"{"at":1701,"page":1}"#, keysAtValue: ["d"]), step: "leads", runID: "r1")
            let cursor = try #require(try await store.cursor(playbook: "hot-leads", step: "leads"))
            #expect(cursor.position == CursorPosition(value: #"{"at":1701,"page":1}"#, keysAtValue: ["d"]))
        }
    }

    @Test func thousandsOfKeysAtOneValueAreKeptWhateverTheirText() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let keys = Set((0..<5_000).map { "lead-\($0)" } + [#"say "hi""#, "back\\slash", "Zoë", "tab\tline\n", "[1,2]", ""])
            try await store.commitCursor(CursorPosition(value: "1700", keysAtValue: keys), step: "leads", runID: "r1")
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.position.keysAtValue == keys)
        }
    }

    @Test func aCursorOutlivesTheRunThatCommittedIt() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.commitCursor(CursorPosition(value: "18422"), step: "leads", runID: "r1")
            try await store.finishRun(id: "r1", status: .succeeded, summary: nil, finishedAt: Date())
            _ = try await store.startRun(newRun("r2"), wait: .no)
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.position.value == "18422")
            try await store.finishRun(id: "r2", status: .failed, summary: nil, finishedAt: Date())
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.runID == "r1")
        }
    }

    @Test func aValueThatIsNotJSONIsRefusedAndNothingMoves() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.commitCursor(CursorPosition(value: "5", keysAtValue: ["a"]), step: "leads", runID: "r1")
            let found = await problem {
                try await store.commitCursor(CursorPosition(value: "2026-03-01 08:00", keysAtValue: ["b"]), step: "leads", runID: "r1")
            }
            guard case .invalidValue = found else { Issue.record("expected invalidValue, got \(String(describing: found))"); return }
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.position == CursorPosition(value: "5", keysAtValue: ["a"]))
        }
    }

    @Test func severalCursorsAreCommittedTogetherOrNotAtAll() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.commitCursors(
                [CursorCommit(step: "leads", position: CursorPosition(value: "10")), CursorCommit(step: "deals", position: CursorPosition(value: "20"))],
                runID: "r1")
            let refused = await problem {
                try await store.commitCursors(
                    [CursorCommit(step: "leads", position: CursorPosition(value: "11")), CursorCommit(step: "deals", position: CursorPosition(value: "2x"))],
                    runID: "r1")
            }
            #expect(refused == .invalidValue(detail: "the cursor of step 'deals' is not JSON: 2x"))
            #expect(try await store.cursor(playbook: "hot-leads", step: "leads")?.position.value == "10")
            #expect(try await store.cursor(playbook: "hot-leads", step: "deals")?.position.value == "20")
        }
    }

    @Test func aFinishedRunCannotCommit() async throws {
        try await withTemporaryFolder { folder in
            let store = try SQLiteRunStateStore(path: statePath(folder))
            _ = try await store.startRun(newRun("r1"), wait: .no)
            try await store.finishRun(id: "r1", status: .cancelled, summary: nil, finishedAt: Date())
            let found = await problem { try await store.commitCursor(CursorPosition(value: "9"), step: "leads", runID: "r1") }
            #expect(found == .runNotOwned("r1", status: .cancelled, owner: .current))
        }
    }
}
