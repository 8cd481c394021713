import Foundation

/// A run about to start, as the executor describes it.
public struct NewRun: Sendable, Equatable {
    /// The run's id, such as `20261206T080151Z-c3ea893f`.
    public var id: String
    /// The playbook's name.
    public var playbook: String
    /// SHA-256 of the playbook file, in lower-case hex: tells whether a resumed run runs the same file.
    public var contentHash: String
    /// The params' values, as a JSON object.
    public var params: String
    /// What started the run: `manual`, `schedule`, `webhook`, …
    public var triggerKind: String
    /// The trigger's details (webhook path, fire time, …), as a JSON object.
    public var triggerDetails: String
    /// When the run started (`run.started_at` in expressions).
    public var startedAt: Date

    public init(
        id: String, playbook: String, contentHash: String, params: String = "{}",
        triggerKind: String = "manual", triggerDetails: String = "{}", startedAt: Date
    ) {
        self.id = id
        self.playbook = playbook
        self.contentHash = contentHash
        self.params = params
        self.triggerKind = triggerKind
        self.triggerDetails = triggerDetails
        self.startedAt = startedAt
    }
}

/// The process a run belongs to: its id and the machine it runs on.
public struct RunOwner: Sendable, Equatable, CustomStringConvertible {
    /// The process id.
    public var pid: Int32
    /// The machine's host name.
    public var host: String

    public init(pid: Int32, host: String) {
        self.pid = pid
        self.host = host
    }

    /// `pid 4242 on build-7`.
    public var description: String { "pid \(pid) on \(host)" }
}

/// A run as the store keeps it.
public struct RunRecord: Sendable, Equatable {
    /// Where a run stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Its process is working on it (or died without a word: see ``interrupted``).
        case running
        /// Every step ended well, or only steps with `on_error: continue` failed.
        case succeeded
        /// A step with `on_error: fail` failed.
        case failed
        /// It was stopped (Ctrl-C, SIGTERM) before it finished.
        case cancelled
        /// Its process died, or stopped sending heartbeats, while it was running.
        case interrupted

        /// Whether a run with this status can be resumed.
        public var isResumable: Bool { self == .failed || self == .cancelled || self == .interrupted }
    }

    /// The run's id.
    public var id: String
    /// The playbook's name.
    public var playbook: String
    /// SHA-256 of the playbook file, in lower-case hex.
    public var contentHash: String
    /// The params' values, as a JSON object.
    public var params: String
    /// What started it, and the trigger's details as a JSON object.
    public var triggerKind: String
    public var triggerDetails: String
    /// Where it stands.
    public var status: Status
    /// When it started, and when it ended (nil while running; the last heartbeat for an interrupted run).
    public var startedAt: Date
    public var finishedAt: Date?
    /// The run's summary as the executor wrote it at the end, as JSON.
    public var summary: String?
    /// The process that runs (or last ran) it, and when that process last said it was alive.
    public var owner: RunOwner
    public var heartbeatAt: Date
    /// 1, plus one for every resume.
    public var attempts: Int
    /// Records set aside in its dead letters.
    public var deadLetterCount: Int
}

/// A run that has the playbook's lock and is recorded as running.
public struct StartedRun: Sendable, Equatable {
    /// The run, as recorded.
    public var run: RunRecord
    /// Runs of the playbook whose process was found dead while taking the lock: now `interrupted`.
    /// The CLI tells the user they can be resumed.
    public var interrupted: [RunRecord]
}

/// What to do when another live run of the playbook holds its lock.
public enum LockWait: Sendable, Equatable {
    /// Refuse at once (`concurrency: forbid`).
    case no
    /// Wait until it is free, for at most this long (`concurrency: queue`).
    case upTo(Duration)
}

/// One run with everything recorded about it.
public struct RunDetail: Sendable, Equatable {
    /// The run.
    public var run: RunRecord
    /// How each step ended, in the order the steps started (steps never started last).
    public var steps: [StepResult]
    /// The first of its dead letters, oldest first; `run.deadLetterCount` says how many there are.
    public var deadLetters: [DeadLetter]
    /// Notifications it left or found uncertain.
    public var uncertainNotifications: [LedgerEntry]
    /// Its sync batches.
    public var batches: [SyncBatch]
}
