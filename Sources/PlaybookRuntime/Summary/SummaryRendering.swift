import CEL
import Diagnostics
import Foundation

/// The run summary as people read it and as programs read it (`--format json`, documented in
/// docs/output-formats.md).
public enum SummaryRendering {
    /// The summary as text: a headline, a table of steps, then dead letters, dry-run writes and alerts.
    public static func text(_ summary: RunSummary) -> String {
        var lines: [String] = []
        var headline = "Run \(summary.runID) of \(summary.playbook): \(summary.status.rawValue) in \(seconds(summary.duration))"
        if summary.dryRun { headline += " (dry run)" }
        lines.append(headline)
        if let error = summary.error { lines.append("  error: \(error)") }
        let header = ["step", "kind", "status", "in", "out", "skipped", "calls", "time"]
        var rows: [[String]] = [header]
        for step in summary.steps {
            rows.append([step.id.rawValue, step.kind, step.status.rawValue, grouped(step.recordsIn), grouped(step.recordsOut),
                         grouped(step.recordsSkipped), grouped(step.calls), step.duration.map(seconds) ?? "-"])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column < 3 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            lines.append("  " + cells.joined(separator: "  "))
        }
        for step in summary.steps where step.error != nil && step.status != .succeeded {
            let place = step.errorLocation.map { "\($0.description): " } ?? ""
            lines.append("  \(step.id) \(step.status.rawValue): \(place)\(step.error!)")
        }
        for step in summary.steps where step.messagesHeldBack > 0 {
            lines.append("  \(step.id): \(step.messagesHeldBack) message(s) not sent (once_per or max_messages)")
        }
        for step in summary.steps where step.alreadyWritten > 0 {
            lines.append("  \(step.id): \(step.alreadyWritten) record(s) already written by an earlier run, not written again")
        }
        for step in summary.steps where !step.uncertainKeys.isEmpty {
            let (what, verb) = step.kind == "sync" ? ("record(s)", "written") : ("message(s)", "sent")
            lines.append("  \(step.id): \(step.uncertainKeys.count) \(what) uncertain, not \(verb) again: \(verb) without an answer, "
                + "by this run or one that stopped, so they may have arrived (\(firstKeys(step.uncertainKeys))); see docs/guarantees.md")
        }
        for step in summary.steps where step.pagesResumed > 0 {
            lines.append("  \(step.id): \(step.pagesResumed) page(s) read by the run's earlier attempt passed on again, not read again")
        }
        for step in summary.steps where step.batchesAlreadyWritten > 0 {
            lines.append("  \(step.id): \(step.batchesAlreadyWritten) batch(es) written by the run's earlier attempt, not written again")
        }
        for step in summary.steps where !step.sentAgainKeys.isEmpty {
            lines.append("  \(step.id): \(step.sentAgainKeys.count) uncertain message(s) sent again (delivery: at_least_once), "
                + "so they may have arrived twice (\(firstKeys(step.sentAgainKeys)))")
        }
        if let path = summary.deadLetterPath {
            lines.append("Dead letters: \(grouped(summary.deadLetterCount)) record(s) set aside in \(path)")
        }
        let dryRuns = summary.steps.compactMap { step in step.dryRun.map { (step.id, $0) } }
        if summary.dryRun {
            lines.append("Dry run: nothing was written or sent.")
            for (id, report) in dryRuns {
                if let resource = report.resource {
                    lines.append("  \(id) would \(report.mode ?? "write") \(grouped(report.count)) record(s) to \(report.connection) \(resource)")
                } else {
                    lines.append("  \(id) would send \(grouped(report.count)) message(s) through \(report.connection)")
                    for message in report.sampleMessages { lines.append("    > " + message.text.replacingOccurrences(of: "\n", with: "\n      ")) }
                }
            }
        }
        if !summary.alerts.isEmpty {
            lines.append("Alerts that fired:")
            for alert in summary.alerts {
                let name = alert.name.map { "\($0) " } ?? ""
                let state = alert.sent ? "sent" : alert.error == nil ? "not sent" : "not sent, \(alert.error!)"
                lines.append("  \(name)(\(alert.connection), \(state)): \(alert.message.text)")
            }
        }
        if let sandbox = summary.sandbox { lines += sandboxLines(sandbox) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the run did in the sandbox, for a marketer: each message sent and each batch of records
    /// written, with the answers refused by injected faults counted apart (the run tried them again).
    static func sandboxLines(_ sandbox: SandboxActivity) -> [String] {
        var lines = ["In the sandbox (\(sandbox.url)):"]
        let applied = sandbox.entries.filter { $0["applied"] == .bool(true) }
        let faulted = sandbox.entries.filter { $0["fault"] != nil }
        if applied.isEmpty { lines.append("  nothing was written or sent") }
        var writes: [(key: String, calls: Int, records: Int)] = []
        for entry in applied {
            let platform = JSONPath.text(entry["platform"]) ?? "?"
            let resource = JSONPath.text(entry["resource"]) ?? "?"
            let operation = JSONPath.text(entry["operation"]) ?? "?"
            if let text = messageText(entry["body"]) {
                lines.append("  \(platform) message: \(LineProblem.cut(text.replacingOccurrences(of: "\n", with: " ")))")
                continue
            }
            let key = "\(platform) \(resource) \(operation)"
            let count = recordCount(entry["body"])
            if let index = writes.firstIndex(where: { $0.key == key }) {
                writes[index].calls += 1
                writes[index].records += count
            } else {
                writes.append((key, 1, count))
            }
        }
        for write in writes {
            lines.append("  \(write.key): \(grouped(write.records)) record(s) in \(grouped(write.calls)) call(s)")
        }
        if !faulted.isEmpty {
            lines.append("  \(grouped(faulted.count)) write(s) answered with an injected fault and not applied (tried again by the run)")
        }
        return lines
    }

    /// The text of a message body (Slack `text`, SendGrid's first content value, a webhook's `message`).
    private static func messageText(_ body: JSONValue?) -> String? {
        guard let body else { return nil }
        if let text = JSONPath.text(body["text"]) { return text }
        if let subject = JSONPath.text(body["subject"]) { return subject }
        if let message = JSONPath.text(body["message"]) { return message }
        return nil
    }

    /// How many records a write's body carries: the length of its list of records, else one.
    private static func recordCount(_ body: JSONValue?) -> Int {
        guard let body else { return 1 }
        for key in ["inputs", "records", "members", "operations", "elements", "conversions"] {
            if case .array(let list)? = body[key] { return list.count }
        }
        if case .array(let list) = body { return list.count }
        return 1
    }

    /// The summary as one JSON document on one line. Written by the record writer's encoder, so
    /// that a double in a dry run's sample records stays a double (`2.0`).
    public static func json(_ summary: RunSummary) -> String {
        JSONText.string(CELValue(plainJSON: .object(jsonFields(summary)))) + "\n"
    }

    static func jsonFields(_ summary: RunSummary) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("run_id", .string(summary.runID)),
            ("playbook", .string(summary.playbook)),
            ("status", .string(summary.status.rawValue)),
            ("dry_run", .bool(summary.dryRun)),
            ("started_at", timestamp(summary.startedAt)),
            ("finished_at", timestamp(summary.finishedAt)),
            ("duration_seconds", .double(secondsValue(summary.duration))),
            ("error", summary.error.map(JSONValue.string) ?? .null),
            ("steps", .array(summary.steps.map(step))),
            ("dead_letters", .object([
                ("path", summary.deadLetterPath.map(JSONValue.string) ?? .null),
                ("count", .int(summary.deadLetterCount)),
            ])),
            ("alerts", .array(summary.alerts.map { alert in
                .object([
                    ("name", alert.name.map(JSONValue.string) ?? .null),
                    ("connection", .string(alert.connection)),
                    ("message", message(alert.message)),
                    ("sent", .bool(alert.sent)),
                    ("error", alert.error.map(JSONValue.string) ?? .null),
                ])
            })),
        ]
        if let sandbox = summary.sandbox {
            fields.append(("sandbox", .object([("url", .string(sandbox.url)), ("journal", .array(sandbox.entries))])))
        }
        return fields
    }

    private static func step(_ step: StepSummary) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(step.id.rawValue)),
            ("kind", .string(step.kind)),
            ("status", .string(step.status.rawValue)),
            ("records_in", .int(step.recordsIn)),
            ("records_out", .int(step.recordsOut)),
            ("records_skipped", .int(step.recordsSkipped)),
            ("calls", .int(step.calls)),
            ("started_at", step.startedAt.map(timestamp) ?? .null),
            ("finished_at", step.finishedAt.map(timestamp) ?? .null),
            ("duration_seconds", step.duration.map { .double(secondsValue($0)) } ?? .null),
            ("error", step.error.map(JSONValue.string) ?? .null),
            ("error_location", step.errorLocation.map { .string($0.description) } ?? .null),
            ("messages_held_back", .int(step.messagesHeldBack)),
            ("uncertain_keys", .array(step.uncertainKeys.map(JSONValue.string))),
            ("already_written", .int(step.alreadyWritten)),
            ("sent_again_keys", .array(step.sentAgainKeys.map(JSONValue.string))),
            ("pages_resumed", .int(Int64(step.pagesResumed))),
            ("batches_already_written", .int(Int64(step.batchesAlreadyWritten))),
        ]
        if let cursor = step.cursor {
            fields.append(("cursor", .object([("value", cursor.value), ("keys_at_value", .int(cursor.keysAtValue.count))])))
        }
        if let report = step.dryRun {
            fields.append(("dry_run", .object([
                ("connection", .string(report.connection)),
                ("resource", report.resource.map(JSONValue.string) ?? .null),
                ("mode", report.mode.map(JSONValue.string) ?? .null),
                ("count", .int(report.count)),
                ("records", .array(report.sampleRecords.map(\.plainJSON))),
                ("messages", .array(report.sampleMessages.map(message))),
            ])))
        }
        return .object(fields)
    }

    static func message(_ message: OutgoingMessage) -> JSONValue {
        var fields: [(String, JSONValue)] = [("text", .string(message.text))]
        if let subject = message.subject { fields.append(("subject", .string(subject))) }
        if let to = message.to { fields.append(("to", .string(to))) }
        if let channel = message.channel { fields.append(("channel", .string(channel))) }
        return .object(fields)
    }

    private static func timestamp(_ time: CELTimestamp) -> JSONValue { .string(CELValue.timestamp(time).rendered) }

    private static func secondsValue(_ duration: Duration) -> Double {
        ((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000).rounded() / 1000
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value < 10 ? String(format: "%.2fs", value) : String(format: "%.1fs", value)
    }

    /// The first five keys, and an ellipsis when there are more.
    private static func firstKeys(_ keys: [String]) -> String {
        keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
    }

    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        guard digits.count > 3 else { return digits }
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }
}
