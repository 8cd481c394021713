import CEL
import Foundation
import PlaybookLanguage

/// What a run is given besides its plan.
public struct RunOptions: Sendable {
    /// The run's id, as the summary and `run.id` show it.
    public var runID: String
    /// Param values by name, each of its declared type; declared defaults fill the others.
    public var params: [String: CELValue]
    /// Whether sync and notify steps only report what they would do.
    public var dryRun: Bool
    /// The time the run starts: `now` and `run.started_at` in every expression.
    public var now: CELTimestamp
    /// What started the run.
    public var trigger: RunTrigger
    /// The folder relative paths start at: the playbook's.
    public var baseDirectory: String
    /// Where records set aside are written, one JSON line each; created only when one is.
    public var deadLetterPath: String
    /// Records per batch between steps, and per page or write where the platform does not say.
    public var batchSize: Int
    /// Records (or messages) kept per sink in a dry run's report.
    public var dryRunSampleSize: Int
    /// Called with every batch a step passes on, for tests that look at a step's output
    /// (`playbook test`); nil in ordinary runs.
    public var outputObserver: StepOutputObserver?
    /// What runs keep between them (incremental cursors, messages sent per `once_per` key); nil
    /// for a run that keeps nothing, which reads incremental fetches from their `start`.
    public var state: (any RunState)?
    /// Records to send again through the steps that set them aside, in place of what those steps
    /// would read; only the steps they go through run. Nil in ordinary runs.
    public var replay: RecordReplay?
    /// Told of each step as it ends, with its result (`playbook serve` logs it at once).
    public var stepFinished: StepFinishedObserver?

    /// Options for a run of a playbook in `baseDirectory`, started by hand now.
    public init(
        runID: String = RunOptions.newRunID(), params: [String: CELValue] = [:], dryRun: Bool = false,
        now: CELTimestamp = CELTimestamp(date: Date()), trigger: RunTrigger = .manual,
        baseDirectory: String, deadLetterPath: String? = nil, batchSize: Int = 1024, dryRunSampleSize: Int = 5,
        outputObserver: StepOutputObserver? = nil, state: (any RunState)? = nil, replay: RecordReplay? = nil
    ) {
        self.runID = runID
        self.params = params
        self.dryRun = dryRun
        self.now = now
        self.trigger = trigger
        self.baseDirectory = baseDirectory
        let defaultPath = ".playbook/dead-letters/\(runID).jsonl"
        self.deadLetterPath = deadLetterPath
            ?? (baseDirectory == "." ? defaultPath : (baseDirectory as NSString).appendingPathComponent(defaultPath))
        self.batchSize = batchSize
        self.dryRunSampleSize = dryRunSampleSize
        self.outputObserver = outputObserver
        self.state = state
        self.replay = replay
    }

    /// A new run id: the UTC start time and a random suffix, so ids sort by time.
    public static func newRunID(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return formatter.string(from: date) + "-" + String(repeating: "0", count: 8 - suffix.count) + suffix
    }
}

/// Sees each batch of records a step passes on: the step, the segment the batch goes to (nil for
/// steps without segments) and the records, in the order the step emits them. Steps run at the
/// same time, so it is called from several tasks at once.
/// Sees each step's result as the step ends, while the run goes on; called from several tasks at once.
public typealias StepFinishedObserver = @Sendable (StepSummary) -> Void

public typealias StepOutputObserver = @Sendable (_ step: StepID, _ segment: String?, _ records: [Record]) -> Void

/// What started a run: `trigger` in expressions.
public enum RunTrigger: Sendable {
    /// Started by hand (`playbook run`, `playbook test`).
    case manual
    /// A request to a webhook trigger's path, with its decoded body (`trigger.payload`) and headers.
    case webhook(path: String, payload: CELValue, headers: [String: String])
    /// A schedule (`trigger.schedule`, its cron text and time zone) at the time it was due
    /// (`trigger.fired_at`), which a run caught up after downtime or backfilled is later than.
    case schedule(schedule: String, firedAt: CELTimestamp)
}

extension CELTimestamp {
    /// The timestamp of a `Date`, to the microsecond.
    public init(date: Date) {
        self.init(nanos: Int128((date.timeIntervalSince1970 * 1_000_000).rounded()) * 1000)
    }
}
