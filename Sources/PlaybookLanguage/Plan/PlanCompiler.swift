import CEL
import Diagnostics

/// Compiles a checked playbook into a `Plan`: execution order, levels, resolved settings and the
/// programs of its expressions, planned from the checks that validation ran.
public struct PlanCompiler: Sendable {
    /// A remote call's timeout when neither the step nor `defaults.timeout` gives one.
    public static let standardTimeout: Duration = .seconds(30)

    /// A compiler.
    public init() {}

    /// Compiles a playbook that checked without errors, with its expressions checked; nil when the
    /// playbook has errors or its expressions were not checked.
    public func compile(_ checked: CheckedPlaybook) -> Plan? {
        guard let expressions = checked.expressions, let order = checked.graph.orderByPosition else { return nil }
        let playbook = checked.playbook
        var compiler = OperationCompiler(checked: expressions)
        let defaultRetry = RetryPolicy.standard.overridden(by: playbook.defaults.retry)
        let defaultTimeout = playbook.defaults.timeout ?? Self.standardTimeout
        // The steps reading each step, by position, listed in plan order.
        var consumers = [[Int]](repeating: [], count: playbook.steps.count)
        for edge in checked.graph.edges where edge.kind == .data { consumers[edge.fromPosition].append(edge.toPosition) }
        var rank = [Int](repeating: 0, count: playbook.steps.count)
        for (index, position) in order.enumerated() { rank[position] = index }
        var steps: [PlanStep] = []
        for position in order {
            let step = playbook.steps[position]
            guard let operation = compiler.operation(of: step, connectors: checked.connectors) else { return nil }
            var condition: CompiledExpression?
            if let written = step.condition {
                guard let compiled = compiler.expression(written) else { return nil }
                condition = compiled
            }
            steps.append(PlanStep(
                id: step.id.value,
                range: step.id.range,
                description: step.description,
                level: checked.graph.levelsByPosition[position],
                inputs: step.inputs.map(PlanInput.init),
                after: step.after.map(\.step),
                consumers: Set(consumers[position]).sorted { rank[$0] < rank[$1] }.map { playbook.steps[$0].id.value },
                condition: condition,
                retry: defaultRetry.overridden(by: step.retry),
                timeout: step.timeout ?? defaultTimeout,
                onError: step.onError,
                onRecordError: step.onRecordError,
                inputRecord: checked.inputTypesByPosition[position],
                outputRecord: checked.outputTypesByPosition[position],
                inputLayout: compiler.layout(of: checked.inputTypesByPosition[position]),
                outputLayout: compiler.layout(of: checked.outputTypesByPosition[position]),
                operation: operation
            ))
        }
        var alerts: [PlanAlert] = []
        for alert in playbook.alerts {
            guard let when = compiler.expression(alert.when), let message = compiler.template(alert.message) else { return nil }
            alerts.append(PlanAlert(
                name: alert.name, when: when, notify: alert.notify.value, message: message,
                subject: alert.subject.flatMap { compiler.template($0) }, to: alert.to.flatMap { compiler.template($0) }, range: alert.range
            ))
        }
        let connections = playbook.connections.compactMap { connection -> PlanConnection? in
            guard let connector = checked.connectors[connection.name.value] else { return nil }
            return PlanConnection(
                name: connection.name.value,
                connector: connector,
                rateLimit: connection.rateLimit?.value ?? connector.defaultRateLimit.flatMap { RateLimit.parse($0).value },
                concurrency: connection.concurrency ?? connector.maxConcurrency,
                auth: connection.auth.map { ($0.field.value, $0.secret.value) },
                options: connection.options.map { ($0.name.value, $0.value) },
                range: connection.name.range
            )
        }
        return Plan(
            name: playbook.name.value, version: playbook.version.value, description: playbook.description,
            triggers: playbook.triggers, params: playbook.params, connections: connections, steps: steps, alerts: alerts,
            file: expressions.file
        )
    }
}

extension PlanInput {
    init(_ reference: StepReference) {
        self.init(step: reference.step, segment: reference.segment)
    }
}

/// Turns each step's AST into its operation, planning every expression from its check.
private struct OperationCompiler {
    let checked: CheckedExpressions
    /// The layout of each list of field names records have, made once, so that every expression
    /// over records of the same fields (whatever their types) shares one schema with the steps
    /// that build those records.
    private var layouts: [[String]: CELRecordSchema] = [:]

    init(checked: CheckedExpressions) {
        self.checked = checked
    }

    /// The schema records of this type are laid out on: its fields in order; nil for records
    /// whose fields are not known in advance.
    mutating func layout(of record: ValueType?) -> CELRecordSchema? {
        guard case .object(let fields)? = record else { return nil }
        var seen = Set<String>()
        let names = fields.map(\.name).filter { seen.insert($0).inserted }
        if let known = layouts[names] { return known }
        let schema = CELRecordSchema(fieldNames: names)
        layouts[names] = schema
        return schema
    }

    mutating func expression(_ expression: Expression) -> CompiledExpression? {
        guard let source = checked.sources[expression.source.range.start],
              case .expression(let checkedExpression)? = source.checked else { return nil }
        let schema = layout(of: source.record)
        let program = source.environment.program(for: checkedExpression, recordLayouts: schema.map { ["record": $0] } ?? [:])
        return CompiledExpression(source: expression.source, program: program, resultType: checkedExpression.resultType, recordSchema: schema)
    }

    mutating func template(_ template: Template) -> CompiledTemplate? {
        guard let source = checked.sources[template.source.range.start],
              case .template(let checkedTemplate)? = source.checked else { return nil }
        let schema = layout(of: source.record)
        let compiled = CELTemplate(checked: checkedTemplate, in: source.environment, recordLayouts: schema.map { ["record": $0] } ?? [:])
        return CompiledTemplate(source: template.source, template: compiled, recordSchema: schema)
    }

    /// Compiles every expression of a list; nil when one does not compile.
    private mutating func all<Element>(_ elements: [Element], _ compile: (inout Self, Element) -> CompiledExpression?) -> [CompiledExpression]? {
        var compiled: [CompiledExpression] = []
        for element in elements {
            guard let expression = compile(&self, element) else { return nil }
            compiled.append(expression)
        }
        return compiled
    }

    mutating func operation(of step: Step, connectors: [ConnectionName: ConnectorDescriptor]) -> PlanOperation? {
        switch step.kind {
        case .fetch(let fetch):
            let source: FetchOperation.Source
            switch fetch.source {
            case .connection(let name, let resource):
                source = .connection(name.value, resource: resource.value, descriptor: connectors[name.value]?.resource(named: resource.value))
            case .file(let path, let format):
                source = .file(path: path.value, format: format)
            case .webhook(let path, let records):
                var compiledRecords: CompiledExpression?
                if let records {
                    guard let compiled = expression(records) else { return nil }
                    compiledRecords = compiled
                }
                source = .webhook(path: path.value, records: compiledRecords)
            }
            guard let lookup = all(fetch.lookup, { $0.expression($1.value) }) else { return nil }
            return .fetch(FetchOperation(
                source: source,
                params: fetch.params.map { ($0.name.value, $0.value) },
                lookup: zip(fetch.lookup, lookup).map { ($0.name.value, $1) },
                incremental: fetch.incrementalCursor.map { ($0.value, fetch.incrementalStart) },
                declaredFields: fetch.declaredFields,
                pageSize: fetch.pageSize, maxPages: fetch.maxPages, maxRecords: fetch.maxRecords
            ))
        case .transform(let transform):
            guard let set = all(transform.set, { $0.expression($1.value) }) else { return nil }
            var dedupe: (by: CompiledExpression, keep: TransformStep.DedupeKeep)?
            if let written = transform.dedupe {
                guard let by = expression(written.by) else { return nil }
                dedupe = (by, written.keep)
            }
            var aggregate: (groupBy: [String], compute: [TransformOperation.Computed])?
            if let written = transform.aggregate {
                var compute: [TransformOperation.Computed] = []
                for computed in written.compute {
                    var value: CompiledExpression?
                    if let written = computed.expression {
                        guard let compiled = expression(written) else { return nil }
                        value = compiled
                    }
                    compute.append(TransformOperation.Computed(name: computed.name.value, function: computed.function, expression: value))
                }
                aggregate = (written.groupBy.map(\.value), compute)
            }
            return .transform(TransformOperation(
                join: transform.join.map { join in
                    TransformOperation.Join(
                        with: PlanInput(join.with), leftField: join.leftField.value, rightField: join.rightField.value,
                        field: join.field, kind: join.kind
                    )
                },
                set: zip(transform.set, set).map { ($0.field.value, $1) },
                rename: transform.rename.map { ($0.from.value, $0.to.value) },
                drop: transform.drop.map(\.value),
                select: transform.select?.map(\.value),
                dedupe: dedupe,
                aggregate: aggregate
            ))
        case .segment(let segment):
            var filter: CompiledExpression?
            if let written = segment.filter {
                guard let compiled = expression(written) else { return nil }
                filter = compiled
            }
            guard let conditions = all(segment.segments, { $0.expression($1.condition) }) else { return nil }
            return .segment(SegmentOperation(
                filter: filter,
                segments: zip(segment.segments, conditions).map { ($0.name.value, $1) },
                otherwise: segment.otherwise?.value
            ))
        case .sync(let sync):
            guard let fields = all(sync.fields, { $0.expression($1.value) }) else { return nil }
            var tags: [CompiledTemplate] = []
            for tag in sync.tags {
                guard let compiled = template(tag) else { return nil }
                tags.append(compiled)
            }
            let descriptor = connectors[sync.connection.value]?.resource(named: sync.resource.value)
            return .sync(SyncOperation(
                connection: sync.connection.value,
                resource: sync.resource.value,
                descriptor: descriptor,
                mode: sync.mode.value,
                matchOn: sync.matchOn?.value,
                fields: zip(sync.fields, fields).map { ($0.field.value, $1) },
                params: sync.params.map { ($0.name.value, $0.value) },
                tags: tags,
                batchSize: sync.batchSize?.value ?? descriptor?.maxBatchSize
            ))
        case .notify(let notify):
            guard let message = template(notify.message) else { return nil }
            var oncePer: CompiledExpression?
            if let written = notify.oncePer {
                guard let compiled = expression(written) else { return nil }
                oncePer = compiled
            }
            return .notify(NotifyOperation(
                connection: notify.connection.value,
                message: message,
                subject: notify.subject.flatMap { template($0) },
                title: notify.title.flatMap { template($0) },
                to: notify.to.flatMap { template($0) },
                channel: notify.channel,
                mode: notify.mode,
                oncePer: oncePer,
                maxMessages: notify.maxMessages,
                delivery: notify.delivery?.value ?? .atMostOnce
            ))
        }
    }
}
