import CEL
import Diagnostics

/// A compiled playbook, the one input of the runtime: steps in execution order, each a typed
/// operation holding compiled expressions and resolved settings.
///
/// It keeps the file's bytes (`file`) so that a failure can be reported at its line and column, but
/// not the YAML node tree the file was read into.
public struct Plan: Sendable {
    /// The playbook's name.
    public var name: String
    /// The language version the playbook is written in.
    public var version: Int
    /// What the playbook is for.
    public var description: String?
    /// What starts a run.
    public var triggers: [Trigger]
    /// The params a run is given, with their types and defaults.
    public var params: [Param]
    /// The connections, each with its connector.
    public var connections: [PlanConnection]
    /// Steps in execution order: each after the steps it depends on.
    public var steps: [PlanStep]
    /// Conditions checked when a run ends.
    public var alerts: [PlanAlert]
    /// The playbook's file, for locations.
    public var file: SourceFile

    /// The step with this id.
    public func step(_ id: StepID) -> PlanStep? { steps.first { $0.id == id } }
    /// The connection with this name.
    public func connection(_ name: ConnectionName) -> PlanConnection? { connections.first { $0.name == name } }
}

/// A connection with its connector and the limits in force.
public struct PlanConnection: Sendable {
    /// The name steps use.
    public var name: ConnectionName
    /// The connector: the platform, its resources and fields.
    public var connector: ConnectorDescriptor
    /// The rate limit in force: the playbook's, or the platform's documented one.
    public var rateLimit: RateLimit?
    /// The most requests in flight at once, when limited.
    public var concurrency: Int?
    /// Credentials by auth field, each a secret's name.
    public var auth: [(field: String, secret: SecretName)]
    /// Options as written.
    public var options: [(name: String, value: Located<JSONValue>)]
    /// Where the connection is declared.
    public var range: SourceRange
}

/// One step of the plan.
public struct PlanStep: Sendable {
    /// The step's id.
    public var id: StepID
    /// Where the step's id is written.
    public var range: SourceRange
    /// What the step is for.
    public var description: String?
    /// Steps of one level do not depend on each other and can run at the same time.
    public var level: Int
    /// The outputs this step takes its records from, in the order written.
    public var inputs: [PlanInput]
    /// Steps that must finish first (order only).
    public var after: [StepID]
    /// Steps that take this step's records (`from:` or `join.with`), in plan order.
    public var consumers: [StepID]
    /// `if:`: the step runs only when this holds.
    public var condition: CompiledExpression?
    /// The retry policy of each remote call.
    public var retry: RetryPolicy
    /// The timeout of each remote call.
    public var timeout: Duration
    /// What a failure of the step does to the run.
    public var onError: OnError
    /// What a record the step cannot handle does to the step.
    public var onRecordError: OnRecordError
    /// The fields of the records the step receives.
    public var inputRecord: ValueType
    /// The fields of the records the step outputs.
    public var outputRecord: ValueType
    /// The slot layout of the records the step receives, shared with the expressions that read
    /// them; nil when their fields are not known in advance.
    public var inputLayout: CELRecordSchema?
    /// The slot layout of the records the step outputs; nil when their fields are not known in
    /// advance.
    public var outputLayout: CELRecordSchema?
    /// What the step does.
    public var operation: PlanOperation

    /// The kind key, such as `fetch`.
    public var kind: String { operation.kind }
    /// The connection the step calls, if any.
    public var connection: ConnectionName? { operation.connection }
}

/// A step's output read by another step: the whole output, or one named segment of it.
public struct PlanInput: Sendable, Hashable, CustomStringConvertible {
    /// The step read.
    public var step: StepID
    /// The segment read, for a step with named segments.
    public var segment: String?

    /// `step` or `step.segment`.
    public var description: String { segment.map { "\(step).\($0)" } ?? step.rawValue }
}

/// What a step does, with everything it needs to do it.
public enum PlanOperation: Sendable {
    case fetch(FetchOperation)
    case transform(TransformOperation)
    case segment(SegmentOperation)
    case sync(SyncOperation)
    case notify(NotifyOperation)

    /// The kind key, such as `fetch`.
    public var kind: String {
        switch self {
        case .fetch: "fetch"
        case .transform: "transform"
        case .segment: "segment"
        case .sync: "sync"
        case .notify: "notify"
        }
    }

    /// The connection the operation calls, if any.
    public var connection: ConnectionName? {
        switch self {
        case .fetch(let fetch):
            if case .connection(let name, _, _) = fetch.source { return name }
            return nil
        case .sync(let sync): return sync.connection
        case .notify(let notify): return notify.connection
        case .transform, .segment: return nil
        }
    }
}

/// Reads records from a resource, a file or a webhook's payload.
public struct FetchOperation: Sendable {
    /// Where records come from.
    public enum Source: Sendable {
        /// A resource of a connection; `resource` is nil for freely named resources (generic HTTP).
        case connection(ConnectionName, resource: String, descriptor: ResourceDescriptor?)
        /// A local file; a relative path starts at the playbook's folder.
        case file(path: String, format: FileFormat)
        /// The payload of the webhook trigger at `path`; `records` picks the records out of it.
        case webhook(path: String, records: CompiledExpression?)
    }

    /// Where records come from.
    public var source: Source
    /// Parameters of the read request.
    public var params: [(name: String, value: Located<JSONValue>)]
    /// For a lookup (`from:`): the parameters computed from each record read; the resource is read
    /// once per record with them. Empty for an ordinary fetch.
    public var lookup: [(name: String, value: CompiledExpression)] = []
    /// The incremental cursor: the field read past, and where the first read starts.
    public var incremental: (cursor: String, start: Located<JSONValue>?)?
    /// Fields declared in the playbook, for files, webhooks and freely named resources.
    public var declaredFields: [DeclaredField]?
    /// Records asked for per page.
    public var pageSize: Int?
    /// The most pages read.
    public var maxPages: Int?
    /// The most records read.
    public var maxRecords: Int?
}

/// Reshapes records, in this order: join, set, rename, drop, select, dedupe, aggregate.
public struct TransformOperation: Sendable {
    /// A join with another step's records.
    public struct Join: Sendable {
        /// The step whose records are looked up; read in full first.
        public var with: PlanInput
        /// The key field of this step's records.
        public var leftField: String
        /// The key field of the looked-up records.
        public var rightField: String
        /// The field the matched record is put in.
        public var field: String
        /// Which records are kept.
        public var kind: TransformStep.JoinKind
    }

    /// One computed field of an aggregate.
    public struct Computed: Sendable {
        /// The field's name.
        public var name: String
        /// The function.
        public var function: TransformStep.AggregateFunction
        /// The value aggregated; for `count`, an optional condition.
        public var expression: CompiledExpression?
    }

    /// `join:`.
    public var join: Join?
    /// Fields set, each value seeing the fields set above it.
    public var set: [(field: String, value: CompiledExpression)]
    /// Fields renamed, old name first.
    public var rename: [(from: String, to: String)]
    /// Fields removed.
    public var drop: [String]
    /// The only fields kept, in this order.
    public var select: [String]?
    /// The key records are deduplicated by, and which record of a key is kept.
    public var dedupe: (by: CompiledExpression, keep: TransformStep.DedupeKeep)?
    /// Fields grouped by, and the fields computed per group; nil when the step does not aggregate.
    public var aggregate: (groupBy: [String], compute: [Computed])?
}

/// Keeps records that meet a condition, or routes each record to the first segment it meets.
public struct SegmentOperation: Sendable {
    /// `where:`.
    public var filter: CompiledExpression?
    /// Named conditions, tried in order.
    public var segments: [(name: String, condition: CompiledExpression)]
    /// The segment of records that meet none.
    public var otherwise: String?

    /// Every segment the step outputs, in order.
    public var segmentNames: [String] { segments.map(\.name) + (otherwise.map { [$0] } ?? []) }
}

/// Writes records to a resource in batches.
public struct SyncOperation: Sendable {
    /// The connection called.
    public var connection: ConnectionName
    /// The resource written.
    public var resource: String
    /// The resource's description, when the connector lists it.
    public var descriptor: ResourceDescriptor?
    /// How records are written.
    public var mode: SyncMode
    /// The field that identifies a record on the platform.
    public var matchOn: String?
    /// The fields written and their values; empty to write records as they are.
    public var fields: [(field: String, value: CompiledExpression)]
    /// Parameters of the write request.
    public var params: [(name: String, value: Located<JSONValue>)]
    /// Tags applied, for `mode: tag`.
    public var tags: [CompiledTemplate]
    /// Records per call: the playbook's `batch_size`, else the platform's limit.
    public var batchSize: Int?
}

/// Sends messages.
public struct NotifyOperation: Sendable {
    /// The connection called.
    public var connection: ConnectionName
    /// The message text.
    public var message: CompiledTemplate
    /// The e-mail subject.
    public var subject: CompiledTemplate?
    /// For a digest, the line above the records' lines.
    public var title: CompiledTemplate?
    /// The recipient.
    public var to: CompiledTemplate?
    /// The Slack channel, for bot-token connections.
    public var channel: String?
    /// A message per record, or one digest per run.
    public var mode: NotifyMode
    /// The key a message is sent at most once for.
    public var oncePer: CompiledExpression?
    /// The most messages per run.
    public var maxMessages: Int?
    /// What a `once_per` message of unknown delivery becomes.
    public var delivery: NotifyDelivery = .atMostOnce
}

/// A condition checked at the end of a run.
public struct PlanAlert: Sendable {
    /// The alert's name, for the summary.
    public var name: String?
    /// The condition.
    public var when: CompiledExpression
    /// The connection the message is sent through.
    public var notify: ConnectionName
    /// The message text.
    public var message: CompiledTemplate
    /// The e-mail subject.
    public var subject: CompiledTemplate?
    /// The recipient.
    public var to: CompiledTemplate?
    /// Where the alert is written.
    public var range: SourceRange
}

/// A retry policy with every value resolved.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 means no retries.
    public var maxAttempts: Int
    /// How the delay between attempts grows.
    public var backoff: Backoff
    /// The delay before the second attempt.
    public var initialDelay: Duration
    /// How much each delay grows, for exponential backoff.
    public var multiplier: Double
    /// The longest delay between two attempts.
    public var maxDelay: Duration
    /// How much randomness is added to a delay.
    public var jitter: Jitter
    /// How long a call may keep being retried, in all.
    public var maxElapsed: Duration

    /// What a step gets when neither it nor `defaults.retry` says otherwise.
    public static let standard = RetryPolicy(
        maxAttempts: 5, backoff: .exponential, initialDelay: .seconds(1), multiplier: 2,
        maxDelay: .seconds(60), jitter: .full, maxElapsed: .seconds(600)
    )

    /// Fills the values `settings` leaves out from `self`.
    func overridden(by settings: RetrySettings?) -> RetryPolicy {
        guard let settings else { return self }
        return RetryPolicy(
            maxAttempts: settings.maxAttempts ?? maxAttempts,
            backoff: settings.backoff ?? backoff,
            initialDelay: settings.initialDelay ?? initialDelay,
            multiplier: settings.multiplier ?? multiplier,
            maxDelay: settings.maxDelay ?? maxDelay,
            jitter: settings.jitter ?? jitter,
            maxElapsed: settings.maxElapsed ?? maxElapsed
        )
    }
}
