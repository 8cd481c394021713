import Foundation
import GRDB
import Testing
@testable import PlaybookState

/// What a state file that cannot be used gives: a clear error, before any run starts.
@Suite struct FailureTests {
    @Test func aFileThatIsNotADatabaseIsRefusedAndLeftAsItIs() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("state.sqlite")
            let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try garbage.write(to: URL(fileURLWithPath: path))
            let found = await problem { _ = try SQLiteRunStateStore(path: path) }
            #expect(found == .notADatabase)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test func anotherProgramsDatabaseIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("crm.sqlite")
            let other = try DatabaseQueue(path: path)
            try await other.write { db in try db.execute(sql: "CREATE TABLE contacts (email TEXT)") }
            try other.close()
            #expect(await problem { _ = try SQLiteRunStateStore(path: path) } == .notAStateFile)
        }
    }

    @Test func anEmptyFileBecomesAStateFile() async throws {
        try await withTemporaryFolder { folder in
            let path = (folder as NSString).appendingPathComponent("state.sqlite")
            _ = FileManager.default.createFile(atPath: path, contents: Data())
            let version = try await SQLiteRunStateStore(path: path).schemaVersion()
            #expect(version == Schema.currentVersion)
        }
    }

    @Test func aFileFromANewerVersionIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            _ = try SQLiteRunStateStore(path: path)
            let raw = try DatabaseQueue(path: path)
            let newer = Schema.currentVersion + 1
            try await raw.write { db in try db.execute(sql: "PRAGMA user_version = \(newer)") }
            try raw.close()
            let found = await problem { _ = try SQLiteRunStateStore(path: path) }
            #expect(found == .newerSchema(found: newer, supported: Schema.currentVersion))
        }
    }

    @Test func aDamagedFileIsReportedAsDamaged() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            do {
                let store = try SQLiteRunStateStore(path: path)
                _ = try await store.startRun(newRun("r1"), wait: .no)
            }
            // Keep the header page, lose the rest: the tables it names are gone.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 4096)
            try handle.close()
            let found = await problem {
                let store = try SQLiteRunStateStore(path: path)
                _ = try await store.runs(playbook: nil, limit: 1)
            }
            guard case .corrupt = found else { Issue.record("expected corrupt, got \(String(describing: found))"); return }
        }
    }

    @Test func aReadOnlyFileIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            _ = try SQLiteRunStateStore(path: path)
            chmod(path, 0o444)
            #expect(await problem { _ = try SQLiteRunStateStore(path: path) } == .readOnlyFile)
        }
    }

    @Test func aReadOnlyFolderIsRefused() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            _ = try SQLiteRunStateStore(path: path)
            let stateFolder = (path as NSString).deletingLastPathComponent
            chmod(stateFolder, 0o555)
            #expect(await problem { _ = try SQLiteRunStateStore(path: path) } == .readOnlyFolder(stateFolder))
        }
    }

    @Test func aFolderThatCannotBeMadeIsNamed() async throws {
        try await withTemporaryFolder { folder in
            let blocker = (folder as NSString).appendingPathComponent("reports")
            _ = FileManager.default.createFile(atPath: blocker, contents: Data("not a folder".utf8))
            let found = await problem { _ = try SQLiteRunStateStore(path: blocker + "/.playbook/state.sqlite") }
            guard case .cannotCreateFolder(let named, _) = found else {
                Issue.record("expected cannotCreateFolder, got \(String(describing: found))")
                return
            }
            #expect(named == blocker + "/.playbook")
            #expect(await problem { _ = try SQLiteRunStateStore(path: folder) } == .cannotOpen(detail: "it is a folder"))
        }
    }

    @Test func aFileLockedByAnotherConnectionBeyondTheBusyTimeoutIsAnError() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: TestClock(), busyTimeout: .milliseconds(100)))
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let other = try DatabaseQueue(path: path, configuration: configuration)
            try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            let found = await problem { _ = try await store.startRun(newRun("r1"), wait: .no) }
            #expect(found == .locked(timeout: .milliseconds(100)))
            try other.inDatabase { db in try db.execute(sql: "ROLLBACK") }
            try other.close()
            _ = try await store.startRun(newRun("r1"), wait: .no)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func aFileLockedByAnotherProcessBeyondTheBusyTimeoutIsAnError() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let store = try SQLiteRunStateStore(path: path, options: storeOptions(clock: TestClock(), busyTimeout: .milliseconds(100)))
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            sqlite.arguments = [path]
            let input = Pipe()
            let output = Pipe()
            sqlite.standardInput = input
            sqlite.standardOutput = output
            try sqlite.run()
            defer {
                try? input.fileHandleForWriting.close()
                sqlite.waitUntilExit()
            }
            try input.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\n.print holding\n".utf8))
            var said = Data()
            while !String(decoding: said, as: UTF8.self).contains("holding") {
                let more = output.fileHandleForReading.availableData
                if more.isEmpty { break }
                said.append(more)
            }
            #expect(String(decoding: said, as: UTF8.self).contains("holding"))
            let found = await problem { _ = try await store.startRun(newRun("r1"), wait: .no) }
            #expect(found == .locked(timeout: .milliseconds(100)))
            try input.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
        }
    }

    @Test func aFullDiskIsAnErrorAndTheBatchIsNotHalfRecorded() async throws {
        try await withTemporaryFolder { folder in
            let path = statePath(folder)
            let pages = try await SQLiteRunStateStore(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
            var options = SQLiteRunStateStore.Options()
            options.maximumPageCount = pages + 4
            let store = try SQLiteRunStateStore(path: path, options: options)
            _ = try await store.startRun(newRun("r1"), wait: .no)
            let big = "\"" + String(repeating: "x", count: 8000) + "\""
            let letters = (0..<10).map { NewDeadLetter(step: "scored", record: big, reason: "too big for the disk \($0)") }
            #expect(await problem { try await store.addDeadLetters(letters, runID: "r1") } == .full)
            #expect(try await store.deadLetters(runID: "r1").isEmpty)
            try await store.heartbeat(runID: "r1")
        }
    }

    @Test(arguments: [
        (StateStoreError.Problem.notADatabase, "the file is not an SQLite database", "move this file away"),
        (.readOnlyFile, "the file is read-only", "chmod u+w"),
        (.locked(timeout: .milliseconds(250)), "locked for more than 0.25s", "wait for the other process"),
        (.full, "the disk is full", "free some disk space"),
        (.newerSchema(found: 3, supported: 1), "schema version 3", "use that newer playbook"),
    ])
    func errorsNameTheFileTheProblemAndWhatToDo(problem: StateStoreError.Problem, what: String, todo: String) {
        let text = StateStoreError(path: "playbooks/.playbook/state.sqlite", problem: problem).description
        #expect(text.hasPrefix("state file playbooks/.playbook/state.sqlite: "))
        #expect(text.contains(what))
        #expect(text.contains(todo))
    }
}
