import CEL
import PlaybookLanguage

/// Checks `alerts:` at the end of a run, against the run's status and every step's result, and
/// renders the message of each that fires.
struct AlertEvaluation {
    let plan: Plan
    let options: RunOptions
    let variables: RunVariables

    func firedAlerts(for summary: RunSummary, results: [StepID: StepSummary]) -> [FiredAlert] {
        let variables = variables.with(
            run: RunVariables.runValue(options: options, status: summary.status, error: summary.error),
            steps: RunVariables.stepsValue(plan: plan, finished: results)
        )
        var fired: [FiredAlert] = []
        for alert in plan.alerts {
            let when = alert.when.program.evaluate(variables)
            var problem: String?
            switch when {
            case .bool(false): continue
            case .bool(true): break
            default: problem = "its condition gave \(when.rendered), not true or false"
            }
            func render(_ template: CompiledTemplate?) -> String? {
                guard let template else { return nil }
                switch template.template.render(variables) {
                case .success(let text): return text
                case .failure(let error):
                    problem = problem ?? error.message
                    return nil
                }
            }
            let message = OutgoingMessage(text: render(alert.message) ?? "", subject: render(alert.subject), to: render(alert.to))
            fired.append(FiredAlert(name: alert.name, connection: alert.notify.rawValue, message: message, sent: false, error: problem))
        }
        return fired
    }
}
