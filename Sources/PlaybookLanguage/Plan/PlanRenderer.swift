import Foundation

/// Output formats of `playbook plan`.
public enum PlanFormat: String, Sendable, CaseIterable {
    case text, json, mermaid, dot
}

/// Renders a plan for people (text), programs (json) and diagrams (mermaid, dot).
public enum PlanRenderer {
    /// The plan in `format`.
    public static func render(_ plan: Plan, as format: PlanFormat) -> String {
        render(PlanDescription(plan), as: format)
    }

    /// A plan's description in `format`.
    public static func render(_ plan: PlanDescription, as format: PlanFormat) -> String {
        switch format {
        case .text: text(plan)
        case .json: json(plan)
        case .mermaid: mermaid(plan)
        case .dot: dot(plan)
        }
    }

    static func text(_ plan: PlanDescription) -> String {
        var lines = ["playbook \(plan.name) (language version \(plan.version))"]
        lines.append(plan.triggers.isEmpty ? "triggers: none (started by hand only)" : "triggers:")
        lines += plan.triggers.map { "  - \($0)" }
        if !plan.connections.isEmpty {
            lines.append("connections:")
            for connection in plan.connections {
                var line = "  \(connection.name): \(connection.connector)"
                line += connection.rateLimit.map { ", rate limit \($0)" } ?? ", no rate limit"
                if let concurrency = connection.concurrency { line += ", at most \(concurrency) requests at once" }
                if !connection.secrets.isEmpty { line += ", secrets " + connection.secrets.joined(separator: ", ") }
                lines.append(line)
            }
        }
        lines.append("steps, in order:")
        for (index, step) in plan.steps.enumerated() {
            lines.append("  \(index + 1). \(step.id) [\(step.kind), level \(step.level)]")
            if !step.inputs.isEmpty { lines.append("     from:   " + step.inputs.joined(separator: ", ")) }
            if !step.after.isEmpty { lines.append("     after:  " + step.after.joined(separator: ", ")) }
            if let condition = step.condition { lines.append("     if:     \(condition)") }
            lines.append("     does:   \(step.action)")
            if step.connection != nil {
                lines.append("     retry:  \(describe(step.retry)); timeout \(DurationText.format(step.timeoutMilliseconds)) per call")
            }
            var errors = "on error \(step.onError)"
            if step.kind != "fetch" { errors += ", on a bad record \(step.onRecordError)" }
            lines.append("     errors: \(errors)")
        }
        if plan.levels.count > 1 {
            lines.append("levels (steps of one level can run at the same time):")
            for (level, ids) in plan.levels.enumerated() { lines.append("  \(level): " + ids.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ retry: PlanDescription.Retry) -> String {
        if retry.maxAttempts == 1 { return "no retries" }
        var text = "up to \(retry.maxAttempts) attempts, \(retry.backoff) backoff from \(DurationText.format(retry.initialDelayMilliseconds))"
        if retry.backoff == "exponential" { text += " ×\(DurationText.number(retry.multiplier))" }
        text += " to \(DurationText.format(retry.maxDelayMilliseconds)), \(retry.jitter) jitter, giving up after \(DurationText.format(retry.maxElapsedMilliseconds))"
        return text
    }

    static func json(_ plan: PlanDescription) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(plan) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func mermaid(_ plan: PlanDescription) -> String {
        var lines = ["flowchart TD"]
        for step in plan.steps {
            lines.append("    \(step.id)[\"\(step.id)<br/><i>\(step.kind)</i>\"]")
        }
        for edge in plan.edges {
            lines.append(edge.kind == "data" ? "    \(edge.from) --> \(edge.to)" : "    \(edge.from) -.-> \(edge.to)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dot(_ plan: PlanDescription) -> String {
        var lines = ["digraph \"\(plan.name)\" {", "    rankdir=LR;", "    node [shape=box, style=rounded];"]
        for step in plan.steps {
            lines.append("    \"\(step.id)\" [label=\"\(step.id)\\n\(step.kind)\"];")
        }
        for edge in plan.edges {
            lines.append("    \"\(edge.from)\" -> \"\(edge.to)\"" + (edge.kind == "order" ? " [style=dashed];" : ";"))
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Durations printed the way they are written in playbooks: `1m30s`, `250ms`.
enum DurationText {
    static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
