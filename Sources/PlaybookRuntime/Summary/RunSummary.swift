import CEL
import Diagnostics
import PlaybookLanguage

/// How a step ended.
public enum StepStatus: String, Sendable, Codable {
    /// Every record handled (some may be in the dead letters).
    case succeeded
    /// The step stopped on an error.
    case failed
    /// Its `if:` was false, or a replay of dead letters did not run it; steps reading it got no
    /// records from it.
    case skipped
    /// Stopped before finishing: the run was stopped, or a step it depends on failed.
    case cancelled
}

/// How a run ended.
public enum RunStatus: String, Sendable, Codable {
    /// No step failed, or only steps with `on_error: continue`.
    case succeeded
    /// A step with `on_error: fail` failed.
    case failed
    /// The run was stopped (Ctrl-C, SIGTERM) before it finished.
    case cancelled
}

/// What one step did.
public struct StepSummary: Sendable {
    /// The step's id.
    public var id: StepID
    /// Its kind, such as `transform`.
    public var kind: String
    /// How it ended.
    public var status: StepStatus
    /// Records it received.
    public var recordsIn: Int
    /// Records it passed on (for sync and notify: records written or announced).
    public var recordsOut: Int
    /// Records set aside in the dead letters.
    public var recordsSkipped: Int
    /// Remote calls made, retries included (for files: pages read and batches written).
    public var calls: Int
    /// When it started and finished; nil for a step that never started.
    public var startedAt: CELTimestamp?
    public var finishedAt: CELTimestamp?
    /// Why it failed or was cancelled.
    public var error: String?
    /// Where in the playbook the error comes from, when an expression caused it.
    public var errorLocation: PlaybookLocation?
    /// For sync and notify in a dry run: what would have been written or sent.
    public var dryRun: DryRunReport?
    /// Messages not sent because of `max_messages` or a repeated `once_per` key.
    public var messagesHeldBack: Int
    /// Of those, the messages held back by `max_messages`: with `once_per`, a later run sends them.
    public var messagesOverLimit: Int = 0
    /// Keys of messages (or records an insert writes) an earlier run meant to send but stopped
    /// before the platform acknowledged them: not sent again, as they may have arrived.
    public var uncertainKeys: [String] = []
    /// For an insert: records an earlier run wrote, not written again.
    public var alreadyWritten: Int = 0
    /// With `delivery: at_least_once`: keys of messages an earlier run left uncertain, sent again.
    public var sentAgainKeys: [String] = []
    /// For a fetch of a resumed run: pages its earlier attempt read, passed on again without
    /// reading them from the platform.
    public var pagesResumed: Int = 0
    /// For a sync of a resumed run: batches its earlier attempt wrote and the platform
    /// acknowledged, not written again.
    public var batchesAlreadyWritten: Int = 0
    /// For an incremental fetch: the cursor its records reached (committed when the run delivered
    /// them all).
    public var cursor: IncrementalCursor?

    /// How long the step ran.
    public var duration: Duration? {
        guard let startedAt, let finishedAt else { return nil }
        return .nanoseconds(Int64(finishedAt.nanos - startedAt.nanos))
    }
}

/// A place in the playbook file.
public struct PlaybookLocation: Sendable, Equatable {
    /// The file's path as given.
    public var path: String
    /// 1-based line and column.
    public var line: Int
    public var column: Int

    /// `path:line:column`.
    public var description: String { "\(path):\(line):\(column)" }
}

/// What a sync or notify step would have done, in a dry run.
public struct DryRunReport: Sendable {
    /// The connection and resource written, or the connection messages go through.
    public var connection: String
    public var resource: String?
    /// The sync mode, for a sync.
    public var mode: String?
    /// Records that would have been written, or messages sent.
    public var count: Int
    /// The first records, as written.
    public var sampleRecords: [CELValue]
    /// The first messages, rendered.
    public var sampleMessages: [OutgoingMessage]
}

/// An alert whose condition held at the end of the run.
public struct FiredAlert: Sendable {
    /// The alert's name, if it has one.
    public var name: String?
    /// The connection it goes through.
    public var connection: String
    /// The rendered message.
    public var message: OutgoingMessage
    /// Whether it was sent. Alerts are not sent in a dry run, in a stopped run, or by a provider
    /// that sends none (playbook tests); they are reported in the summary either way.
    public var sent: Bool
    /// Why its condition or message could not be evaluated.
    public var error: String?
}

/// What a run did in the sandbox: every write and message the sandbox received while the run went
/// on, as its journal recorded them (JSON objects with `platform`, `resource`, `operation`,
/// `status`, `applied`, `body`, and `fault` when the answer was an injected fault).
public struct SandboxActivity: Sendable {
    /// The sandbox's address.
    public var url: String
    /// The journal's entries of this run, in order.
    public var entries: [JSONValue]

    public init(url: String, entries: [JSONValue]) {
        self.url = url
        self.entries = entries
    }
}

/// The record of a finished run.
public struct RunSummary: Sendable {
    /// The run's id.
    public var runID: String
    /// The playbook's name.
    public var playbook: String
    /// How the run ended.
    public var status: RunStatus
    /// Whether writes were only reported.
    public var dryRun: Bool
    /// When it started and finished.
    public var startedAt: CELTimestamp
    public var finishedAt: CELTimestamp
    /// Why it failed: the first failed step's error.
    public var error: String?
    /// Every step, in plan order.
    public var steps: [StepSummary]
    /// The dead-letter file, when records were set aside.
    public var deadLetterPath: String?
    /// Records set aside in all.
    public var deadLetterCount: Int
    /// Alerts whose condition held.
    public var alerts: [FiredAlert]
    /// What the run did in the sandbox, when it ran against one.
    public var sandbox: SandboxActivity? = nil

    /// How long the run took.
    public var duration: Duration { .nanoseconds(Int64(finishedAt.nanos - startedAt.nanos)) }

    /// The steps that failed.
    public var failedSteps: [StepSummary] { steps.filter { $0.status == .failed } }
}
