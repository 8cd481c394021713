import CEL
import Diagnostics
import PlaybookLanguage
import Synchronization

/// One step while it runs: its inputs and outputs, its variables, and the counts and record
/// errors it reports. Each step's task owns its own.
final class StepRun: @unchecked Sendable {
    let step: PlanStep
    let plan: Plan
    let options: RunOptions
    /// Run-level variables, with `steps` as this step sees them.
    var variables: RunVariables
    /// The channels of `from:`, in the order written, with the step each comes from.
    let inputs: [(producer: StepID, channel: BatchChannel)]
    /// The channel of `join.with`, for a join.
    let joinInput: (producer: StepID, channel: BatchChannel)?
    /// Records a replay gives the step (plain values, not yet on its record type): read before
    /// its inputs, or, by a fetch without `from:`, passed on in place of reading its source.
    let givenRecords: [CELValue]?
    /// The readers of this step's records, each reading every record or one segment.
    let outputs: [(segment: String?, channel: BatchChannel)]
    let deadLetters: DeadLetters
    let progress: RunProgress
    let board: StepBoard
    let calls: RemoteCalls
    /// Puts the records received on the layout the step's expressions were planned with.
    let inputLayout: RecordRelayout

    private(set) var recordsIn = 0
    private(set) var recordsOut = 0
    private(set) var recordsSkipped = 0
    /// What a dry run reports for this step.
    var dryRun: DryRunReport?
    var messagesHeldBack = 0
    /// Of those, the messages held back by `max_messages`.
    var messagesOverLimit = 0
    /// Keys of messages (or inserted records) found uncertain in the run state.
    var uncertainKeys: [String] = []
    /// Records an insert did not write because an earlier run had.
    var alreadyWritten = 0
    /// Keys of uncertain messages sent again, under `delivery: at_least_once`.
    var sentAgainKeys: [String] = []
    /// For a fetch of a resumed run, the pages kept from its earlier attempt.
    var pagesResumed = 0
    /// For a sync of a resumed run, the batches its earlier attempt wrote.
    var batchesAlreadyWritten = 0
    /// For an incremental fetch, the cursor its records reached.
    var cursorReached: IncrementalCursor?

    init(
        step: PlanStep, plan: Plan, options: RunOptions, variables: RunVariables,
        inputs: [(producer: StepID, channel: BatchChannel)], joinInput: (producer: StepID, channel: BatchChannel)?,
        givenRecords: [CELValue]? = nil, outputs: [(segment: String?, channel: BatchChannel)], deadLetters: DeadLetters, progress: RunProgress, board: StepBoard
    ) {
        self.step = step
        self.plan = plan
        self.options = options
        self.variables = variables
        self.inputs = inputs
        self.joinInput = joinInput
        self.givenRecords = givenRecords
        self.outputs = outputs
        self.deadLetters = deadLetters
        self.progress = progress
        self.board = board
        self.calls = RemoteCalls(retry: step.retry, timeout: step.timeout)
        self.inputLayout = RecordRelayout(target: step.inputLayout)
    }

    // MARK: Records in

    /// Calls `body` with each batch of the step's input, merged from every `from:` step as the
    /// batches arrive (each input's records keep their order), on the step's input layout; records
    /// a replay gives the step come first.
    /// Throws `CancellationError` when the step was cancelled, `StepCancelled` when an input did not succeed.
    func forEachInputBatch(_ body: ([Record]) async throws -> Void) async throws {
        if let givenRecords { try await receivedGiven(givenRecords, body) }
        if inputs.count == 1 {
            while let batch = await inputs[0].channel.next() {
                try await received(batch, body)
            }
        } else if !inputs.isEmpty {
            // Several inputs: each is read by its own task into one channel, so that no input
            // waits for another.
            let merged = BatchChannel(capacity: inputs.count)
            try await withThrowingTaskGroup(of: Void.self) { group in
                let remaining = Guarded(inputs.count)
                for input in inputs {
                    group.addTask {
                        while let batch = await input.channel.next() {
                            guard await merged.send(batch) else { input.channel.close(); return }
                        }
                        if remaining.withLock({ $0 -= 1; return $0 }) == 0 { merged.finish() }
                    }
                }
                while let batch = await merged.next() {
                    try await received(batch, body)
                }
                merged.close()
                try await group.waitForAll()
            }
        }
        try await checkInputsSucceeded()
    }

    private func received(_ batch: [Record], _ body: ([Record]) async throws -> Void) async throws {
        try Task.checkCancellation()
        recordsIn += batch.count
        let count = batch.count
        progress.update(step.id) { $0.recordsIn += count }
        try await body(batch.map(inputLayout.apply))
    }

    /// Records given by a replay, put on the step's input type a batch at a time; one that does
    /// not fit it is set aside as it came.
    private func receivedGiven(_ values: [CELValue], _ body: ([Record]) async throws -> Void) async throws {
        var batch: [Record] = []
        for value in values {
            switch RecordReplay.record(value, type: step.inputRecord, layout: step.inputLayout) {
            case .success(let record):
                batch.append(record)
                if batch.count >= options.batchSize {
                    try await received(batch, body)
                    batch.removeAll(keepingCapacity: true)
                }
            case .failure(let failure):
                recordsIn += 1
                progress.update(step.id) { $0.recordsIn += 1 }
                if case .map(let map) = value { try setAside(map, failure) } else { try setAside(nil, failure, input: JSONText.string(value)) }
            }
        }
        if !batch.isEmpty { try await received(batch, body) }
    }

    /// After the input ended: it ended because every producer finished, not because one failed
    /// or the step was cancelled.
    func checkInputsSucceeded(only producers: StepID...) async throws {
        try Task.checkCancellation()
        let all = inputs.map(\.producer) + (joinInput.map { [$0.producer] } ?? [])
        for producer in producers.isEmpty ? all : producers {
            let result = await board.result(of: producer)
            if result.status == .failed || result.status == .cancelled { throw StepCancelled(reason: .dependencyFailed(producer)) }
        }
    }

    /// Stops reading every input, so that producers never wait on this step.
    func closeInputs() {
        for input in inputs { input.channel.close() }
        joinInput?.channel.close()
    }

    // MARK: Records out

    /// Passes records on to the steps reading this one (to those reading `segment`, and to those
    /// reading the whole step).
    func emit(_ records: [Record], segment: String? = nil) async {
        guard !records.isEmpty else { return }
        recordsOut += records.count
        let count = records.count
        progress.update(step.id) { $0.recordsOut += count }
        options.outputObserver?(step.id, segment, records)
        for output in outputs where output.segment == nil || output.segment == segment {
            _ = await output.channel.send(records)
        }
    }

    /// Tells the readers that no more records come.
    func finishOutputs() {
        for output in outputs { output.channel.finish() }
    }

    // MARK: Expressions and record errors

    /// The value of an expression for a record, or why there is none.
    func evaluate(_ expression: CompiledExpression, record: Record?) -> Result<CELValue, RecordFailure> {
        let value = record.map { expression.program.evaluate(record: .map($0), in: variables) }
            ?? expression.program.evaluate(variables)
        if case .error(let error) = value {
            return .failure(RecordFailure(reason: error.message, location: location(of: error, in: expression)))
        }
        return .success(value)
    }

    /// A condition's value for a record: true or false, else why not.
    func holds(_ condition: CompiledExpression, record: Record?) -> Result<Bool, RecordFailure> {
        evaluate(condition, record: record).flatMap { value in
            if case .bool(let holds) = value { return .success(holds) }
            return .failure(RecordFailure(reason: "the condition gave \(value.celType.runtimeName) '\(value.rendered)', not true or false",
                                          location: self.sourceLocation(condition.source.range)))
        }
    }

    /// A rendered template for a record, or why it cannot be rendered.
    func render(_ template: CompiledTemplate, record: Record?) -> Result<String, RecordFailure> {
        let resolver: any CELVariableResolver = record.map { CELRecordActivation(record: .map($0), parent: variables) } ?? variables
        switch template.template.render(resolver) {
        case .success(let text): return .success(text)
        case .failure(let error):
            return .failure(RecordFailure(reason: error.message, location: sourceLocation(template.source.range)))
        }
    }

    /// Sets a record aside: into the dead letters with `on_record_error: skip`; with `fail`, the
    /// step fails with the same reason.
    func setAside(_ record: Record?, _ failure: RecordFailure, input: String? = nil) throws(StepFailure) {
        guard step.onRecordError == .skip else {
            throw StepFailure(failure.reason, at: failure.location)
        }
        recordsSkipped += 1
        progress.update(step.id) { $0.recordsSkipped += 1 }
        deadLetters.add(step: step.id.rawValue, reason: failure.reason, location: failure.location,
                        record: record.map { .map($0) }, input: input)
    }

    private func location(of error: CELError, in expression: CompiledExpression) -> PlaybookLocation? {
        sourceLocation(expression.location(of: error, in: plan.file) ?? expression.source.range)
    }

    func sourceLocation(_ range: SourceRange?) -> PlaybookLocation? {
        guard let range else { return nil }
        let position = plan.file.location(of: range.start)
        return PlaybookLocation(path: plan.file.path, line: position.line, column: position.column)
    }
}
