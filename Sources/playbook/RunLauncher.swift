import ArgumentParser
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookServer
import PlaybookSandbox
import PlaybookState

/// Where a run's connections go and how it shows its progress: the options `run` and
/// `dead-letters --retry` share.
struct RunLaunchOptions: ParsableArguments {
    @Flag(help: "Read for real, but write and send nothing: sync and notify steps report what they would do.")
    var dryRun = false

    @Option(help: "Output format: text or json (with a run, of its summary).")
    var format: SummaryFormat = .text

    @Option(help: ArgumentHelp("Where records set aside are written (default: .playbook/dead-letters/RUN_ID.jsonl next to the playbook).", valueName: "FILE"))
    var deadLetters: String?

    @Flag(inversion: .prefixedNo, help: "Show progress on stderr (default: when stderr is a terminal).")
    var progress: Bool?

    @Option(help: ArgumentHelp("A file of NAME=value lines with the secrets the connections name (the environment is read too).", valueName: "FILE"))
    var secrets: String?

    @Option(help: ArgumentHelp("Point every platform connection at a running `playbook sandbox` at this address; secrets get stand-in values.", valueName: "URL"))
    var sandboxURL: String?

    @Flag(help: "Run against a sandbox started for this run on a free loopback port: every platform connection goes there, secrets get stand-in values, and the summary shows what the playbook did there.")
    var sandbox = false

    @Option(help: ArgumentHelp("With --sandbox: faults the sandbox injects, e.g. 429=0.1,500=0.05,timeout=0.02,reset=0.02,malformed=0.01,latency=20ms.", valueName: "SPEC"))
    var faults: String?

    @Option(help: ArgumentHelp("With --sandbox: the seed of the sandbox's data and faults.", valueName: "N"))
    var seed: UInt64 = 1

    func validate() throws {
        if sandbox, sandboxURL != nil { throw ValidationError("give --sandbox or --sandbox-url, not both") }
        if !sandbox, faults != nil { throw ValidationError("--faults needs --sandbox (or give them to `playbook sandbox`)") }
    }

    /// Whether the run goes to a sandbox rather than the real platforms.
    var usesSandbox: Bool { sandbox || sandboxURL != nil }
}

/// One run of a plan as `playbook run` makes it: secrets read, the sandbox started, the
/// connections checked, the run recorded in the state file (with the playbook's lock), Ctrl-C and
/// SIGTERM caught, progress shown, and the summary printed.
struct RunLauncher {
    let plan: Plan
    let launch: RunLaunchOptions

    /// How a run ended, for the exit status.
    struct Outcome {
        var summary: RunSummary
        /// The signal that stopped it, if one did.
        var signal: Int32?

        /// Ends the command with the run's exit status: 0 succeeded, 1 failed, 130 or 143 stopped.
        func exit() throws {
            if let signal { throw ExitCode(128 + signal) }
            switch summary.status {
            case .succeeded: return
            case .failed: throw ExitCode(1)
            case .cancelled: throw ExitCode(130)
            }
        }
    }

    /// Runs the plan with `given` options, recording it in the state at `statePath` (none when nil)
    /// with the session `startSession` makes (and may set options in), once everything the run
    /// needs is ready. `lettersRetried` names the dead letters of an earlier run that the run has
    /// handled, marked before the run's record is completed. Problems before the run starts are
    /// printed and end the command.
    func run(
        _ given: RunOptions, statePath: String?, startSession: (_ path: String, _ options: inout RunOptions) async throws -> RunSession,
        lettersRetried: (RunSummary) -> [Int64] = { _ in [] }
    ) async throws -> Outcome {
        var options = given
        let secrets = try commandSecrets(file: launch.secrets)
        let server: SandboxServer? = launch.sandbox ? SandboxServer() : nil
        var sandboxAddress = launch.sandboxURL
        if let server {
            let spec: FaultSpec
            do {
                spec = try launch.faults.map { try FaultSpec.parse($0) } ?? FaultSpec.none
            } catch {
                printError("error: --faults: \(error)")
                throw ExitCode(2)
            }
            do {
                sandboxAddress = try await server.start(port: 0, seed: launch.seed, faults: spec).absoluteString
            } catch {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        let connectors = StandardConnectors(secrets: secrets, sandboxURL: sandboxAddress)
        do {
            try connectors.prepare(plan, dryRun: options.dryRun)
        } catch {
            printError("error: \(error)")
            await server?.stop()
            throw ExitCode(2)
        }
        // The run is recorded (and takes the playbook's lock) only once everything it needs is ready.
        var session: RunSession?
        if let statePath {
            do {
                if options.dryRun {
                    // A dry run reads where the last run got to, and records nothing (nor makes a state file).
                    if FileManager.default.fileExists(atPath: statePath) {
                        options.state = StoredRunState(store: try SQLiteRunStateStore(path: statePath, options: .commandLine))
                    }
                } else {
                    let started = try await startSession(statePath, &options)
                    options.state = started.runState
                    session = started
                }
            } catch {
                printError("error: \(error)")
                await server?.stop()
                throw ExitCode(2)
            }
        }
        let executor = Executor(plan: plan, options: options, connectors: connectors)
        // Signals are caught before the run starts, so that Ctrl-C always stops it cleanly.
        let stopSignal = StopSignal()
        let started = Guarded<Task<RunSummary, Never>?>(nil)
        stopSignal.onStop { started.value?.cancel() }
        // Made under the lock the handler reads it with, so that a signal never finds no task.
        let runTask = started.store { Task { await executor.run() } }
        if stopSignal.received != nil { runTask.cancel() }
        let display = (launch.progress ?? (isatty(STDERR_FILENO) == 1)) ? ProgressDisplay(progress: executor.progress) : nil
        display?.start()
        var summary = await runTask.value
        await display?.stop()
        await connectors.shutdown()
        do {
            try await session?.finish(summary, lettersRetried: lettersRetried(summary))
        } catch {
            printError("warning: the run's record in \(statePath ?? "the state file") could not be completed: \(error)")
        }
        if let server, let sandboxAddress {
            let entries = server.journal.entries().map(\.json)
            summary.sandbox = SandboxActivity(url: sandboxAddress, entries: entries)
            await server.stop()
        }
        let output = launch.format == .json ? SummaryRendering.json(summary) : SummaryRendering.text(summary)
        FileHandle.standardOutput.write(Data(output.utf8))
        return Outcome(summary: summary, signal: stopSignal.received)
    }
}

extension SQLiteRunStateStore.Options {
    /// What a command opens its state file with: an upgrade of an older file is announced on stderr.
    static var commandLine: Self {
        var options = Self()
        options.upgrading = { path, from, to in printError("note: " + SQLiteRunStateStore.upgradeNotice(of: path, from: from, to: to)) }
        return options
    }
}

extension RunSession {
    /// A session in the state file at `path` for a run of the playbook in `playbookFile`, with
    /// its notes printed on stderr.
    static func open(
        path: String, plan: Plan, playbookFile: String, options: RunOptions, resuming: RunRecord? = nil, retrying: String? = nil
    ) async throws -> RunSession {
        try await RunSession(
            store: try SQLiteRunStateStore(path: path, options: .commandLine), plan: plan, playbookFile: playbookFile,
            contentHash: RunSession.contentHash(of: FileCollection.contents(of: playbookFile) ?? []), options: options,
            resuming: resuming, retrying: retrying, note: { printError($0) })
    }
}

/// The secrets a command is given: the `--secrets` file, if any, then the environment. An unreadable
/// file ends the command with exit status 2.
func commandSecrets(file: String?) throws -> LayeredSecrets {
    var sources: [any SecretSource] = []
    if let file {
        do {
            sources.append(try SecretsFile(path: file))
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }
    sources.append(EnvironmentSecrets())
    return LayeredSecrets(sources)
}
