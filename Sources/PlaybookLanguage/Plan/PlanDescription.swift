import Diagnostics

/// What `playbook plan` shows: a description made from the compiled plan, in words and names, so
/// that what it shows is what will run. Its JSON form is stable.
public struct PlanDescription: Sendable, Codable {
    /// The name.
    public var name: String
    /// The language version.
    public var version: Int
    /// One line per trigger.
    public var triggers: [String]
    /// Steps in execution order.
    public var steps: [Step]
    /// Dependencies between steps.
    public var edges: [Edge]
    /// Steps grouped by level: steps of one level do not depend on each other and can run together.
    public var levels: [[String]]
    /// The connections.
    public var connections: [Connection]

    /// One step.
    public struct Step: Sendable, Codable {
        /// The step's id.
        public var id: String
        /// The step's kind key.
        public var kind: String
        /// Steps of one level can run at the same time.
        public var level: Int
        /// Steps (or `step.segment`s) whose records this step takes.
        public var inputs: [String]
        /// Steps that must finish first (order only).
        public var after: [String]
        /// What the step does or calls, in one line.
        public var action: String
        /// The connection the step calls.
        public var connection: String?
        /// The `if:` condition, as written.
        public var condition: String?
        /// The retry policy of each remote call.
        public var retry: Retry
        /// The timeout of each remote call.
        public var timeoutMilliseconds: Int64
        /// What a failure of the step does to the run.
        public var onError: String
        /// What a bad record does to the step.
        public var onRecordError: String
    }

    /// A retry policy, with durations in milliseconds.
    public struct Retry: Sendable, Codable {
        /// Attempts in all, the first included.
        public var maxAttempts: Int
        /// How the delay between attempts grows.
        public var backoff: String
        /// The delay before the second attempt.
        public var initialDelayMilliseconds: Int64
        /// How much each delay grows, for exponential backoff.
        public var multiplier: Double
        /// The longest delay between two attempts.
        public var maxDelayMilliseconds: Int64
        /// How much randomness is added to a delay.
        public var jitter: String
        /// How long a call may keep being retried, in all.
        public var maxElapsedMilliseconds: Int64
    }

    /// A dependency between two steps.
    public struct Edge: Sendable, Codable {
        /// The step that finishes first.
        public var from: String
        /// The step that waits for it.
        public var to: String
        /// `data` (records flow) or `order` (`after:`).
        public var kind: String
    }

    /// A connection.
    public struct Connection: Sendable, Codable {
        /// The name.
        public var name: String
        /// The connector's name.
        public var connector: String
        /// The rate limit in force: the playbook's, or the platform's documented one.
        public var rateLimit: String?
        /// The most requests in flight at once.
        public var concurrency: Int?
        /// The names of the secrets it uses.
        public var secrets: [String]
    }
}

extension PlanDescription {
    /// The description of a compiled plan.
    public init(_ plan: Plan) {
        let actions = StepActions(plan: plan)
        name = plan.name
        version = plan.version
        triggers = plan.triggers.map(Self.describe)
        steps = plan.steps.map { step in
            Step(
                id: step.id.rawValue,
                kind: step.kind,
                level: step.level,
                inputs: step.inputs.map(\.description),
                after: step.after.map(\.rawValue),
                action: actions.action(of: step),
                connection: step.connection?.rawValue,
                condition: step.condition?.source.text,
                retry: Retry(step.retry),
                timeoutMilliseconds: step.timeout.milliseconds,
                onError: step.onError.rawValue,
                onRecordError: step.onRecordError.rawValue
            )
        }
        edges = plan.steps.flatMap { step -> [Edge] in
            var edges = step.inputs.map { Edge(from: $0.step.rawValue, to: step.id.rawValue, kind: "data") }
            if case .transform(let transform) = step.operation, let join = transform.join {
                edges.append(Edge(from: join.with.step.rawValue, to: step.id.rawValue, kind: "data"))
            }
            return edges + step.after.map { Edge(from: $0.rawValue, to: step.id.rawValue, kind: "order") }
        }
        let maxLevel = plan.steps.map(\.level).max() ?? -1
        levels = maxLevel < 0 ? [] : (0...maxLevel).map { level in plan.steps.filter { $0.level == level }.map(\.id.rawValue) }
        connections = plan.connections.map { connection in
            Connection(
                name: connection.name.rawValue,
                connector: connection.connector.name,
                rateLimit: connection.rateLimit?.description,
                concurrency: connection.concurrency,
                secrets: connection.auth.map(\.secret.rawValue)
            )
        }
    }

    private static func describe(_ trigger: Trigger) -> String {
        switch trigger.kind {
        case .schedule(let schedule):
            var text = "schedule \"\(schedule.cron.value.text)\" in \(schedule.timeZone?.value.identifier ?? "UTC"), catch up: \(schedule.catchUp.rawValue)"
            if let limit = schedule.catchUpLimit { text += " (at most \(limit))" }
            return text + ", concurrency: \(trigger.concurrency.rawValue)"
        case .webhook(let webhook):
            return "webhook \(webhook.path.value) verified by \(webhook.verify.value.rawValue), concurrency: \(trigger.concurrency.rawValue)"
        case .manual:
            return "manual"
        }
    }
}

extension PlanDescription.Retry {
    init(_ policy: RetryPolicy) {
        self.init(
            maxAttempts: policy.maxAttempts, backoff: policy.backoff.rawValue,
            initialDelayMilliseconds: policy.initialDelay.milliseconds, multiplier: policy.multiplier,
            maxDelayMilliseconds: policy.maxDelay.milliseconds, jitter: policy.jitter.rawValue,
            maxElapsedMilliseconds: policy.maxElapsed.milliseconds
        )
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}

/// One-line descriptions of what a step does, for `playbook plan`.
struct StepActions {
    let plan: Plan

    func action(of step: PlanStep) -> String {
        switch step.operation {
        case .fetch(let fetch): describe(fetch)
        case .transform(let transform): describe(transform)
        case .segment(let segment): describe(segment)
        case .sync(let sync): describe(sync)
        case .notify(let notify): describe(notify)
        }
    }

    private func connectorName(_ connection: ConnectionName) -> String {
        plan.connection(connection)?.connector.name ?? connection.rawValue
    }

    private func describe(_ fetch: FetchOperation) -> String {
        var parts: [String]
        switch fetch.source {
        case .connection(let connection, let resource, _):
            parts = ["read \(connectorName(connection)) \(resource) via '\(connection)'"]
            if let cursor = fetch.incremental?.cursor { parts.append("incrementally by \(cursor)") }
        case .file(let path, let format):
            parts = ["read \(format.rawValue) file \(path)"]
        case .webhook(let path, let records):
            parts = ["read the payload of webhook \(path)"]
            if let records { parts.append("records: \(records.source.text)") }
        }
        if !fetch.params.isEmpty { parts.append("params: " + fetch.params.map(\.name).joined(separator: ", ")) }
        if let size = fetch.pageSize { parts.append("\(size) per page") }
        if let pages = fetch.maxPages { parts.append("at most \(pages) pages") }
        if let records = fetch.maxRecords { parts.append("at most \(records) records") }
        return parts.joined(separator: ", ")
    }

    private func describe(_ transform: TransformOperation) -> String {
        var parts: [String] = []
        if let join = transform.join {
            let on = join.leftField == join.rightField ? join.leftField : "\(join.leftField) = \(join.rightField)"
            parts.append("\(join.kind.rawValue) join \(join.with.description) on \(on) as \(join.field)")
        }
        if !transform.set.isEmpty { parts.append("set " + transform.set.map(\.field).joined(separator: ", ")) }
        if !transform.rename.isEmpty { parts.append("rename " + transform.rename.map { "\($0.from) → \($0.to)" }.joined(separator: ", ")) }
        if !transform.drop.isEmpty { parts.append("drop " + transform.drop.joined(separator: ", ")) }
        if let select = transform.select { parts.append("select " + select.joined(separator: ", ")) }
        if let dedupe = transform.dedupe { parts.append("dedupe by \(dedupe.by.source.text) keeping the \(dedupe.keep.rawValue)") }
        if let aggregate = transform.aggregate {
            let groups = aggregate.groupBy.isEmpty ? "all records" : aggregate.groupBy.joined(separator: ", ")
            parts.append("aggregate by \(groups) into " + aggregate.compute.map { "\($0.name) = \($0.function.rawValue)" }.joined(separator: ", "))
        }
        return parts.isEmpty ? "pass records through" : parts.joined(separator: "; ")
    }

    private func describe(_ segment: SegmentOperation) -> String {
        if let filter = segment.filter { return "keep records where \(filter.source.text)" }
        var text = "route each record to the first matching segment of " + segment.segments.map(\.name).joined(separator: ", ")
        if let otherwise = segment.otherwise { text += ", otherwise \(otherwise)" }
        return text
    }

    private func describe(_ sync: SyncOperation) -> String {
        var text = "\(sync.mode.rawValue) into \(connectorName(sync.connection)) \(sync.resource) via '\(sync.connection)'"
        if let matchOn = sync.matchOn { text += " matched on \(matchOn)" }
        if !sync.params.isEmpty { text += ", " + sync.params.map { "\($0.name) \($0.value.value.plainText)" }.joined(separator: ", ") }
        if !sync.tags.isEmpty { text += ", tags " + sync.tags.map { "\"\($0.source.text)\"" }.joined(separator: ", ") }
        if let batch = sync.batchSize { text += ", in batches of \(batch)" }
        return text
    }

    private func describe(_ notify: NotifyOperation) -> String {
        var text = notify.mode == .digest
            ? "send one digest per run through '\(notify.connection)' (\(connectorName(notify.connection)))"
            : "send a message per record through '\(notify.connection)' (\(connectorName(notify.connection)))"
        if let oncePer = notify.oncePer { text += ", once per \(oncePer.source.text)" }
        if let max = notify.maxMessages { text += ", at most \(max) per run" }
        return text
    }
}

private extension JSONValue {
    /// A scalar as written; a list or mapping as `…`.
    var plainText: String {
        switch self {
        case .null: ""
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .array, .object: "…"
        }
    }
}
