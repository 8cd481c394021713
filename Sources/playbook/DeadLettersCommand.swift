import ArgumentParser
import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookServer
import PlaybookState

/// `playbook dead-letters RUN_ID`: the records a run set aside, and, with `--retry FILE`, sends
/// those not yet retried through the steps that set them aside again.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "Show the records a run set aside, or send them through their steps again.",
        discussion: """
            Without --retry, lists the run's dead letters: the step, why, where in the playbook, the \
            record, and whether a later run sent it again. With --retry FILE, once the playbook is \
            fixed, sends the dead letters not yet retried through the step that set each aside, and \
            on through the steps after it; the steps before it do not run. The retry is a run of its \
            own in the state file. Exit status: as `playbook run` with --retry; 2 for an unknown run, \
            or a playbook that is not the run's or no longer has the step.
            """
    )

    @Argument(help: ArgumentHelp("The run's id, as `playbook runs` lists it, or `last` for the newest run (of the playbook given, if one is).", valueName: "RUN_ID"))
    var runID: String

    @Option(help: ArgumentHelp("Send the dead letters not yet retried through their steps again, with this playbook (fixed since the run).", valueName: "FILE"))
    var retry: String?

    @Option(help: ArgumentHelp("Without --retry: whose newest run `last` means, by the playbook's file or name.", valueName: "PLAYBOOK"))
    var playbook: String?

    @Option(help: ArgumentHelp("The run-state file (default: .playbook/state.sqlite next to the playbook file given, or in this folder).", valueName: "FILE"))
    var state: String?

    @Option(help: "Without --retry: show at most this many dead letters.")
    var limit: Int = 50

    @OptionGroup var launch: RunLaunchOptions

    func validate() throws {
        if retry != nil, playbook != nil { throw ValidationError("--retry names the playbook already; give no --playbook") }
        guard retry == nil else { return }
        let runOnly = [("--dry-run", launch.dryRun), ("--sandbox", launch.sandbox), ("--sandbox-url", launch.sandboxURL != nil),
                       ("--secrets", launch.secrets != nil), ("--faults", launch.faults != nil), ("--dead-letters", launch.deadLetters != nil)]
        if let given = runOnly.first(where: { $0.1 }) { throw ValidationError("\(given.0) goes with --retry FILE") }
    }

    func run() async throws {
        if let retry { return try await retryLetters(with: retry) }
        let playbookFile = playbook.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        let (store, statePath) = try RunsOptions.openStore(state, near: playbookFile)
        let name = try playbookFile.map { try PlaybookLoading.plan(of: $0).name } ?? playbook
        let run = try await Self.recordedRun(runID, of: name, in: store, statePath: statePath)
        let letters = try await store.deadLetters(runID: run.id, limit: max(1, limit), offset: 0)
        print(launch.format == .json ? DeadLetterText.json(letters, of: run).serialized() : DeadLetterText.text(letters, of: run))
    }

    /// The run `wanted` names (`last`: the newest, of `playbook` when given); an unknown one ends
    /// the command with status 2, as does a run of another playbook than `playbook`.
    static func recordedRun(_ wanted: String, of playbook: String?, in store: SQLiteRunStateStore, statePath: String) async throws -> RunRecord {
        let found: RunRecord?
        if wanted != "last" {
            found = try await store.run(id: wanted, deadLetterLimit: 0)?.run
        } else if let playbook {
            found = try await store.lastRun(playbook: playbook)
        } else {
            found = try await store.runs(playbook: nil, limit: 1).first
        }
        guard let found else {
            printError(wanted != "last" ? "error: no run \(wanted) is recorded in \(statePath) (`playbook runs` lists the runs)"
                                        : "error: no run\(playbook.map { " of \($0)" } ?? "") is recorded in \(statePath)")
            throw ExitCode(2)
        }
        if let playbook, found.playbook != playbook {
            printError("error: run \(found.id) is a run of \(found.playbook), not of \(playbook)")
            throw ExitCode(2)
        }
        return found
    }

    // MARK: Retry

    private func retryLetters(with file: String) async throws {
        let plan = try PlaybookLoading.plan(of: file)
        let (store, statePath) = try RunsOptions.openStore(state, near: file)
        let run = try await Self.recordedRun(runID, of: plan.name, in: store, statePath: statePath)
        var chosen = try await RetriedLetters.choose(from: store.deadLetters(runID: run.id), plan: plan, run: run)
        for (step, count) in chosen.unsendable {
            printError("note: \(count) dead letter(s) of step '\(step)' cannot be sent again: they are input that never became a record "
                + "(such as a line of a CSV file that could not be read), or the step reads no records; correct the input and run the playbook")
        }
        guard !chosen.letters.isEmpty else {
            printError("note: run \(run.id) has no dead letters waiting to be sent again")
            return
        }
        let options = RunOptions(
            params: try PlaybookLoading.paramValues(PlaybookLoading.recordedParams(of: run), for: plan), dryRun: launch.dryRun,
            baseDirectory: PlaybookLoading.folder(of: file), deadLetterPath: launch.deadLetters, replay: chosen.replay
        )
        let outcome = try await RunLauncher(plan: plan, launch: launch).run(options, statePath: statePath) { path, options in
            let session = try await RunSession.open(path: path, plan: plan, playbookFile: file, options: options, retrying: run.id)
            // Chosen again now that this run holds the playbook: a retry that ran meanwhile has sent some.
            chosen = try await RetriedLetters.choose(from: session.store.deadLetters(runID: run.id), plan: plan, run: run)
            options.replay = chosen.replay
            return session
        } lettersRetried: { summary in
            chosen.handled(in: summary, plan: plan)
        }
        let sent = chosen.letters.count
        let byStep = chosen.countsByStep.map { "\($0.step) \($0.count)" }.joined(separator: ", ")
        let handled = chosen.handled(in: outcome.summary, plan: plan).count
        if launch.dryRun {
            printError("note: \(sent) dead letter(s) of run \(run.id) went through their steps in a dry run (\(byStep)); none is marked retried")
        } else if handled == sent {
            printError("note: \(sent) dead letter(s) of run \(run.id) sent again (\(byStep)); marked retried by run \(outcome.summary.runID)")
        } else {
            printError("note: \(sent) dead letter(s) of run \(run.id) sent again (\(byStep)); \(sent - handled) not marked retried, "
                + "as their step or a step after it did not succeed: they can be sent again")
        }
        try outcome.exit()
    }
}

/// The dead letters a retry sends: those not yet retried, each read back into the record its step
/// set aside.
struct RetriedLetters {
    /// The letters sent, with the record each gives its step.
    var letters: [(letter: DeadLetter, record: CELValue)] = []
    /// Letters left as they are, by step: input that never became a record, or a step that reads none.
    var unsendable: [(step: String, count: Int)] = []

    /// The letters of `all` not yet retried. A step the playbook no longer has ends the command
    /// with status 2: its letters have nowhere to go.
    static func choose(from all: [DeadLetter], plan: Plan, run: RunRecord) throws -> RetriedLetters {
        var chosen = RetriedLetters()
        var unsendable: [String: Int] = [:]
        for letter in all where letter.retriedBy == nil {
            guard let step = plan.step(StepID(letter.step)) else {
                printError("error: run \(run.id) set records aside in step '\(letter.step)', which \(plan.name) no longer has: "
                    + "give the step back its id to send them through it again")
                throw ExitCode(2)
            }
            guard RecordReplay.refusal(of: step) == nil, let record = record(of: letter) else {
                unsendable[letter.step, default: 0] += 1
                continue
            }
            chosen.letters.append((letter, record))
        }
        chosen.unsendable = unsendable.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return chosen
    }

    /// The record a letter holds: a map of fields, or input that never became a record when it is
    /// the JSON text of one (a line of a JSON Lines file, a record of a webhook's body).
    static func record(of letter: DeadLetter) -> CELValue? {
        switch try? JSONText.decode(Array(letter.record.utf8)) {
        case .map(let fields)?: return .map(fields)
        case .string(let input)?:
            if case .map(let fields)? = try? JSONText.decode(Array(input.utf8)) { return .map(fields) }
            return nil
        default: return nil
        }
    }

    /// The records by step, for the executor.
    var replay: RecordReplay {
        var records: [StepID: [CELValue]] = [:]
        for (letter, record) in letters { records[StepID(letter.step), default: []].append(record) }
        return RecordReplay(records: records)
    }

    /// How many letters each step is sent, in the order the steps first set one aside.
    var countsByStep: [(step: String, count: Int)] {
        var counts: [(step: String, count: Int)] = []
        for (letter, _) in letters {
            if let index = counts.firstIndex(where: { $0.step == letter.step }) { counts[index].count += 1 } else { counts.append((letter.step, 1)) }
        }
        return counts
    }

    /// The letters whose records the run handled: their step and every step after it succeeded.
    func handled(in summary: RunSummary, plan: Plan) -> [Int64] {
        let delivered = replay.stepsDelivered(in: summary, plan: plan)
        return letters.filter { delivered.contains(StepID($0.letter.step)) }.map(\.letter.id)
    }
}

/// How dead letters are printed.
enum DeadLetterText {
    static func text(_ letters: [DeadLetter], of run: RunRecord) -> String {
        guard !letters.isEmpty else { return "Run \(run.id) of \(run.playbook) set no records aside." }
        let shown = letters.count < run.deadLetterCount ? ", the first \(letters.count) (--limit N shows more)" : ""
        var lines = ["Run \(run.id) of \(run.playbook): \(run.deadLetterCount) dead letter(s)\(shown)"]
        for (number, letter) in letters.enumerated() {
            lines.append("")
            lines.append("  \(number + 1). \(letter.step): \(letter.reason)" + (letter.location.map { " (\($0))" } ?? ""))
            if case .string(let input)? = try? JSONValue(parsing: letter.record) {
                lines.append("     input: \(input)")
            } else {
                lines.append("     record: \(letter.record)")
            }
            lines.append("     " + (letter.retriedBy.map { by in
                "retried by run \(by)" + (letter.retriedAt.map { " at \(RunHistoryText.time($0)) UTC" } ?? "")
            } ?? "not retried"))
        }
        if letters.contains(where: { $0.retriedBy == nil }) {
            lines.append("")
            lines.append("Once the playbook is fixed, send them through their steps again: playbook dead-letters \(run.id) --retry PLAYBOOK_FILE")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ letters: [DeadLetter], of run: RunRecord) -> JSONValue {
        .object([
            ("run_id", .string(run.id)), ("playbook", .string(run.playbook)), ("count", .int(Int64(run.deadLetterCount))),
            ("dead_letters", .array(letters.map { letter in
                .object([
                    ("id", .int(letter.id)), ("step", .string(letter.step)), ("reason", .string(letter.reason)),
                    ("location", letter.location.map(JSONValue.string) ?? .null),
                    ("record", (try? JSONValue(parsing: letter.record)) ?? .string(letter.record)),
                    ("added_at", .string(RunHistoryText.time(letter.addedAt))),
                    ("retried_by", letter.retriedBy.map(JSONValue.string) ?? .null),
                    ("retried_at", letter.retriedAt.map { .string(RunHistoryText.time($0)) } ?? .null),
                ])
            })),
        ])
    }
}
