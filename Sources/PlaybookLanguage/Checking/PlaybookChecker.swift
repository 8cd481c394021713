import Diagnostics

/// A playbook that has been checked: names resolved, the step graph built, record types known.
public struct CheckedPlaybook: Sendable {
    public var playbook: Playbook
    public var graph: StepGraph
    /// The fields of the records each step outputs, by step position.
    var outputTypesByPosition: [ValueType]
    /// The fields of the records each step receives, by step position.
    var inputTypesByPosition: [ValueType]
    /// Connections by name with their connector, where the connector is known.
    public var connectors: [ConnectionName: ConnectorDescriptor]
    /// What the expression checks found; nil when expressions were not checked.
    var expressions: CheckedExpressions?

    /// The fields of the records each step outputs.
    public var outputTypes: [StepID: ValueType] { byStep(outputTypesByPosition) }
    /// The fields of the records each step receives.
    public var inputTypes: [StepID: ValueType] { byStep(inputTypesByPosition) }

    private func byStep(_ values: [ValueType]) -> [StepID: ValueType] {
        Dictionary(zip(playbook.steps.map(\.id.value), values), uniquingKeysWith: { first, _ in first })
    }
}

/// Runs the semantic passes over a decoded playbook; each pass adds to one list of diagnostics.
public struct PlaybookChecker: Sendable {
    public var catalog: ConnectorCatalog
    /// Type-check expressions and templates (on by default; off measures the structural checks alone).
    public var checksExpressions: Bool
    /// Keep every checked expression, so that the plan can be compiled from them (on by default;
    /// off when only the problems are wanted, as `playbook validate` wants).
    public var keepsCheckedExpressions: Bool
    /// Warn about step outputs, connections and params nothing uses (on by default; off when reading
    /// the file already failed somewhere, since a step left out for its errors may be the one that
    /// uses them).
    public var reportsUnused: Bool

    /// A checker using `catalog` for connectors.
    public init(catalog: ConnectorCatalog = .builtIn, checksExpressions: Bool = true, keepsCheckedExpressions: Bool = true,
                reportsUnused: Bool = true) {
        self.catalog = catalog
        self.checksExpressions = checksExpressions
        self.keepsCheckedExpressions = keepsCheckedExpressions
        self.reportsUnused = reportsUnused
    }

    public func check(_ playbook: Playbook, in file: SourceFile) -> (CheckedPlaybook, [Diagnostic]) {
        var bag = DiagnosticBag()
        let graph = StepGraph(playbook: playbook)
        // Each connection's connector, looked up once for every pass that needs it.
        let connectors = ConnectorsByConnection(playbook.connections, catalog: catalog)
        ConnectionChecks(playbook: playbook, catalog: catalog).run(into: &bag)
        TriggerChecks(playbook: playbook).run(into: &bag)
        StepChecks(playbook: playbook, connectors: connectors).run(into: &bag)
        reportCycles(graph, into: &bag)
        if reportsUnused { UsageChecks(playbook: playbook, graph: graph).run(into: &bag) }
        var recordTypes = RecordTypes(playbook: playbook, connectors: connectors, graph: graph)
        let expressions = checksExpressions ? ExpressionTypeChecker(playbook: playbook, file: file, keepsChecked: keepsCheckedExpressions) : nil
        if let expressions {
            expressions.requestedFieldHints = RequestedFieldHints(playbook: playbook, graph: graph, connectors: connectors)
            recordTypes.expressionType = { expression, record, step in expressions.check(expression, record: record, of: step) }
        }
        let types = recordTypes.run(into: &bag)
        if let expressions {
            ExpressionChecks(playbook: playbook, inputTypes: types.inputs, checker: expressions).run()
            bag.append(contentsOf: expressions.diagnostics)
            // Which params are read is known only when every expression parsed.
            if reportsUnused, expressions.paramReadsKnown {
                UsageChecks.reportUnusedParams(of: playbook, read: expressions.paramsRead, into: &bag)
            }
            AbsentFieldChecks(playbook: playbook, graph: graph, connectors: connectors, reads: expressions.recordValueReads, file: file).run(into: &bag)
        }
        WriteBackChecks(playbook: playbook, graph: graph, connectors: connectors, fieldsInConditions: expressions?.recordFieldsInConditions).run(into: &bag)
        let checked = CheckedPlaybook(
            playbook: playbook, graph: graph, outputTypesByPosition: types.outputs, inputTypesByPosition: types.inputs,
            connectors: connectors.dictionary, expressions: keepsCheckedExpressions ? expressions?.results : nil
        )
        return (checked, bag.diagnostics)
    }

    private func reportCycles(_ graph: StepGraph, into bag: inout DiagnosticBag) {
        guard graph.orderByPosition == nil else { return }
        // A step naming itself is reported where it is named; only longer cycles are reported here.
        for cycle in graph.cycles() where !(cycle.count == 1 && cycle[0].from == cycle[0].to) {
            let path = (cycle.map(\.from.rawValue) + [cycle[0].from.rawValue]).joined(separator: " → ")
            let notes = cycle.map { DiagnosticNote(LanguageMessage.cycleEdgeNote($0), at: $0.range) }
            // Reported at the edge written last in the file, which is usually the one just added.
            let anchor = cycle.max { $0.range.start < $1.range.start }!
            bag.error(LanguageDiagnosticCode.cycle, .cycle(path), at: anchor.range, notes: notes)
        }
    }
}
