import PlaybookLanguage

/// The results of finished steps, and the steps waiting for them: `after:` waits here, and a step
/// whose input ended asks here whether its producer really succeeded.
actor StepBoard {
    private var results: [StepID: StepSummary] = [:]
    private var waiting: [StepID: [CheckedContinuation<StepSummary, Never>]] = [:]
    private let observer: StepFinishedObserver?

    init(observer: StepFinishedObserver? = nil) {
        self.observer = observer
    }

    /// Records a step's final result and wakes the steps waiting for it.
    func record(_ summary: StepSummary) {
        results[summary.id] = summary
        observer?(summary)
        for waiter in waiting.removeValue(forKey: summary.id) ?? [] { waiter.resume(returning: summary) }
    }

    /// The step's result once it has finished.
    func result(of step: StepID) async -> StepSummary {
        if let known = results[step] { return known }
        return await withCheckedContinuation { continuation in
            waiting[step, default: []].append(continuation)
        }
    }

    /// Results of the steps that have finished.
    func finished() -> [StepID: StepSummary] { results }
}

/// Why a step was cancelled, as the summary says it.
enum CancellationReason: Sendable {
    case runStopped
    case dependencyFailed(StepID)
    case runFailed(StepID)

    var message: String {
        switch self {
        case .runStopped: "the run was stopped"
        case .dependencyFailed(let step): "step '\(step)' it depends on did not succeed"
        case .runFailed(let step): "step '\(step)' failed, which stops the run (on_error: fail)"
        }
    }
}
