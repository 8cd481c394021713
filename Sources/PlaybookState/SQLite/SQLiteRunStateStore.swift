import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run-state store in one SQLite file, in WAL mode: readers never wait for the writer, and
/// several processes may share the file on one machine.
public final class SQLiteRunStateStore: RunStateStore {
    /// How the store behaves.
    public struct Options: Sendable {
        /// How long a change waits for another process that is writing the file.
        public var busyTimeout: Duration = .seconds(5)
        /// How long a running run may go without a heartbeat before it counts as dead.
        public var staleAfter: Duration = .seconds(120)
        /// How often a run waiting for the playbook's lock (`LockWait.upTo`) looks again.
        public var lockPollInterval: Duration = .milliseconds(100)
        /// The process the runs started or resumed through this store belong to.
        public var owner: RunOwner = .current
        /// The time stamped on heartbeats, claims and commits.
        public var clock: @Sendable () -> Date = { Date() }
        /// Whether a process exists on this machine.
        public var processExists: @Sendable (Int32) -> Bool = RunOwner.processExists
        /// The most pages the file may have (SQLite's `max_page_count`), to check how a full disk is handled.
        var maximumPageCount: Int?
        /// Whether each commit is flushed to the disk before it returns (SQLite's `synchronous =
        /// FULL`, the default). Without it (`NORMAL`) a commit survives a killed process but not a
        /// power cut, which could undo a claim whose message went out: the promises then hold
        /// across crashes of the process only. Not offered by the command line; measured by the
        /// state benchmark.
        public var flushEachCommit = true
        /// Called once before an existing file of an older schema version is upgraded, with the
        /// file's path, its version and the version it becomes. An upgrade rewrites the ledger,
        /// about four seconds per million keys, so a command says so rather than seem to hang.
        public var upgrading: (@Sendable (_ path: String, _ from: Int, _ to: Int) -> Void)?

        public init() {}
    }

    /// What a command says when it upgrades the state file at `path` (`Options.upgrading`); a log
    /// line gives the path apart.
    public static func upgradeNotice(of path: String?, from: Int, to: Int) -> String {
        "upgrading the state file \(path.map { $0 + " " } ?? "")from schema version \(from) to \(to); this happens once, "
            + "and takes a few seconds for each million keys in its ledger"
    }

    /// The state file's path.
    public let path: String
    let options: Options
    let pool: DatabasePool
    let liveness: RunLiveness
    /// Which ledger group holds each key, per step, for this store's claims.
    let ledgerIndex = LedgerIndex()

    /// Opens the state file at `path`, creating it and its folder when missing, and brings its
    /// schema up to date. Throws ``StateStoreError`` when the file cannot be used as a state file.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        self.liveness = RunLiveness(staleAfter: options.staleAfter, host: options.owner.host, processExists: options.processExists)
        try FileChecks.prepare(path: path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeout.timeInterval)
        configuration.foreignKeysEnabled = true
        configuration.label = "playbook-state"
        if let pages = options.maximumPageCount {
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }
        }
        do {
            try Self.createIfMissing(path: path, configuration: configuration)
            pool = try DatabasePool(path: path, configuration: configuration)
            // The pool opens its writer in WAL mode with `synchronous = NORMAL`, which a power cut
            // can undo the last commits of: a claim undone after its message went out would let
            // the message go twice. So every commit is flushed, unless told otherwise.
            let level = options.flushEachCommit ? "FULL" : "NORMAL"
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(level)") }
            let version = try pool.read { db in try Self.checkSchema(db, path: path) }
            if version > 0, version < Schema.currentVersion { options.upgrading?(path, version, Schema.currentVersion) }
            try Self.migrate(pool)
        } catch let error as DatabaseError {
            throw StateStoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// Makes a missing state file whole before anyone can open it: built under a temporary name
    /// beside it, in WAL mode and migrated, then linked into place. Two processes creating the file
    /// at once would otherwise both try to switch a fresh file to WAL mode, and one would fail.
    private static func createIfMissing(path: String, configuration: Configuration) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let temporary = path + ".new-" + UUID().uuidString
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        let pool = try DatabasePool(path: temporary, configuration: configuration)
        try migrate(pool)
        try pool.close()
        if link(temporary, path) != 0 && errno != EEXIST {
            // A file system without hard links: the window this leaves is as small as it can be.
            if !FileManager.default.fileExists(atPath: path) && rename(temporary, path) != 0 {
                throw StateStoreError(path: path, problem: .cannotOpen(detail: String(cString: strerror(errno))))
            }
        }
    }

    /// Checks that the database is empty or a state file of a version this build reads; returns
    /// its version (0 for an empty database).
    private static func checkSchema(_ db: Database, path: String) throws -> Int {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if applicationID != Schema.applicationID {
            // The migrator makes its bookkeeping table before the first migration's transaction: a
            // file that holds only that one is being set up by another process.
            let tables = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'") ?? 0
            if applicationID != 0 || tables > 0 { throw StateStoreError(path: path, problem: .notAStateFile) }
        }
        if try version > Schema.currentVersion || Schema.migrator.hasBeenSuperseded(db) {
            throw StateStoreError(path: path, problem: .newerSchema(found: version, supported: Schema.currentVersion))
        }
        return version
    }

    /// Applies the migrations the file lacks. Two processes opening a new file at once may both try:
    /// the second fails to create what the first created, and finds the file up to date.
    private static func migrate(_ pool: DatabasePool) throws {
        let migrator = Schema.migrator
        do {
            try migrator.migrate(pool)
        } catch {
            guard try pool.read(migrator.hasCompletedMigrations) else { throw error }
        }
    }

    /// The schema version of the open file.
    public func schemaVersion() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// Writes a consistent copy of the state to `destination` (which must not exist), even while runs
    /// write to it: a backup that can be opened as a state file.
    public func backup(to destination: String) async throws {
        do {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
        } catch let error as DatabaseError {
            throw StateStoreError(error, path: destination, busyTimeout: options.busyTimeout)
        }
    }

    // MARK: Access

    /// The current time, by the store's clock.
    var now: Date { options.clock() }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`), turning SQLite's errors into ``StateStoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw StateStoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// Puts `body` on the writer's queue at once, to run in one write transaction as `write` runs
    /// it, and calls `completion` with its result once committed: for work the caller goes on
    /// beside, without a task of its own waiting for a thread to start.
    func startWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T,
                                 completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        pool.asyncWrite(body) { _, result in
            completion(result.mapError { error in
                guard let error = error as? DatabaseError else { return error }
                return StateStoreError(error, path: self.path, busyTimeout: self.options.busyTimeout)
            })
        }
    }

    /// Runs `body` in one write transaction whose commit the run does not wait to reach the disk.
    /// Only for what a power cut may undo without breaking a promise: a key or batch whose
    /// acknowledgement is lost stays intended, and is found uncertain, which the rules already
    /// answer. The file is written in order, so the next flushed commit carries this one to the
    /// disk with it; a killed process loses nothing either way.
    func writeWithoutFlush<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard options.flushEachCommit else { return try await write(body) }
        do {
            return try await pool.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
                let result: Result<T, any Error>
                do {
                    var value: T?
                    try db.inTransaction(.immediate) {
                        value = try body(db)
                        return .commit
                    }
                    result = .success(value!)
                } catch {
                    result = .failure(error)
                }
                // Every other commit is flushed again, whatever became of this one.
                try db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute()
                return try result.get()
            }
        } catch let error as DatabaseError {
            throw StateStoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// Runs `body` on a snapshot of the file, turning SQLite's errors into ``StateStoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw StateStoreError(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// An error about this store's file.
    func failure(_ problem: StateStoreError.Problem) -> StateStoreError {
        StateStoreError(path: path, problem: problem)
    }
}
