/// Compiles a checked playbook into a `Plan`: execution order, levels and resolved settings.
public struct PlanCompiler: Sendable {
    /// A remote call's timeout when neither the step nor `defaults.timeout` gives one.
    public static let standardTimeoutMilliseconds: Int64 = 30_000

    public init() {}

    /// Compiles a playbook that checked without errors (its graph has an order).
    public func compile(_ checked: CheckedPlaybook) -> Plan {
        let playbook = checked.playbook
        let order = checked.graph.order ?? checked.graph.steps
        let defaultRetry = RetryPolicy.standard.overridden(by: playbook.defaults.retry)
        let defaultTimeout = playbook.defaults.timeoutMilliseconds ?? Self.standardTimeoutMilliseconds
        let levelByStep = checked.graph.levels
        let steps = order.compactMap { id -> PlanStep? in
            guard let step = playbook.step(id) else { return nil }
            return PlanStep(
                id: id.rawValue,
                kind: step.kind.name,
                level: levelByStep[id] ?? 0,
                inputs: step.inputs.map(\.description),
                after: step.after.map(\.description),
                action: StepDescription(playbook: playbook, connectors: checked.connectors).action(of: step),
                connection: connectionName(of: step),
                condition: step.condition?.source.text,
                retry: defaultRetry.overridden(by: step.retry),
                timeoutMilliseconds: step.timeoutMilliseconds ?? defaultTimeout,
                onError: step.onError.rawValue,
                onRecordError: step.onRecordError.rawValue
            )
        }
        let maxLevel = steps.map(\.level).max() ?? -1
        let levels = maxLevel < 0 ? [] : (0...maxLevel).map { level in steps.filter { $0.level == level }.map(\.id) }
        return Plan(
            name: playbook.name.value,
            version: playbook.version.value,
            triggers: playbook.triggers.map(describe),
            steps: steps,
            edges: checked.graph.edges.map { PlanEdge(from: $0.from.rawValue, to: $0.to.rawValue, kind: $0.kind.rawValue) },
            levels: levels,
            connections: playbook.connections.map { connection in
                let connector = checked.connectors[connection.name.value.rawValue]
                return PlanConnection(
                    name: connection.name.value.rawValue,
                    connector: connection.connector.value,
                    rateLimit: connection.rateLimit?.value ?? connector?.defaultRateLimit,
                    concurrency: connection.concurrency ?? connector?.maxConcurrency,
                    secrets: connection.auth.map(\.secret.value.rawValue)
                )
            }
        )
    }

    private func connectionName(of step: Step) -> String? {
        switch step.kind {
        case .fetch(let fetch):
            if case .connection(let name, _) = fetch.source { return name.value }
            return nil
        case .sync(let sync): return sync.connection.value
        case .notify(let notify): return notify.connection.value
        default: return nil
        }
    }

    private func describe(_ trigger: Trigger) -> String {
        switch trigger.kind {
        case .schedule(let schedule):
            var text = "schedule \"\(schedule.cron.value)\" in \(schedule.timeZone?.value ?? "UTC"), catch up: \(schedule.catchUp.rawValue)"
            if let limit = schedule.catchUpLimit { text += " (at most \(limit))" }
            return text + ", concurrency: \(trigger.concurrency.rawValue)"
        case .webhook(let webhook):
            return "webhook \(webhook.path.value) verified by \(webhook.verify.value.rawValue), concurrency: \(trigger.concurrency.rawValue)"
        case .manual:
            return "manual"
        }
    }
}

/// One-line descriptions of what a step does, for `playbook plan`.
struct StepDescription {
    let playbook: Playbook
    let connectors: [String: ConnectorDescriptor]

    func action(of step: Step) -> String {
        switch step.kind {
        case .fetch(let fetch): describe(fetch)
        case .transform(let transform): describe(transform)
        case .segment(let segment): describe(segment)
        case .sync(let sync): describe(sync)
        case .notify(let notify): describe(notify)
        }
    }

    private func connectorName(_ connection: String) -> String {
        connectors[connection]?.name ?? playbook.connection(connection)?.connector.value ?? connection
    }

    private func describe(_ fetch: FetchStep) -> String {
        var parts: [String]
        switch fetch.source {
        case .connection(let connection, let resource):
            parts = ["read \(connectorName(connection.value)) \(resource.value) via '\(connection.value)'"]
            if let cursor = fetch.incrementalCursor { parts.append("incrementally by \(cursor.value)") }
        case .file(let path, let format):
            parts = ["read \(format.rawValue) file \(path.value)"]
        case .webhook(let path, let records):
            parts = ["read the payload of webhook \(path.value)"]
            if let records { parts.append("records: \(records.source.text)") }
        }
        if !fetch.params.isEmpty { parts.append("params: " + fetch.params.map(\.name.value).joined(separator: ", ")) }
        if let size = fetch.pageSize { parts.append("\(size) per page") }
        if let pages = fetch.maxPages { parts.append("at most \(pages) pages") }
        if let records = fetch.maxRecords { parts.append("at most \(records) records") }
        return parts.joined(separator: ", ")
    }

    private func describe(_ transform: TransformStep) -> String {
        var parts: [String] = []
        if let join = transform.join {
            let on = join.leftField.value == join.rightField.value ? join.leftField.value : "\(join.leftField.value) = \(join.rightField.value)"
            parts.append("\(join.inner ? "inner" : "left") join \(join.with.description) on \(on) as \(join.field)")
        }
        if !transform.set.isEmpty { parts.append("set " + transform.set.map(\.field.value).joined(separator: ", ")) }
        if !transform.rename.isEmpty { parts.append("rename " + transform.rename.map { "\($0.from.value) → \($0.to.value)" }.joined(separator: ", ")) }
        if !transform.drop.isEmpty { parts.append("drop " + transform.drop.map(\.value).joined(separator: ", ")) }
        if let select = transform.select { parts.append("select " + select.map(\.value).joined(separator: ", ")) }
        if let dedupe = transform.dedupe { parts.append("dedupe by \(dedupe.by.source.text) keeping the \(dedupe.keepLast ? "last" : "first")") }
        if let aggregate = transform.aggregate {
            let groups = aggregate.groupBy.isEmpty ? "all records" : aggregate.groupBy.map(\.value).joined(separator: ", ")
            parts.append("aggregate by \(groups) into " + aggregate.compute.map { "\($0.name.value) = \($0.function.rawValue)" }.joined(separator: ", "))
        }
        return parts.isEmpty ? "pass records through" : parts.joined(separator: "; ")
    }

    private func describe(_ segment: SegmentStep) -> String {
        if let filter = segment.filter { return "keep records where \(filter.source.text)" }
        var text = "route each record to the first matching segment of " + segment.segments.map(\.name.value).joined(separator: ", ")
        if let otherwise = segment.otherwise { text += ", otherwise \(otherwise.value)" }
        return text
    }

    private func describe(_ sync: SyncStep) -> String {
        let batchLimit = connectors[sync.connection.value]?.resource(named: sync.resource.value)?.maxBatchSize
        var text = "\(sync.mode.value.rawValue) into \(connectorName(sync.connection.value)) \(sync.resource.value) via '\(sync.connection.value)'"
        if let matchOn = sync.matchOn { text += " matched on \(matchOn.value)" }
        if !sync.params.isEmpty { text += ", " + sync.params.map { "\($0.name.value) \($0.value.scalar ?? "…")" }.joined(separator: ", ") }
        if !sync.tags.isEmpty { text += ", tags " + sync.tags.map { "\"\($0.source.text)\"" }.joined(separator: ", ") }
        if let batch = sync.batchSize?.value ?? batchLimit { text += ", in batches of \(batch)" }
        return text
    }

    private func describe(_ notify: NotifyStep) -> String {
        var text = notify.mode == .digest
            ? "send one digest per run through '\(notify.connection.value)' (\(connectorName(notify.connection.value)))"
            : "send a message per record through '\(notify.connection.value)' (\(connectorName(notify.connection.value)))"
        if let oncePer = notify.oncePer { text += ", once per \(oncePer.source.text)" }
        if let max = notify.maxMessages { text += ", at most \(max) per run" }
        return text
    }
}
