import CEL
import Diagnostics

/// Warnings about things declared but never used: step outputs, connections and parameters.
struct UsageChecks {
    let playbook: Playbook
    let graph: StepGraph

    func run(into bag: inout DiagnosticBag) {
        // By step position: whether a later step reads the records, and whether one waits for the step.
        var consumed = [Bool](repeating: false, count: playbook.steps.count)
        var awaited = [Bool](repeating: false, count: playbook.steps.count)
        for edge in graph.edges {
            if edge.kind == .data { consumed[edge.fromPosition] = true } else { awaited[edge.fromPosition] = true }
        }
        // A misspelt `from:` is reported as unknown; the step it was meant to name is not unused as well.
        if !graph.unresolvedDataReferences.isEmpty {
            let ids = playbook.steps.map(\.id.value.rawValue)
            for reference in graph.unresolvedDataReferences {
                if let meant = Suggestions.closest(to: reference.step.rawValue, in: ids), let position = playbook.position(of: StepID(meant)) {
                    consumed[position] = true
                }
            }
        }
        // A step whose id is malformed was reported; what names it could not, so it is not unused as well.
        for (position, step) in playbook.steps.enumerated()
        where !step.kind.isSink && !consumed[position] && TextFormat.isIdentifier(step.id.value.rawValue) {
            bag.warning(LanguageDiagnosticCode.unusedOutput, .unusedOutput(step.id.value, awaited: awaited[position]), at: step.id.range)
        }

        // By connection position. A playbook has a handful of connections: comparing names beats hashing them.
        var usedConnections = [Bool](repeating: false, count: playbook.connections.count)
        func use(_ name: ConnectionName) {
            for index in playbook.connections.indices where playbook.connections[index].name.value == name {
                usedConnections[index] = true
            }
        }
        for step in playbook.steps {
            switch step.kind {
            case .fetch(let fetch):
                if case .connection(let name, _) = fetch.source { use(name.value) }
            case .sync(let sync): use(sync.connection.value)
            case .notify(let notify): use(notify.connection.value)
            default: break
            }
        }
        for alert in playbook.alerts { use(alert.notify.value) }
        for (index, connection) in playbook.connections.enumerated() where !usedConnections[index] {
            bag.warning(LanguageDiagnosticCode.unusedConnection, .unusedConnection(connection.name.value), at: connection.name.range)
        }
    }

    /// Warns about params no expression reads, given the params the expression checks found read
    /// (the checker's record of the names each expression resolves).
    static func reportUnusedParams(of playbook: Playbook, read: Set<String>, into bag: inout DiagnosticBag) {
        for param in playbook.params where !read.contains(param.name.value) {
            bag.warning(LanguageDiagnosticCode.unusedParam, .unusedParam(param.name.value), at: param.name.range)
        }
    }
}
