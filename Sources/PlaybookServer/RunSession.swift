import CEL
import Crypto
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState

/// Why a run cannot be resumed.
public struct ResumeProblem: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One run's life in the state store: recorded as running (with the playbook's lock) before it
/// starts, kept alive while it runs, and recorded with its steps, dead letters and summary when
/// it ends. A run whose process dies stays `running` until the next command finds its process
/// gone and marks it `interrupted`.
public final class RunSession: Sendable {
    public let store: SQLiteRunStateStore
    public let runID: String
    private let heartbeat: Task<Void, Never>

    /// The SHA-256 of a playbook file's bytes, as runs record it.
    public static func contentHash(of bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).lowercaseHex
    }

    /// Records the run in `store`; says through `note` what it found of runs that died, and what it
    /// waits for. A run that sends the dead letters of run `retrying` again is recorded as started
    /// by them. `policy` says what to do when another run holds the playbook (by default, the
    /// `concurrency` of the trigger that started the run). Throws a message for the user when the
    /// state cannot be used or another run holds the playbook.
    public init(
        store: SQLiteRunStateStore, plan: Plan, playbookFile: String, contentHash hash: String, options: RunOptions,
        resuming: RunRecord? = nil, retrying: String? = nil, policy: ConcurrencyPolicy? = nil,
        note: @escaping @Sendable (String) -> Void
    ) async throws {
        self.store = store
        runID = options.runID
        if let resuming {
            let started = try await store.resumeRun(id: resuming.id, wait: .no)
            if resuming.contentHash != hash {
                note("note: \(playbookFile) changed since run \(resuming.id) started; the run goes on with the playbook as it is now")
            }
            for interrupted in started.interrupted { note(Self.report(interrupted)) }
            heartbeat = Self.heartbeat(store: store, runID: runID)
            return
        }
        let trigger: (kind: String, details: String) = switch (options.trigger, retrying) {
        case (_, let retried?): ("dead_letters", JSONValue.object([("run", .string(retried))]).text)
        case (.manual, nil): ("manual", "{}")
        case (.webhook(let path, _, _), nil): ("webhook", JSONValue.object([("path", .string(path))]).text)
        case (.schedule(let schedule, let firedAt), nil):
            ("schedule", JSONValue.object([("schedule", .string(schedule)), ("fired_at", .string(firedAt.rfc3339))]).text)
        }
        let paramsText = JSONValue.object(options.params.sorted { $0.key < $1.key }.map { ($0.key, $0.value.plainJSON) }).text
        let newRun = NewRun(id: options.runID, playbook: plan.name, contentHash: hash, params: paramsText,
                            triggerKind: trigger.kind, triggerDetails: trigger.details, startedAt: Date())
        let started: StartedRun
        switch policy ?? Self.concurrency(of: plan, trigger: options.trigger) {
        case .forbid:
            started = try await store.startRun(newRun, wait: .no)
        case .queue:
            started = try await Self.startWaiting(newRun, store: store, note: note)
        case .replace:
            // The run in progress is asked to stop, as Ctrl-C would (it finishes its batch and
            // records how it ended); this one starts when it has.
            do {
                started = try await store.startRun(newRun, wait: .no)
            } catch let error as StateStoreError {
                guard case .playbookBusy(_, let holder) = error.problem, holder.owner.host == RunOwner.current.host else { throw error }
                note("note: stopping run \(holder.runID) (\(holder.owner)) to replace it, as the trigger's `concurrency: replace` says")
                kill(holder.owner.pid, SIGTERM)
                started = try await store.startRun(newRun, wait: .upTo(.seconds(120)))
            }
        }
        for interrupted in started.interrupted { note(Self.report(interrupted)) }
        heartbeat = Self.heartbeat(store: store, runID: runID)
    }

    /// The `concurrency` of the trigger that started the run: the webhook's, the schedule's, or the
    /// manual trigger's.
    public static func concurrency(of plan: Plan, trigger: RunTrigger) -> ConcurrencyPolicy {
        for written in plan.triggers {
            switch (written.kind, trigger) {
            case (.webhook(let hook), .webhook(let path, _, _)) where hook.path.value == path: return written.concurrency
            case (.schedule(let schedule), .schedule(let text, _)) where ScheduleKey(schedule).text == text: return written.concurrency
            case (.manual, .manual): return written.concurrency
            default: continue
            }
        }
        return .forbid
    }

    /// Starts the run once the run in progress ends, saying that it waits.
    private static func startWaiting(_ run: NewRun, store: SQLiteRunStateStore, note: @Sendable (String) -> Void) async throws -> StartedRun {
        do {
            return try await store.startRun(run, wait: .no)
        } catch let error as StateStoreError {
            guard case .playbookBusy(_, let holder) = error.problem else { throw error }
            note("note: waiting for run \(holder.runID) (\(holder.owner)) to finish, as the trigger's `concurrency: queue` says")
            return try await store.startRun(run, wait: .upTo(.seconds(6 * 3600)))
        }
    }

    /// The recorded run to resume: `last` is the playbook's newest run.
    public static func runToResume(_ wanted: String, playbook: String, statePath: String,
                                   storeOptions: SQLiteRunStateStore.Options = .init()) async throws -> RunRecord {
        let store = try SQLiteRunStateStore(path: statePath, options: storeOptions)
        let found = wanted == "last" ? try await store.lastRun(playbook: playbook) : try await store.run(id: wanted, deadLetterLimit: 0)?.run
        guard let found else {
            throw ResumeProblem(wanted == "last" ? "no run of \(playbook) is recorded in \(statePath)" : "no run \(wanted) is recorded in \(statePath)")
        }
        guard found.playbook == playbook else {
            throw ResumeProblem("run \(found.id) is a run of \(found.playbook), not of \(playbook)")
        }
        return found
    }

    /// Says what became of a run whose process died, and what to do.
    private static func report(_ interrupted: RunRecord) -> String {
        "note: run \(interrupted.id) of \(interrupted.playbook), started \(interrupted.startedAt), was interrupted: "
            + "its process (\(interrupted.owner)) is gone. Messages it left without an answer are uncertain and will not be sent again; "
            + "see `playbook runs show \(interrupted.id)`, or go on with it: `playbook run FILE --resume \(interrupted.id)`."
    }

    /// Tells the store every 20 seconds that the run's process is alive.
    private static func heartbeat(store: SQLiteRunStateStore, runID: String) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(20))
                guard !Task.isCancelled else { return }
                try? await store.heartbeat(runID: runID)
            }
        }
    }

    /// The runtime's view of this state.
    public var runState: StoredRunState { StoredRunState(store: store) }

    /// Records how the run ended: its steps, the records it set aside, the dead letters of an
    /// earlier run it sent again and handled (`lettersRetried`), its summary.
    public func finish(_ summary: RunSummary, lettersRetried: [Int64] = []) async throws {
        heartbeat.cancel()
        let results = summary.steps.map { step in
            let status: StepResult.Status = switch step.status {
            case .succeeded: .succeeded
            case .failed: .failed
            case .skipped: .skipped
            case .cancelled: .cancelled
            }
            return StepResult(step: step.id.rawValue, kind: step.kind, status: status, recordsIn: step.recordsIn, recordsOut: step.recordsOut,
                              recordsSkipped: step.recordsSkipped, calls: step.calls, error: step.error,
                              startedAt: step.startedAt.map(Self.date), finishedAt: step.finishedAt.map(Self.date))
        }
        try await store.recordStepResults(results, runID: runID)
        if let path = summary.deadLetterPath { try await store.addDeadLetters(Self.deadLetters(in: path), runID: runID) }
        // Marked while the run holds the playbook, so that no other run sends them again meanwhile.
        try await store.markDeadLettersRetried(ids: lettersRetried, by: runID)
        let status: RunRecord.Status = switch summary.status {
        case .succeeded: .succeeded
        case .failed: .failed
        case .cancelled: .cancelled
        }
        try await store.finishRun(id: runID, status: status, summary: SummaryRendering.json(summary), finishedAt: Date())
    }

    /// The dead-letter file's lines as the store keeps them.
    public static func deadLetters(in path: String) -> [NewDeadLetter] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }
        return text.split(separator: "\n").compactMap { line in
            guard let json = try? JSONValue(parsing: String(line)) else { return nil }
            // Input that never became a record is kept as a JSON string of it; a letter with
            // neither (a notify without `from:`) as null.
            let record = (json["record"] ?? json["input"] ?? .null).text
            return NewDeadLetter(step: string(json["step"]) ?? "", record: record, reason: string(json["reason"]) ?? "", location: string(json["location"]))
        }
    }

    private static func date(_ timestamp: CELTimestamp) -> Date {
        Date(timeIntervalSince1970: Double(timestamp.nanos) / 1e9)
    }
}
