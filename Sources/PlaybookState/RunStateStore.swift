import Foundation

/// Where runs keep what must outlive their process: the runs themselves, how each step ended, the
/// records set aside, incremental cursors, the notification ledger, sync batches, read checkpoints,
/// and the lock that keeps two runs of one playbook apart.
///
/// Values crossing it are plain (strings, JSON text, dates, small structs), so that a store on
/// another database can take the same shape. Every operation that changes several rows changes them
/// in one transaction.
///
/// Operations that start something new (a claim, an intended batch, a cursor commit, a checkpoint,
/// a heartbeat, the end of a run) need the run to be running in this process: a process whose run was
/// taken over after it stopped sending heartbeats gets ``StateStoreError/Problem/runNotOwned(_:status:owner:)``
/// and stops. Facts (a message sent, a batch acknowledged, a step result, a dead letter) are recorded
/// whatever the run's status, since they happened.
public protocol RunStateStore: Sendable {
    // MARK: Runs

    /// Records a new run as running in this process and gives it the playbook's lock. Runs of the
    /// playbook whose process died are marked `interrupted` on the way; another live run makes it
    /// fail (``StateStoreError/Problem/playbookBusy(playbook:holder:)``) or wait, as `wait` says.
    func startRun(_ run: NewRun, wait: LockWait) async throws -> StartedRun

    /// Takes up a failed, cancelled or interrupted run again in this process (`--resume`), with the
    /// playbook's lock. Its messages and batches left without an answer are uncertain.
    func resumeRun(id: String, wait: LockWait) async throws -> StartedRun

    /// Says that the run's process is alive; call it well within the store's stale-after time.
    func heartbeat(runID: String) async throws

    /// Records how steps ended, in one transaction, replacing what an earlier attempt of the run
    /// recorded for them.
    func recordStepResults(_ results: [StepResult], runID: String) async throws

    /// Records how the run ended (`succeeded`, `failed` or `cancelled`) with its summary (JSON), and
    /// releases the lock. Messages and batches it left without an answer become uncertain.
    func finishRun(id: String, status: RunRecord.Status, summary: String?, finishedAt: Date) async throws

    // MARK: Dead letters

    /// Stores records a step set aside.
    func addDeadLetters(_ letters: [NewDeadLetter], runID: String) async throws

    /// Marks dead letters as sent through their step again by a later run.
    func markDeadLettersRetried(ids: [Int64], by runID: String) async throws

    /// A run's dead letters, oldest first, at most `limit` from `offset`.
    func deadLetters(runID: String, limit: Int, offset: Int) async throws -> [DeadLetter]

    // MARK: Notification ledger

    /// Claims `once_per` keys of a notify step for a run, one answer per key in order: a key nobody
    /// sent or meant to send is recorded as intended and answered ``LedgerClaim/send``. Keys
    /// repeated in `keys` are answered `send` once, then `inFlight`.
    func claim(keys: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim]

    /// Records that the platform acknowledged the messages of these keys.
    func markSent(keys: [String], step: String, runID: String) async throws

    /// Records the messages of `sent` as acknowledged and claims `keys`, in one transaction: a
    /// step that sends group after group settles one group as it claims the next.
    func claim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim]

    /// Starts the same claim at once, without waiting for a task to run it, and calls `completion`
    /// with its answers once it is committed (or with its error).
    func startClaim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery,
                    completion: @escaping @Sendable (Result<[LedgerClaim], any Error>) -> Void)

    /// Gives up claims whose messages the platform refused, so that a later run may send them.
    func release(keys: [String], step: String, runID: String) async throws

    /// Records that the messages of these keys, claimed by the run, went out without an answer:
    /// they may have arrived, and are not sent again.
    func markUncertain(keys: [String], step: String, runID: String) async throws

    /// The notifications that the run left uncertain, or was the first to find uncertain.
    func uncertainNotifications(runID: String) async throws -> [LedgerEntry]

    // MARK: Sync batches

    /// Records batches as about to be written, one answer per batch: write, skip (acknowledged
    /// before), or uncertain.
    func intend(batches: [BatchIntent], runID: String) async throws -> [BatchClaim]

    /// Records that the platform acknowledged these batches.
    func acknowledge(batches: [BatchReference], runID: String) async throws

    /// A run's batches, by step and sequence.
    func batches(runID: String) async throws -> [SyncBatch]

    // MARK: Cursors

    /// The committed cursor of a playbook's incremental fetch step, nil before its first commit.
    func cursor(playbook: String, step: String) async throws -> StoredCursor?

    /// Commits the cursors of fetch steps of the run's playbook, all in one transaction. When a value is
    /// the one already stored, the keys delivered at it are added to the stored ones; otherwise they
    /// replace them.
    func commitCursors(_ commits: [CursorCommit], runID: String) async throws

    // MARK: Checkpoints

    /// Saves how far a fetch step of the run has read (opaque JSON the executor understands),
    /// replacing the step's earlier checkpoint.
    func saveCheckpoint(_ position: String, step: String, runID: String) async throws

    /// A run's checkpoints, by step.
    func checkpoints(runID: String) async throws -> [String: String]

    /// Saves a page a fetch step of the run read (its records, a JSON array) and where the read
    /// stands after it (the step's checkpoint), in one transaction.
    func savePage(_ records: String, position: String, step: String, runID: String) async throws

    /// The pages a fetch step of the run read, in order, with the checkpoint saved with the last;
    /// nil when it saved none.
    func readProgress(step: String, runID: String) async throws -> StoredReadProgress?

    // MARK: History

    /// Runs, newest first: of one playbook, or of all when `playbook` is nil.
    func runs(playbook: String?, limit: Int) async throws -> [RunRecord]

    /// One run with its steps, its first dead letters (at most `deadLetterLimit`), its uncertain
    /// notifications and its batches; nil when there is no such run.
    func run(id: String, deadLetterLimit: Int) async throws -> RunDetail?

    /// The playbook's newest run.
    func lastRun(playbook: String) async throws -> RunRecord?

    /// Runs whose process died while they were running, newest first: those not yet marked are
    /// marked `interrupted` first.
    func interruptedRuns(playbook: String?) async throws -> [RunRecord]
}

extension RunStateStore {
    /// Records how a step ended, replacing what an earlier attempt of the run recorded for it.
    public func recordStepResult(_ result: StepResult, runID: String) async throws {
        try await recordStepResults([result], runID: runID)
    }

    /// Claims one `once_per` key.
    public func claim(key: String, step: String, runID: String, delivery: NotificationDelivery = .atMostOnce) async throws -> LedgerClaim {
        try await claim(keys: [key], step: step, runID: runID, delivery: delivery)[0]
    }

    public func claim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery) async throws -> [LedgerClaim] {
        try await markSent(keys: sent, step: step, runID: runID)
        return try await claim(keys: keys, step: step, runID: runID, delivery: delivery)
    }

    public func startClaim(keys: [String], afterMarkingSent sent: [String], step: String, runID: String, delivery: NotificationDelivery,
                           completion: @escaping @Sendable (Result<[LedgerClaim], any Error>) -> Void) {
        answerOnATask(completion) { try await claim(keys: keys, afterMarkingSent: sent, step: step, runID: runID, delivery: delivery) }
    }

    /// Records that the platform acknowledged the message of one key.
    public func markSent(key: String, step: String, runID: String) async throws {
        try await markSent(keys: [key], step: step, runID: runID)
    }

    /// Commits one fetch step's cursor.
    public func commitCursor(_ position: CursorPosition, step: String, runID: String) async throws {
        try await commitCursors([CursorCommit(step: step, position: position)], runID: runID)
    }

    /// A run's dead letters, oldest first.
    public func deadLetters(runID: String) async throws -> [DeadLetter] {
        try await deadLetters(runID: runID, limit: Int.max, offset: 0)
    }

    /// One run with its steps and its first 100 dead letters.
    public func run(id: String) async throws -> RunDetail? {
        try await run(id: id, deadLetterLimit: 100)
    }
}

/// Runs `work` on a task of its own and gives its result to `completion`: for a store that has no
/// queue of its own to start the work on.
func answerOnATask<T: Sendable>(_ completion: @escaping @Sendable (Result<T, any Error>) -> Void,
                                _ work: @escaping @Sendable () async throws -> T) {
    Task {
        do {
            completion(.success(try await work()))
        } catch {
            completion(.failure(error))
        }
    }
}
