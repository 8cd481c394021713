import ArgumentParser
import CEL
import Diagnostics
import Dispatch
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookServer
import PlaybookSandbox
import PlaybookState

/// Output of a run summary.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `playbook run FILE`: validates the playbook, then runs it once.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a playbook once.",
        discussion: """
            The playbook is validated first; when it has errors they are printed and nothing runs. \
            Exit status: 0 when the run succeeded, 1 when it failed, 2 for an invalid playbook or \
            a wrong param, 130 or 143 when stopped by Ctrl-C or SIGTERM.
            """
    )

    @Argument(help: "The playbook file.")
    var file: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A param's value, as NAME=VALUE; repeat for several.", valueName: "NAME=VALUE"))
    var params: [String] = []

    @Option(help: ArgumentHelp("Run as if a webhook request had brought this JSON body (`trigger.payload`).", valueName: "FILE"))
    var payload: String?

    @Option(help: ArgumentHelp("With --payload: the webhook trigger's path, when the playbook has several.", valueName: "PATH"))
    var webhook: String?

    @Option(help: ArgumentHelp("The run-state file: runs, incremental cursors, messages sent (default: .playbook/state.sqlite next to the playbook; a --sandbox run keeps none unless given).", valueName: "FILE"))
    var state: String?

    @Flag(name: .customLong("no-state"), help: "Keep no state: incremental fetches read from their `start`, `once_per` holds within this run only, and the run is not in `playbook runs`.")
    var noState = false

    @Option(help: ArgumentHelp("Go on with a failed, cancelled or interrupted run (its id, or `last`): same run id and params; messages and records it delivered are not repeated.", valueName: "RUN_ID"))
    var resume: String?

    @OptionGroup var launch: RunLaunchOptions

    func validate() throws {
        if noState, state != nil { throw ValidationError("give --state or --no-state, not both") }
        if resume != nil, noState { throw ValidationError("--resume needs the state file; it cannot go with --no-state") }
        if resume != nil, !params.isEmpty { throw ValidationError("--resume goes on with the run's own params; give no --param") }
        if resume != nil, launch.dryRun { throw ValidationError("--resume cannot go with --dry-run") }
    }

    func run() async throws {
        let plan = try PlaybookLoading.plan(of: file)
        // A run against the sandbox starts afresh each time unless a state file is named: its
        // platforms are not the real ones, and their cursors and messages must not mix.
        let statePath = noState || (state == nil && resume == nil && launch.usesSandbox)
            ? nil : state ?? StateLocation.defaultPath(forPlaybookAt: file)
        var resuming: RunRecord?
        if let resume, let statePath {
            do {
                resuming = try await RunSession.runToResume(resume, playbook: plan.name, statePath: statePath, storeOptions: .commandLine)
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
        let given = try resuming.map(PlaybookLoading.recordedParams) ?? PlaybookLoading.namedValues(params)
        let options = RunOptions(
            runID: resuming?.id ?? RunOptions.newRunID(), params: try PlaybookLoading.paramValues(given, for: plan),
            dryRun: launch.dryRun, trigger: try trigger(of: plan), baseDirectory: PlaybookLoading.folder(of: file),
            deadLetterPath: launch.deadLetters
        )
        let outcome = try await RunLauncher(plan: plan, launch: launch).run(options, statePath: statePath) { path, options in
            try await RunSession.open(path: path, plan: plan, playbookFile: file, options: options, resuming: resuming)
        }
        try outcome.exit()
    }
}

extension RunCommand {
    /// What starts this run: by hand, or a webhook request whose body is in `--payload`.
    func trigger(of plan: Plan) throws -> RunTrigger {
        guard let payload else {
            if webhook != nil { printError("error: --webhook needs --payload FILE, the request body") ; throw ExitCode(2) }
            return .manual
        }
        let paths = plan.triggers.compactMap { trigger -> String? in
            if case .webhook(let hook) = trigger.kind { return hook.path.value }
            return nil
        }
        let path: String
        if let webhook {
            guard paths.contains(webhook) else {
                printError("error: the playbook has no webhook trigger at '\(webhook)'" + (paths.isEmpty ? "" : " (it has \(paths.joined(separator: ", ")))"))
                throw ExitCode(2)
            }
            path = webhook
        } else if paths.count == 1 {
            path = paths[0]
        } else {
            printError(paths.isEmpty ? "error: --payload is for playbooks with a webhook trigger, and this one has none"
                                     : "error: the playbook has several webhook triggers: say which with --webhook PATH (\(paths.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        guard let bytes = FileCollection.contents(of: payload) else {
            printError("error: cannot read \(payload)")
            throw ExitCode(2)
        }
        do {
            return .webhook(path: path, payload: try JSONText.decode(bytes), headers: [:])
        } catch {
            printError("error: \(payload) is not JSON: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Loading a playbook for running it: read, validate, compile.
enum PlaybookLoading {
    /// The plan of a playbook file; on errors, prints them as `validate` does and exits with 2.
    static func plan(of file: String) throws -> Plan {
        guard let bytes = FileCollection.contents(of: file) else {
            printError("error: cannot read \(file)")
            throw ExitCode(2)
        }
        let result = PlaybookValidator().validate(SourceFile(path: file, bytes: bytes))
        if result.allFileDiagnostics.contains(where: { !$0.diagnostics.isEmpty }) {
            let report = DiagnosticReport(files: result.allFileDiagnostics, catalogue: PlaybookDiagnostics.catalogue, maxPerFile: 50)
            let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardError.write(Data(DiagnosticFormat.text.renderer(colour: colour, toolVersion: PlaybookVersion.current).render(report).utf8))
        }
        guard let plan = result.plan else { throw ExitCode(2) }
        return plan
    }

    /// The folder relative paths of a playbook start at.
    static func folder(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// The params a recorded run was given, as `NAME=VALUE` pairs would give them.
    static func recordedParams(of run: RunRecord) -> [(name: String, text: String)] {
        guard case .object(let recorded)? = try? JSONValue(parsing: run.params) else { return [] }
        return recorded.map { name, value in
            if case .string(let text) = value { return (name, text) }
            return (name, value.text)
        }
    }

    /// The params' values, each of the type the playbook declares; a wrong one ends the command.
    static func paramValues(_ given: [(name: String, text: String)], for plan: Plan) throws -> [String: CELValue] {
        switch ParamValues.read(given, for: plan.params) {
        case .success(let values): return values
        case .failure(let problem):
            printError("error: \(problem)")
            throw ExitCode(2)
        }
    }

    /// `NAME=VALUE` pairs; a pair without `=` is a usage error.
    static func namedValues(_ pairs: [String]) throws -> [(name: String, text: String)] {
        try pairs.map { pair in
            guard let equals = pair.firstIndex(of: "=") else {
                printError("error: --param takes NAME=VALUE, not '\(pair)'")
                throw ExitCode(2)
            }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
    }
}

/// Per-step progress on stderr while a run goes on: records in and out, and the rate.
final class ProgressDisplay: @unchecked Sendable {
    private let progress: RunProgress
    private var task: Task<Void, Never>?
    private let started = ContinuousClock.now
    private var linesShown = 0

    init(progress: RunProgress) { self.progress = progress }

    func start() {
        task = Task { [self] in
            while (try? await Task.sleep(for: .milliseconds(500))) != nil {
                draw()
            }
        }
    }

    /// Stops drawing, once the last drawing is done, and clears what was drawn.
    func stop() async {
        task?.cancel()
        await task?.value
        // Clear what was drawn, so the summary stands alone.
        var clear = ""
        for _ in 0..<linesShown { clear += "\u{1B}[1A\u{1B}[2K" }
        FileHandle.standardError.write(Data(clear.utf8))
    }

    private func draw() {
        let elapsed = ContinuousClock.now - started
        let seconds = max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, 0.001)
        var text = ""
        for _ in 0..<linesShown { text += "\u{1B}[1A\u{1B}[2K" }
        let steps = progress.snapshot
        for step in steps {
            let state: String = switch step.state {
            case .waiting: "waiting"
            case .running: "running"
            case .finished(let status): status.rawValue
            }
            let rate = Int(Double(max(step.recordsIn, step.recordsOut)) / seconds)
            text += "  \(step.id.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) in \(step.recordsIn)  out \(step.recordsOut)  skipped \(step.recordsSkipped)  \(rate) records/s\n"
        }
        linesShown = steps.count
        FileHandle.standardError.write(Data(text.utf8))
    }
}
