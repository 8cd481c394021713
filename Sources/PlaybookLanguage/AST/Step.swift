import Diagnostics
import YAML

/// One step of a playbook. A class: the checker passes steps around constantly, and a reference is
/// cheaper to pass than the whole step.
public final class Step: Sendable {
    public let id: Located<StepID>
    public let description: String?
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
        id: Located<StepID>, description: String?, kind: StepKind, kindRange: SourceRange,
        inputs: [StepReference], after: [StepReference], condition: Expression?, retry: RetrySettings?,
        timeoutMilliseconds: Int64?, onError: OnError, onRecordError: OnRecordError
    ) {
        self.id = id
        self.description = description
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

public struct FetchStep: Sendable {
    public enum Source: Sendable {
        case connection(Located<String>, resource: Located<String>)
        case file(Located<String>, format: FileFormat)
        case webhook(Located<String>, records: Expression?)
    }

    public var source: Source
    public var params: [(name: Located<String>, value: YAMLNode)]
    public var incrementalCursor: Located<String>?
    public var incrementalStart: YAMLNode?
    public var declaredFields: [DeclaredField]?
    public var pageSize: Int?
    public var maxPages: Int?
    public var maxRecords: Int?
}

public enum FileFormat: String, Sendable, CaseIterable {
    case jsonl, csv
}

public struct TransformStep: Sendable {
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

    public var join: Join?
    public var set: [(field: Located<String>, value: Expression)]
    public var rename: [(from: Located<String>, to: Located<String>)]
    public var drop: [Located<String>]
    public var select: [Located<String>]?
    public var dedupe: Dedupe?
    public var aggregate: Aggregate?
}

public struct SegmentStep: Sendable {
    public var filter: Expression?
    public var segments: [(name: Located<String>, condition: Expression)]
    public var otherwise: Located<String>?

    /// Every segment name this step produces, in order.
    public var segmentNames: [String] {
        segments.map(\.name.value) + (otherwise.map { [$0.value] } ?? [])
    }
}

public struct SyncStep: Sendable {
    public var connection: Located<String>
    public var resource: Located<String>
    public var mode: Located<SyncMode>
    public var matchOn: Located<String>?
    /// `match_on:` is written, possibly without a value (reported by the decoder).
    public var matchOnWritten: Bool
    public var fields: [(field: Located<String>, value: Expression)]
    public var params: [(name: Located<String>, value: YAMLNode)]
    public var tags: [Template]
    public var batchSize: Located<Int>?
}

public enum NotifyMode: String, Sendable, CaseIterable {
    case perRecord = "per_record"
    case digest
}

public struct NotifyStep: Sendable {
    public var connection: Located<String>
    public var message: Template
    public var subject: Template?
    public var to: Template?
    public var channel: String?
    public var mode: NotifyMode
    public var oncePer: Expression?
    public var maxMessages: Int?
}
