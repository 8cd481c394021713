import CEL
import PlaybookLanguage

/// The run-level variables of expressions: `params`, `trigger`, `run`, `now` and `steps`, built
/// once per step and shared by the evaluations of every record.
final class RunVariables: CELVariableResolver {
    private let params: CELValue
    private let trigger: CELValue
    private let run: CELValue
    private let now: CELValue
    private let steps: CELValue

    init(params: CELValue, trigger: CELValue, run: CELValue, now: CELValue, steps: CELValue) {
        self.params = params
        self.trigger = trigger
        self.run = run
        self.now = now
        self.steps = steps
    }

    func resolve(_ name: String) -> CELValue? {
        switch name {
        case "params": params
        case "trigger": trigger
        case "run": run
        case "now": now
        case "steps": steps
        default: nil
        }
    }

    /// The same variables with `steps` and `run` replaced.
    func with(run: CELValue? = nil, steps: CELValue) -> RunVariables {
        RunVariables(params: params, trigger: trigger, run: run ?? self.run, now: now, steps: steps)
    }

    /// Variables of a run of `plan` under `options`, with every step pending.
    static func initial(plan: Plan, options: RunOptions) -> RunVariables {
        var params: [String: CELValue] = [:]
        for param in plan.params {
            if let value = options.params[param.name.value] ?? param.defaultValue?.value { params[param.name.value] = value }
        }
        let trigger: CELValue = switch options.trigger {
        case .manual: .map(CELMap(["kind": .string("manual"), "fired_at": .timestamp(options.now)]))
        case .webhook(let path, let payload, let headers):
            .map(try! CELMap(pairs: [
                (.string("kind"), .string("webhook")), (.string("fired_at"), .timestamp(options.now)), (.string("path"), .string(path)),
                (.string("payload"), payload),
                (.string("headers"), .map(try! CELMap(pairs: headers.sorted { $0.key < $1.key }.map { (.string($0.key), .string($0.value)) }))),
            ]))
        case .schedule(let schedule, let firedAt):
            .map(CELMap(["kind": .string("schedule"), "fired_at": .timestamp(firedAt), "schedule": .string(schedule)]))
        }
        let run = runValue(options: options, status: nil, error: nil)
        return RunVariables(
            params: .map(CELMap(params)), trigger: trigger, run: run, now: .timestamp(options.now),
            steps: stepsValue(plan: plan, finished: [:])
        )
    }

    /// `run`: its id, start and dry-run flag, and at the end its status and error.
    static func runValue(options: RunOptions, status: RunStatus?, error: String?) -> CELValue {
        var fields: [(CELValue, CELValue)] = [
            (.string("id"), .string(options.runID)),
            (.string("started_at"), .timestamp(options.now)),
            (.string("dry_run"), .bool(options.dryRun)),
        ]
        if let status { fields.append((.string("status"), .string(status.rawValue))) }
        if let error { fields.append((.string("error"), .string(error))) }
        return .map(try! CELMap(pairs: fields))
    }

    /// `steps`: every step of the plan, the finished ones given with their results, the others
    /// `pending`.
    static func stepsValue(plan: Plan, finished: [StepID: StepSummary]) -> CELValue {
        var steps: [(CELValue, CELValue)] = []
        for step in plan.steps {
            var fields: [(CELValue, CELValue)]
            if let result = finished[step.id] {
                fields = [
                    (.string("status"), .string(result.status.rawValue)),
                    (.string("records_in"), .int(Int64(result.recordsIn))),
                    (.string("records_out"), .int(Int64(result.recordsOut))),
                    (.string("records_skipped"), .int(Int64(result.recordsSkipped))),
                ]
                if let started = result.startedAt { fields.append((.string("started_at"), .timestamp(started))) }
                if let finishedAt = result.finishedAt { fields.append((.string("finished_at"), .timestamp(finishedAt))) }
            } else {
                fields = [
                    (.string("status"), .string("pending")),
                    (.string("records_in"), .int(0)), (.string("records_out"), .int(0)), (.string("records_skipped"), .int(0)),
                ]
            }
            steps.append((.string(step.id.rawValue), .map(try! CELMap(pairs: fields))))
        }
        return .map(try! CELMap(pairs: steps))
    }
}
