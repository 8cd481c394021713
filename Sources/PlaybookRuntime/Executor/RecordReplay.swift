import CEL
import PlaybookLanguage

/// Records sent again through the steps that set them aside, once the playbook is fixed
/// (`playbook dead-letters RUN --retry`). A step given records reads them before what its inputs
/// pass it; a fetch without `from:` passes them on as if it had read them, without reading its
/// source. Only the steps the records go through run, with the steps those join with; every other
/// step is skipped, as if its `if:` were false, and no incremental cursor moves.
public struct RecordReplay: Sendable {
    /// Records by step, as plain values (maps of fields, as JSON gives them); each is put on the
    /// step's record type when the step reads it, as a fixture's or a JSON Lines file's would be.
    public var records: [StepID: [CELValue]]

    /// A replay of these records.
    public init(records: [StepID: [CELValue]]) {
        self.records = records
    }

    /// Why `step` cannot be given records, or nil when it can: a step reads records from `from:`,
    /// or is a fetch; a notify without `from:` sends one message per run and reads none.
    public static func refusal(of step: PlanStep) -> String? {
        if !step.inputs.isEmpty { return nil }
        if case .fetch = step.operation { return nil }
        return "step '\(step.id)' reads no records: it has no `from:`"
    }

    /// The steps whose records were all handled in the run that replayed them: the step and every
    /// step its records go on to succeeded (or were skipped by their `if:`), as an incremental
    /// cursor is committed only when what it read was delivered.
    public func stepsDelivered(in summary: RunSummary, plan: Plan) -> Set<StepID> {
        let results = Dictionary(summary.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(records.keys.filter { step in
            guard results[step]?.status == .succeeded else { return false }
            let downstream = ReplayFlow.recordsFlow(from: [step], plan: plan).subtracting([step])
            return Executor.delivered(through: downstream, plan: plan, results: results)
        })
    }

    /// `value` as a record of the step, laid out on `layout` with each field of `type` converted;
    /// fields the step's records do not have are left out, as a merge leaves them out.
    static func record(_ value: CELValue, type: ValueType, layout: CELRecordSchema?) -> Result<Record, RecordFailure> {
        guard case .map(let map) = value else {
            return .failure(RecordFailure(reason: "a record is a map of fields, not \(value.celType.runtimeName)", location: nil))
        }
        guard let layout, case .object(let fields) = type else { return .success(map) }
        return FixtureConnectors.laidOut(map, fields: fields, layout: layout)
    }
}

/// Which steps a replay runs, and which channels its records take.
struct ReplayFlow: Sendable {
    /// The steps the records go through: the steps given records, and every step that takes
    /// records (`from:` or `join.with`) from one of these, directly or not.
    let carrying: Set<StepID>
    /// The steps that run: those, and each step they join with (read in full), with every step
    /// that one depends on.
    let running: Set<StepID>

    init(plan: Plan, given: some Sequence<StepID>) {
        let carrying = Self.recordsFlow(from: Set(given), plan: plan)
        var running = carrying
        // Steps come in execution order, so a step's dependencies come before it: walking back,
        // each step added is reached later in the walk.
        for step in plan.steps.reversed() where running.contains(step.id) {
            if let partner = Self.joinPartner(of: step) { running.insert(partner) }
            guard !carrying.contains(step.id) else { continue }
            running.formUnion(step.inputs.map(\.step))
            running.formUnion(step.after)
        }
        self.carrying = carrying
        self.running = running
    }

    /// Whether `step` reads what `producer` passes it: a step the records go through reads only
    /// from steps they go through, so that a step run for a join feeds nothing else.
    func reads(from producer: StepID, into step: StepID) -> Bool {
        !carrying.contains(step) || carrying.contains(producer)
    }

    /// `steps`, and every step that takes records from one of them, directly or not.
    static func recordsFlow(from steps: Set<StepID>, plan: Plan) -> Set<StepID> {
        var flow = steps
        for step in plan.steps where !flow.contains(step.id) {
            let producers = step.inputs.map(\.step) + (joinPartner(of: step).map { [$0] } ?? [])
            if producers.contains(where: flow.contains) { flow.insert(step.id) }
        }
        return flow
    }

    private static func joinPartner(of step: PlanStep) -> StepID? {
        if case .transform(let transform) = step.operation { return transform.join?.with.step }
        return nil
    }
}
