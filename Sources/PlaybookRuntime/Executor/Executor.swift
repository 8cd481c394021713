import CEL
import Foundation
import PlaybookLanguage
import Synchronization

/// Runs a plan: each step as its own task, records flowing between steps in batches over bounded
/// channels, so that memory stays flat, a slow step slows the steps feeding it, and independent
/// branches run at the same time.
public struct Executor: Sendable {
    /// The plan run.
    public let plan: Plan
    /// The run's settings.
    public let options: RunOptions
    /// Where steps get their readers, writers and senders.
    public let connectors: any ConnectorProvider
    /// Live counts, for a progress display.
    public let progress: RunProgress

    /// An executor of `plan`.
    public init(plan: Plan, options: RunOptions, connectors: any ConnectorProvider) {
        self.plan = plan
        self.options = options
        self.connectors = connectors
        self.progress = RunProgress(steps: plan.steps.map(\.id))
    }

    /// Runs every step and the alerts, and returns the summary. Cancelling the calling task stops
    /// the run: steps finish the batch in hand, and the summary says `cancelled`.
    public func run() async -> RunSummary {
        let wiring = Wiring(plan: plan)
        let board = StepBoard(observer: options.stepFinished)
        let deadLetters = DeadLetters(path: options.deadLetterPath, runID: options.runID)
        let initialVariables = RunVariables.initial(plan: plan, options: options)
        let reasons = Guarded<[StepID: CancellationReason]>([:])
        let (finished, finishedSink) = AsyncStream.makeStream(of: StepSummary.self)

        let replay = options.replay.map { ReplayFlow(plan: plan, given: $0.records.keys) }

        var tasks: [StepID: Task<Void, Never>] = [:]
        for step in plan.steps {
            var inputs = wiring.inputs[step.id] ?? []
            if let replay {
                for input in inputs where !replay.reads(from: input.producer, into: step.id) { input.channel.close() }
                inputs.removeAll { !replay.reads(from: $0.producer, into: step.id) }
            }
            let stepRun = StepRun(
                step: step, plan: plan, options: options, variables: initialVariables,
                inputs: inputs, joinInput: wiring.joins[step.id], givenRecords: options.replay?.records[step.id],
                outputs: wiring.outputs[step.id] ?? [], deadLetters: deadLetters, progress: progress, board: board
            )
            let executor = self
            let leftOut = replay.map { !$0.running.contains(step.id) } ?? false
            tasks[step.id] = Task {
                let summary = await executor.runStep(stepRun, wiring: wiring, leftOut: leftOut, cancellationReason: { reasons.withLock { $0[step.id] } })
                finishedSink.yield(summary)
            }
        }
        let allTasks = tasks

        var runFailure: (step: StepID, message: String)?
        await withTaskCancellationHandler {
            var remaining = plan.steps.count
            for await summary in finished {
                remaining -= 1
                if summary.status == .failed, let step = plan.step(summary.id) {
                    if step.onError == .fail {
                        if runFailure == nil { runFailure = (summary.id, summary.error ?? "failed") }
                        reasons.withLock { reasons in
                            for other in plan.steps where reasons[other.id] == nil { reasons[other.id] = .runFailed(summary.id) }
                        }
                        for task in allTasks.values { task.cancel() }
                    } else {
                        let dependents = wiring.dependents(of: summary.id)
                        reasons.withLock { reasons in
                            for dependent in dependents where reasons[dependent] == nil { reasons[dependent] = .dependencyFailed(summary.id) }
                        }
                        for dependent in dependents { allTasks[dependent]?.cancel() }
                    }
                }
                if remaining == 0 { break }
            }
        } onCancel: {
            reasons.withLock { reasons in
                for step in plan.steps where reasons[step.id] == nil { reasons[step.id] = .runStopped }
            }
            for task in allTasks.values { task.cancel() }
        }
        finishedSink.finish()
        // A stopped run leaves the loop early: every step still reports before the summary is made.
        for task in allTasks.values { await task.value }
        let stopped = Task.isCancelled
        deadLetters.close()

        let results = await board.finished()
        let steps = plan.steps.map { results[$0.id]! }
        let status: RunStatus = stopped ? .cancelled : runFailure != nil ? .failed : .succeeded
        var error = runFailure.map { "step '\($0.step)' failed: \($0.message)" }
        if let writeError = deadLetters.writeError { error = error ?? writeError }
        var summary = RunSummary(
            runID: options.runID, playbook: plan.name, status: status, dryRun: options.dryRun,
            startedAt: options.now, finishedAt: max(Self.wallClock(), options.now), error: error, steps: steps,
            deadLetterPath: deadLetters.count > 0 ? deadLetters.path : nil, deadLetterCount: deadLetters.count, alerts: []
        )
        // What a replay sends is not what a fetch delivered: no cursor moves, even that of a
        // fetch run for a join.
        if let state = options.state, !options.dryRun, options.replay == nil {
            do {
                try await commitCursors(summary, results: results, wiring: wiring, state: state)
            } catch {
                summary.status = .failed
                summary.error = summary.error ?? "the cursors reached could not be saved, so the next run reads the same records again: \(error)"
            }
        }
        summary.alerts = AlertEvaluation(plan: plan, options: options, variables: initialVariables)
            .firedAlerts(for: summary, results: results)
        if !options.dryRun, !stopped {
            for index in summary.alerts.indices where summary.alerts[index].error == nil {
                let alert = summary.alerts[index]
                do {
                    guard let sender = try connectors.alertSender(for: ConnectionName(alert.connection), in: plan) else { continue }
                    try await sender.send(alert.message)
                    summary.alerts[index].sent = true
                } catch {
                    summary.alerts[index].error = "could not be sent: \(error)"
                }
            }
        }
        return summary
    }

    // MARK: One step

    /// Commits the cursor of each incremental fetch whose records every step downstream handled:
    /// each of them succeeded or was skipped, so each record read was written, sent, or set aside.
    /// A fetch with a failed or cancelled step downstream keeps its old cursor, and the next run
    /// reads its records again; so does one whose messages a `once_per` notify held back past
    /// `max_messages`, so that the next run sends them (and, by their keys, none twice).
    private func commitCursors(_ summary: RunSummary, results: [StepID: StepSummary], wiring: Wiring, state: any RunState) async throws {
        var reached: [(step: StepID, cursor: IncrementalCursor)] = []
        for step in summary.steps {
            guard step.status == .succeeded, let cursor = step.cursor else { continue }
            if Self.delivered(through: wiring.dependents(of: step.id), plan: plan, results: results) { reached.append((step.id, cursor)) }
        }
        guard !reached.isEmpty else { return }
        try await state.commit(reached, playbook: plan.name, runID: options.runID)
    }

    /// Whether the records a step passed on were all delivered by the steps downstream: each of
    /// them succeeded or was skipped, so each record was written, sent, or set aside; and no
    /// `once_per` notify held messages back past `max_messages`, which a later run is to send.
    static func delivered(through downstream: some Sequence<StepID>, plan: Plan, results: [StepID: StepSummary]) -> Bool {
        downstream.allSatisfy { dependent in
            guard let result = results[dependent], result.status == .succeeded || result.status == .skipped else { return false }
            if result.messagesOverLimit > 0, case .notify(let notify)? = plan.step(dependent)?.operation, notify.oncePer != nil { return false }
            return true
        }
    }

    /// Runs one step; a step `leftOut` of a replay is skipped at once.
    private func runStep(_ run: StepRun, wiring: Wiring, leftOut: Bool, cancellationReason: @Sendable () -> CancellationReason?) async -> StepSummary {
        let step = run.step
        progress.update(step.id) { $0.state = .running }
        var startedAt: CELTimestamp?
        var status = StepStatus.succeeded
        var message: String?
        var errorLocation: PlaybookLocation?
        do {
            guard !leftOut else { throw LeftOutOfReplay() }
            if !step.after.isEmpty {
                // The producers of this step's records may also feed the steps it waits for:
                // let them send without waiting meanwhile.
                for input in run.inputs { input.channel.lift() }
                run.joinInput?.channel.lift()
                for earlier in step.after {
                    let result = await run.board.result(of: earlier)
                    if result.status == .failed || result.status == .cancelled {
                        throw StepCancelled(reason: .dependencyFailed(earlier))
                    }
                }
                for input in run.inputs { input.channel.restoreBound() }
                run.joinInput?.channel.restoreBound()
            }
            try Task.checkCancellation()
            startedAt = Self.wallClock()
            let visible = await run.board.finished().filter { wiring.comesBefore($0.key, step.id) }
            run.variables = run.variables.with(steps: RunVariables.stepsValue(plan: plan, finished: visible))
            if let condition = step.condition {
                switch run.holds(condition, record: nil) {
                case .success(false): status = .skipped
                case .success(true): break
                case .failure(let failure): throw StepFailure("its if: condition failed: \(failure.reason)", at: failure.location)
                }
            }
            if status != .skipped {
                try await perform(step.operation, in: run)
            }
        } catch is LeftOutOfReplay {
            status = .skipped
        } catch let failure as StepFailure {
            status = .failed
            message = failure.message
            errorLocation = failure.location
        } catch let cancelled as StepCancelled {
            status = .cancelled
            message = cancelled.reason.message
        } catch is CancellationError {
            status = .cancelled
            message = (cancellationReason() ?? .runStopped).message
        } catch {
            status = .failed
            message = String(describing: error)
        }
        run.closeInputs()
        let summary = StepSummary(
            id: step.id, kind: step.kind, status: status, recordsIn: run.recordsIn, recordsOut: run.recordsOut,
            recordsSkipped: run.recordsSkipped, calls: run.calls.count, startedAt: startedAt,
            finishedAt: startedAt.map { _ in Self.wallClock() }, error: message, errorLocation: errorLocation,
            dryRun: run.dryRun, messagesHeldBack: run.messagesHeldBack, messagesOverLimit: run.messagesOverLimit,
            uncertainKeys: run.uncertainKeys, alreadyWritten: run.alreadyWritten, sentAgainKeys: run.sentAgainKeys,
            pagesResumed: run.pagesResumed, batchesAlreadyWritten: run.batchesAlreadyWritten, cursor: run.cursorReached
        )
        // The result is on the board before the readers hear that the input ended, so that a reader
        // never takes a failed producer's partial output for a complete one.
        await run.board.record(summary)
        run.finishOutputs()
        progress.update(step.id) { $0.state = .finished(status) }
        return summary
    }

    private func perform(_ operation: PlanOperation, in run: StepRun) async throws {
        let context = ConnectorContext(plan: plan, step: run.step, baseDirectory: options.baseDirectory, calls: run.calls, batchSize: options.batchSize)
        switch operation {
        case .fetch(let fetch):
            try await FetchStage(fetch: fetch, run: run, connectors: connectors, context: context).run()
        case .transform(let transform):
            try await TransformStage(transform: transform, run: run).run()
        case .segment(let segment):
            try await SegmentStage(segment: segment, run: run).run()
        case .sync(let sync):
            try await SyncStage(sync: sync, run: run, connectors: connectors, context: context).run()
        case .notify(let notify):
            try await NotifyStage(notify: notify, run: run, connectors: connectors, context: context).run()
        }
    }

    /// The wall clock, for step times; the run's `now` stays fixed for expressions.
    static func wallClock() -> CELTimestamp { CELTimestamp(date: Date()) }
}

/// A step that will not run because a step it comes after did not succeed.
struct StepCancelled: Error {
    var reason: CancellationReason
}

/// A step a replay does not run: its records do not go through it, and no step they go through
/// joins with it.
struct LeftOutOfReplay: Error {}

/// Which channel joins which steps, and which steps depend on which.
struct Wiring: Sendable {
    var inputs: [StepID: [(producer: StepID, channel: BatchChannel)]] = [:]
    var joins: [StepID: (producer: StepID, channel: BatchChannel)] = [:]
    var outputs: [StepID: [(segment: String?, channel: BatchChannel)]] = [:]
    /// The steps each step depends on directly: `from:`, `join.with` and `after:`.
    private var dependencies: [StepID: Set<StepID>] = [:]
    /// The steps that finish before each step starts: those of `after:`, and everything they
    /// depend on, directly or not.
    private var before: [StepID: Set<StepID>] = [:]
    private var allDependents: [StepID: [StepID]] = [:]

    init(plan: Plan) {
        for step in plan.steps {
            var depends = Set(step.after)
            for input in step.inputs {
                let channel = BatchChannel()
                inputs[step.id, default: []].append((input.step, channel))
                outputs[input.step, default: []].append((input.segment, channel))
                depends.insert(input.step)
            }
            if case .transform(let transform) = step.operation, let join = transform.join {
                let channel = BatchChannel()
                joins[step.id] = (join.with.step, channel)
                outputs[join.with.step, default: []].append((join.with.segment, channel))
                depends.insert(join.with.step)
            }
            dependencies[step.id] = depends
        }
        // Steps come in execution order, so every dependency's closure is known first.
        var closure: [StepID: Set<StepID>] = [:]
        for step in plan.steps {
            var all = Set<StepID>()
            for dependency in dependencies[step.id] ?? [] { all.insert(dependency); all.formUnion(closure[dependency] ?? []) }
            closure[step.id] = all
            var finishedFirst = Set<StepID>()
            for earlier in step.after { finishedFirst.insert(earlier); finishedFirst.formUnion(closure[earlier] ?? []) }
            before[step.id] = finishedFirst
        }
        for step in plan.steps {
            allDependents[step.id] = plan.steps.filter { closure[$0.id]?.contains(step.id) == true }.map(\.id)
        }
    }

    /// The steps that depend on `step`, directly or not.
    func dependents(of step: StepID) -> [StepID] { allDependents[step] ?? [] }

    /// Whether `earlier` has always finished when `step` starts, so `steps.EARLIER` is final there.
    func comesBefore(_ earlier: StepID, _ step: StepID) -> Bool { before[step]?.contains(earlier) == true }
}
