import Diagnostics
import YAML

/// One step of a playbook. A class: the checker passes steps around constantly, and a reference is
/// cheaper to pass than the whole step.
public final class Step: Sendable {
    public let id: Located<StepID>
    /// The `description:` scalar; its text is made only when asked for, as validation never reads it.
    private let descriptionScalar: YAMLNode?
    public var description: String? { descriptionScalar.flatMap { $0.isNull ? nil : $0.scalar } }
    public let kind: StepKind
    /// The kind key (`fetch:`, `sync:` …), where problems with the step as a whole are reported.
    public let kindRange: SourceRange
    /// Data inputs (`from:`).
    public let inputs: [StepReference]
    /// Order-only dependencies (`after:`).
    public let after: [StepReference]
    public let condition: Expression?
    public let retry: RetrySettings?
    public let timeoutMilliseconds: Int64?
    public let onError: OnError
    public let onRecordError: OnRecordError

    public init(
        id: Located<StepID>, description: YAMLNode?, kind: StepKind, kindRange: SourceRange,
        inputs: [StepReference], after: [StepReference], condition: Expression?, retry: RetrySettings?,
        timeoutMilliseconds: Int64?, onError: OnError, onRecordError: OnRecordError
    ) {
        self.id = id
        self.descriptionScalar = description
        self.kind = kind
        self.kindRange = kindRange
        self.inputs = inputs
        self.after = after
        self.condition = condition
        self.retry = retry
        self.timeoutMilliseconds = timeoutMilliseconds
        self.onError = onError
        self.onRecordError = onRecordError
    }

    public var kindName: String { kind.name }
}

public enum OnError: String, Sendable, CaseIterable {
    case fail, `continue`
}

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
    public var name: Located<String>
    public var type: ValueType
}

public final class FetchStep: Sendable {
    public enum Source: Sendable {
        case connection(Located<String>, resource: Located<String>)
        case file(Located<String>, format: FileFormat)
        case webhook(Located<String>, records: Expression?)
    }

    public let source: Source
    public let params: [(name: Located<String>, value: YAMLNode)]
    public let incrementalCursor: Located<String>?
    public let incrementalStart: YAMLNode?
    public let declaredFields: [DeclaredField]?
    public let pageSize: Int?
    public let maxPages: Int?
    public let maxRecords: Int?

    init(
        source: Source,
        params: [(name: Located<String>, value: YAMLNode)],
        incrementalCursor: Located<String>?,
        incrementalStart: YAMLNode?,
        declaredFields: [DeclaredField]?,
        pageSize: Int?,
        maxPages: Int?,
        maxRecords: Int?
    ) {
        self.source = source
        self.params = params
        self.incrementalCursor = incrementalCursor
        self.incrementalStart = incrementalStart
        self.declaredFields = declaredFields
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.maxRecords = maxRecords
    }
}

public enum FileFormat: String, Sendable, CaseIterable {
    case jsonl, csv
}

public final class TransformStep: Sendable {
    public struct Join: Sendable {
        public var with: StepReference
        public var leftField: Located<String>
        public var rightField: Located<String>
        public var field: String
        public var inner: Bool
    }

    public struct Dedupe: Sendable {
        public var by: Expression
        public var keepLast: Bool
    }

    public enum AggregateFunction: String, Sendable {
        case sum, count, avg, min, max
    }

    public struct Computed: Sendable {
        public var name: Located<String>
        public var function: AggregateFunction
        /// The value aggregated; for `count`, an optional condition (nil when `count: true`).
        public var expression: Expression?
    }

    public struct Aggregate: Sendable {
        public var groupBy: [Located<String>]
        public var compute: [Computed]
    }

    public let join: Join?
    public let set: [(field: Located<String>, value: Expression)]
    public let rename: [(from: Located<String>, to: Located<String>)]
    public let drop: [Located<String>]
    public let select: [Located<String>]?
    public let dedupe: Dedupe?
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

public final class SegmentStep: Sendable {
    public let filter: Expression?
    public let segments: [(name: Located<String>, condition: Expression)]
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

public final class SyncStep: Sendable {
    public let connection: Located<String>
    public let resource: Located<String>
    public let mode: Located<SyncMode>
    public let matchOn: Located<String>?
    /// `match_on:` is written, possibly without a value (reported by the decoder).
    public let matchOnWritten: Bool
    public let fields: [(field: Located<String>, value: Expression)]
    public let params: [(name: Located<String>, value: YAMLNode)]
    public let tags: [Template]
    public let batchSize: Located<Int>?

    init(
        connection: Located<String>,
        resource: Located<String>,
        mode: Located<SyncMode>,
        matchOn: Located<String>?,
        matchOnWritten: Bool,
        fields: [(field: Located<String>, value: Expression)],
        params: [(name: Located<String>, value: YAMLNode)],
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

public enum NotifyMode: String, Sendable, CaseIterable {
    case perRecord = "per_record"
    case digest
}

public final class NotifyStep: Sendable {
    public let connection: Located<String>
    public let message: Template
    public let subject: Template?
    public let to: Template?
    public let channel: String?
    public let mode: NotifyMode
    public let oncePer: Expression?
    public let maxMessages: Int?

    init(
        connection: Located<String>,
        message: Template,
        subject: Template?,
        to: Template?,
        channel: String?,
        mode: NotifyMode,
        oncePer: Expression?,
        maxMessages: Int?
    ) {
        self.connection = connection
        self.message = message
        self.subject = subject
        self.to = to
        self.channel = channel
        self.mode = mode
        self.oncePer = oncePer
        self.maxMessages = maxMessages
    }
}
