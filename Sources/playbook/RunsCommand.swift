import ArgumentParser
import Diagnostics
import Foundation
import PlaybookState

/// `playbook runs`: the history the run-state file keeps.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs a state file keeps, newest first, or show one.",
        discussion: """
            The state file is the one `playbook run` keeps: .playbook/state.sqlite next to the playbook, \
            or the one given with --state. See docs/state.md.
            """,
        subcommands: [ListRuns.self, ShowRun.self],
        defaultSubcommand: ListRuns.self
    )
}

/// Where the state is and how to print it: shared by the `runs` commands.
struct RunsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The run-state file (default: .playbook/state.sqlite in this folder, or next to the playbook file given).", valueName: "FILE"))
    var state: String?

    @Option(help: "Output format: text or json.")
    var format: SummaryFormat = .text

    /// Opens the state file, which must exist: reading history never creates one.
    func store(near playbookFile: String? = nil) throws -> SQLiteRunStateStore {
        try Self.openStore(state, near: playbookFile).store
    }

    /// Opens the state file `state`, or the one next to the playbook file, or the one in this
    /// folder; it must exist. A problem is printed and ends the command with status 2.
    static func openStore(_ state: String?, near playbookFile: String?) throws -> (store: SQLiteRunStateStore, path: String) {
        let path = state ?? playbookFile.map(StateLocation.defaultPath(forPlaybookAt:)) ?? StateLocation.defaultPath(inDirectory: ".")
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: there is no state file at \(path): no run has been recorded there yet (give --state FILE for another one)")
            throw ExitCode(2)
        }
        do {
            return (try SQLiteRunStateStore(path: path, options: .commandLine), path)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}

struct ListRuns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

    @Argument(help: ArgumentHelp("Only the runs of this playbook: its file or its name.", valueName: "PLAYBOOK"))
    var playbook: String?

    @Option(help: "At most this many runs.")
    var limit: Int = 20

    @OptionGroup var options: RunsOptions

    func run() async throws {
        let isFile = playbook.map { FileManager.default.fileExists(atPath: $0) } ?? false
        let store = try options.store(near: isFile ? playbook : nil)
        let name = try isFile ? PlaybookLoading.plan(of: playbook!).name : playbook
        let runs = try await store.runs(playbook: name, limit: max(1, limit))
        if options.format == .json {
            print(JSONValue.array(runs.map(RunHistoryText.json)).serialized())
            return
        }
        guard !runs.isEmpty else {
            print(name.map { "No runs of \($0) are recorded." } ?? "No runs are recorded.")
            return
        }
        let header = ["run", "playbook", "trigger", "status", "started (UTC)", "time", "records", "dead letters"]
        let rows = runs.map { run in
            [run.id, run.playbook, run.triggerKind, run.status.rawValue, RunHistoryText.time(run.startedAt),
             run.finishedAt.map { RunHistoryText.duration($0.timeIntervalSince(run.startedAt)) } ?? "-",
             RunHistoryText.recordsWritten(run).map(String.init) ?? "-", String(run.deadLetterCount)]
        }
        print(RunHistoryText.table(header: header, rows: rows))
    }
}

struct ShowRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one run: its steps, errors, dead letters and uncertain messages.")

    @Argument(help: ArgumentHelp("The run's id, as `playbook runs` lists it.", valueName: "RUN_ID"))
    var runID: String

    @OptionGroup var options: RunsOptions

    func run() async throws {
        let store = try options.store()
        guard let detail = try await store.run(id: runID, deadLetterLimit: 20) else {
            printError("error: no run \(runID) is recorded in this state file")
            throw ExitCode(1)
        }
        if options.format == .json {
            var members: [(String, JSONValue)] = []
            if case .object(let run) = RunHistoryText.json(detail.run) { members = run }
            members.append(("steps", .array(detail.steps.map { step in
                .object([("step", .string(step.step)), ("kind", .string(step.kind)), ("status", .string(step.status.rawValue)),
                         ("records_in", .int(step.recordsIn)), ("records_out", .int(step.recordsOut)),
                         ("records_skipped", .int(step.recordsSkipped)), ("calls", .int(step.calls)),
                         ("error", step.error.map(JSONValue.string) ?? .null)])
            })))
            members.append(("dead_letters", .array(detail.deadLetters.map { letter in
                .object([("step", .string(letter.step)), ("reason", .string(letter.reason)), ("record", .string(letter.record))])
            })))
            members.append(("uncertain_messages", .array(detail.uncertainNotifications.map { .object([("step", .string($0.step)), ("key", .string($0.key))]) })))
            print(JSONValue.object(members).serialized())
            return
        }
        let run = detail.run
        var lines = ["Run \(run.id) of \(run.playbook): \(run.status.rawValue)",
                     "  started \(RunHistoryText.time(run.startedAt)) UTC by \(run.triggerKind)"
                        + (run.finishedAt.map { ", took \(RunHistoryText.duration($0.timeIntervalSince(run.startedAt)))" } ?? ""),
                     "  process \(run.owner), playbook content \(run.contentHash.prefix(12))"]
        if !detail.steps.isEmpty {
            lines.append("")
            lines.append(RunHistoryText.table(
                header: ["step", "kind", "status", "in", "out", "skipped", "calls"],
                rows: detail.steps.map { [$0.step, $0.kind, $0.status.rawValue, String($0.recordsIn), String($0.recordsOut), String($0.recordsSkipped), String($0.calls)] }))
            for step in detail.steps where step.error != nil { lines.append("  \(step.step): \(step.error!)") }
        }
        if !detail.deadLetters.isEmpty {
            lines.append("")
            lines.append("Dead letters (\(run.deadLetterCount), the first \(detail.deadLetters.count)):")
            for letter in detail.deadLetters { lines.append("  \(letter.step): \(letter.reason)") }
        }
        if !detail.uncertainNotifications.isEmpty {
            lines.append("")
            lines.append("Messages that may or may not have arrived (not sent again):")
            for entry in detail.uncertainNotifications { lines.append("  \(entry.step): \(entry.key)") }
        }
        print(lines.joined(separator: "\n"))
    }
}

/// How the history is printed.
enum RunHistoryText {
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        seconds < 60 ? String(format: "%.1fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }

    /// Records written or announced by the run's sync and notify steps, from its summary.
    static func recordsWritten(_ run: RunRecord) -> Int? {
        guard let text = run.summary, let summary = try? JSONValue(parsing: text), case .array(let steps)? = summary["steps"] else { return nil }
        return steps.reduce(0) { total, step in
            guard case .string(let kind)? = step["kind"], kind == "sync" || kind == "notify", case .int(let out)? = step["records_out"] else { return total }
            return total + Int(out)
        }
    }

    static func json(_ run: RunRecord) -> JSONValue {
        .object([
            ("id", .string(run.id)), ("playbook", .string(run.playbook)), ("trigger", .string(run.triggerKind)),
            ("status", .string(run.status.rawValue)), ("started_at", .string(time(run.startedAt))),
            ("finished_at", run.finishedAt.map { .string(time($0)) } ?? .null),
            ("records_written", recordsWritten(run).map { .int(Int64($0)) } ?? .null), ("dead_letters", .int(Int64(run.deadLetterCount))),
            ("process", .string(run.owner.description)),
        ])
    }

    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = "  " + cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return String(padded.reversed().drop { $0 == " " }.reversed())
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
