import Diagnostics

/// One step of a playbook. A class: the checker passes steps around constantly, and a reference is
/// cheaper to pass than the whole step.
public final class Step: Sendable {
    /// The step's id, where it is written.
    public let id: Located<StepID>
    /// What the step is for, in a sentence.
    public let description: String?
    /// What the step does, with its settings.
    public let kind: StepKind
    /// The kind key (`fetch:`, `sync:` …), where problems with the step as a whole are reported.
    public let kindRange: SourceRange
    /// Data inputs (`from:`).
    public let inputs: [StepReference]
    /// Order-only dependencies (`after:`).
    public let after: [StepReference]
    /// `if:`: the step runs only when this holds.
    public let condition: Expression?
    /// The step's own retry settings for remote calls.
    public let retry: RetrySettings?
    /// The step's own timeout for one remote call.
    public let timeout: Duration?
    /// What a failure of the step does to the run.
    public let onError: OnError
    /// What a record the step cannot handle does to the step.
    public let onRecordError: OnRecordError

    init(
        id: Located<StepID>, description: String?, kind: StepKind, kindRange: SourceRange,
        inputs: [StepReference], after: [StepReference], condition: Expression?, retry: RetrySettings?,
        timeout: Duration?, onError: OnError, onRecordError: OnRecordError
    ) {
        self.id = id
        self.description = description
        self.kind = kind
        self.kindRange = kindRange
        self.inputs = inputs
        self.after = after
        self.condition = condition
        self.retry = retry
        self.timeout = timeout
        self.onError = onError
        self.onRecordError = onRecordError
    }

    /// The kind key, such as `fetch`.
    public var kindName: String { kind.name }
}

/// What a failed step does to the run: fail it, or let independent branches go on.
public enum OnError: String, Sendable, CaseIterable {
    case fail, `continue`
}

/// What a bad record does to its step: fail the step, or set the record aside as a dead letter.
public enum OnRecordError: String, Sendable, CaseIterable {
    case fail, skip
}

/// What a step does. The payloads are classes, so passing a kind around shares it instead of
/// copying every field (the checks switch over each step's kind several times).
public enum StepKind: Sendable {
    case fetch(FetchStep)
    case transform(TransformStep)
    case segment(SegmentStep)
    case sync(SyncStep)
    case notify(NotifyStep)

    /// The kind key, such as `fetch`.
    public var name: String {
        switch self {
        case .fetch: "fetch"
        case .transform: "transform"
        case .segment: "segment"
        case .sync: "sync"
        case .notify: "notify"
        }
    }

    /// Sinks write or send; their output is not expected to feed another step.
    public var isSink: Bool {
        switch self {
        case .sync, .notify: true
        default: false
        }
    }
}

/// A field with a declared type, for records of files and webhooks.
public struct DeclaredField: Sendable {
    /// The field's name.
    public var name: Located<String>
    /// The field's type.
    public var type: ValueType
}

/// A named value given to a connector's resource (`params:` of fetch and sync).
public typealias ResourceParameter = (name: Located<String>, value: Located<JSONValue>)

/// `fetch`: reads records from a connector resource, a file or a webhook's payload.
public final class FetchStep: Sendable {
    /// Where the records come from.
    public enum Source: Sendable {
        /// A resource of a connection's platform.
        case connection(Located<ConnectionName>, resource: Located<String>)
        /// A local file; relative paths start at the playbook's folder.
        case file(Located<String>, format: FileFormat)
        /// The payload of the webhook trigger at this path; `records` picks the records out of it.
        case webhook(Located<String>, records: Expression?)
    }

    /// Where the records come from.
    public let source: Source
    /// Parameters of the resource's read request.
    public let params: [ResourceParameter]
    /// For a lookup (a fetch with `from:`): each parameter's expression, computed from every record
    /// read, in the order of `params`; empty for an ordinary fetch.
    public let lookup: [(name: Located<String>, value: Expression)]
    /// The field whose stored value an incremental read starts after.
    public let incrementalCursor: Located<String>?
    /// Where the first incremental read starts.
    public let incrementalStart: Located<JSONValue>?
    /// The fields of the records, for files, webhooks and freely named resources.
    public let declaredFields: [DeclaredField]?
    /// Where the `fields` key is, when the fetch has one.
    public let declaredFieldsKey: SourceRange?
    /// Records asked for per page.
    public let pageSize: Int?
    /// The most pages read.
    public let maxPages: Int?
    /// The most records read.
    public let maxRecords: Int?

    init(
        source: Source,
        params: [ResourceParameter],
        lookup: [(name: Located<String>, value: Expression)] = [],
        incrementalCursor: Located<String>?,
        incrementalStart: Located<JSONValue>?,
        declaredFields: [DeclaredField]?,
        declaredFieldsKey: SourceRange? = nil,
        pageSize: Int?,
        maxPages: Int?,
        maxRecords: Int?
    ) {
        self.source = source
        self.params = params
        self.lookup = lookup
        self.incrementalCursor = incrementalCursor
        self.incrementalStart = incrementalStart
        self.declaredFields = declaredFields
        self.declaredFieldsKey = declaredFieldsKey
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.maxRecords = maxRecords
    }
}

/// The formats of local files.
public enum FileFormat: String, Sendable, CaseIterable {
    case jsonl, csv
}

/// `transform`: reshapes records, in a fixed order: join, set, rename, drop, select, dedupe, aggregate.
public final class TransformStep: Sendable {
    /// Which records a join keeps.
    public enum JoinKind: String, Sendable, CaseIterable {
        /// Every record, with the matched record (or none) added.
        case left
        /// Only records that match.
        case inner
    }

    /// Adds to each record the record of another step with the same key.
    public struct Join: Sendable {
        /// The step looked up.
        public var with: StepReference
        /// The key field of this step's records.
        public var leftField: Located<String>
        /// The key field of the looked-up records.
        public var rightField: Located<String>
        /// The field the matched record is put in.
        public var field: String
        /// Which records are kept.
        public var kind: JoinKind
    }

    /// Which of several records with the same key `dedupe` keeps.
    public enum DedupeKeep: String, Sendable, CaseIterable {
        case first, last
    }

    /// Keeps one record per key.
    public struct Dedupe: Sendable {
        /// The key.
        public var by: Expression
        /// Which record of a key is kept.
        public var keep: DedupeKeep
    }

    /// The functions of `aggregate`.
    public enum AggregateFunction: String, Sendable, CaseIterable {
        case sum, count, avg, min, max
    }

    /// One computed field of an aggregate.
    public struct Computed: Sendable {
        /// The field's name.
        public var name: Located<String>
        /// The function.
        public var function: AggregateFunction
        /// The value aggregated; for `count`, an optional condition (nil when `count: true`).
        public var expression: Expression?
    }

    /// Groups records and computes a record per group.
    public struct Aggregate: Sendable {
        /// The fields records are grouped by; none for one group of all records.
        public var groupBy: [Located<String>]
        /// The fields computed per group.
        public var compute: [Computed]
    }

    /// `join:`.
    public let join: Join?
    /// `set:`: fields and their values, each seeing the fields set above it.
    public let set: [(field: Located<String>, value: Expression)]
    /// `rename:`: old and new names.
    public let rename: [(from: Located<String>, to: Located<String>)]
    /// `drop:`: fields removed.
    public let drop: [Located<String>]
    /// `select:`: the only fields kept, in this order.
    public let select: [Located<String>]?
    /// `dedupe:`.
    public let dedupe: Dedupe?
    /// `aggregate:`.
    public let aggregate: Aggregate?

    init(
        join: Join?,
        set: [(field: Located<String>, value: Expression)],
        rename: [(from: Located<String>, to: Located<String>)],
        drop: [Located<String>],
        select: [Located<String>]?,
        dedupe: Dedupe?,
        aggregate: Aggregate?
    ) {
        self.join = join
        self.set = set
        self.rename = rename
        self.drop = drop
        self.select = select
        self.dedupe = dedupe
        self.aggregate = aggregate
    }
}

/// `segment`: keeps records that meet a condition, or routes each to the first named segment it meets.
public final class SegmentStep: Sendable {
    /// `where:`: the condition records must meet.
    public let filter: Expression?
    /// `segments:`: named conditions, tried in order.
    public let segments: [(name: Located<String>, condition: Expression)]
    /// `otherwise:`: the segment of records that meet none.
    public let otherwise: Located<String>?

    /// Every segment name this step produces, in order.
    public var segmentNames: [String] {
        segments.map(\.name.value) + (otherwise.map { [$0.value] } ?? [])
    }

    init(filter: Expression?, segments: [(name: Located<String>, condition: Expression)], otherwise: Located<String>?) {
        self.filter = filter
        self.segments = segments
        self.otherwise = otherwise
    }
}

/// `sync`: writes records to a connector resource in batches.
public final class SyncStep: Sendable {
    /// The connection written to.
    public let connection: Located<ConnectionName>
    /// The resource written to.
    public let resource: Located<String>
    /// How records are written.
    public let mode: Located<SyncMode>
    /// The field that identifies a record on the platform.
    public let matchOn: Located<String>?
    /// `match_on:` is written, possibly without a value (reported by the decoder).
    public let matchOnWritten: Bool
    /// `fields:`: the fields written and their values; without it, the records as they are.
    public let fields: [(field: Located<String>, value: Expression)]
    /// Parameters of the resource's write request.
    public let params: [ResourceParameter]
    /// Tags added, for `mode: tag`.
    public let tags: [Template]
    /// Records per call.
    public let batchSize: Located<Int>?

    init(
        connection: Located<ConnectionName>,
        resource: Located<String>,
        mode: Located<SyncMode>,
        matchOn: Located<String>?,
        matchOnWritten: Bool,
        fields: [(field: Located<String>, value: Expression)],
        params: [ResourceParameter],
        tags: [Template],
        batchSize: Located<Int>?
    ) {
        self.connection = connection
        self.resource = resource
        self.mode = mode
        self.matchOn = matchOn
        self.matchOnWritten = matchOnWritten
        self.fields = fields
        self.params = params
        self.tags = tags
        self.batchSize = batchSize
    }
}

/// Whether a notify step sends a message per record or one digest per run.
public enum NotifyMode: String, Sendable, CaseIterable {
    case perRecord = "per_record"
    case digest
}

/// What a `once_per` message whose delivery is unknown (a run stopped, or its answer was lost)
/// becomes: never sent again, or sent again.
public enum NotifyDelivery: String, Sendable, CaseIterable {
    /// Reported as uncertain, not sent again: nobody gets it twice, someone may not get it (the default).
    case atMostOnce = "at_most_once"
    /// Sent again by the next run: nobody misses it, someone may get it twice.
    case atLeastOnce = "at_least_once"
}

/// `notify`: sends messages through Slack, e-mail or an outgoing webhook.
public final class NotifyStep: Sendable {
    /// The connection sent through.
    public let connection: Located<ConnectionName>
    /// The message text.
    public let message: Template
    /// The e-mail subject.
    public let subject: Template?
    /// For a digest, the line above the records' lines.
    public let title: Template?
    /// The recipient.
    public let to: Template?
    /// The Slack channel, for bot-token connections.
    public let channel: String?
    /// A message per record, or one digest per run.
    public let mode: NotifyMode
    /// False when `mode:` holds a word that is no mode (reported by the decoder): then what depends
    /// on the mode is not checked, so that one mistake gives one message.
    public let modeIsKnown: Bool
    /// The key that a message is sent at most once for.
    public let oncePer: Expression?
    /// The most messages per run.
    public let maxMessages: Int?
    /// What a `once_per` message of unknown delivery becomes, when written.
    public let delivery: Located<NotifyDelivery>?

    init(
        connection: Located<ConnectionName>,
        message: Template,
        subject: Template?,
        title: Template?,
        to: Template?,
        channel: String?,
        mode: NotifyMode,
        modeIsKnown: Bool,
        oncePer: Expression?,
        maxMessages: Int?,
        delivery: Located<NotifyDelivery>?
    ) {
        self.connection = connection
        self.message = message
        self.subject = subject
        self.title = title
        self.to = to
        self.channel = channel
        self.mode = mode
        self.modeIsKnown = modeIsKnown
        self.oncePer = oncePer
        self.maxMessages = maxMessages
        self.delivery = delivery
    }
}
