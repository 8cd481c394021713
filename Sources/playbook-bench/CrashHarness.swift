import Diagnostics
import Foundation

/// `playbook-bench crash`: proves the run-state promises by killing runs. It runs a playbook
/// against a `playbook sandbox` process with faults, kills `playbook run` with SIGKILL at moments
/// spread over a clean run's duration, runs it again until a run ends cleanly, changes a few
/// members and runs once more; then checks from the sandbox's journal and the state file that
/// nothing was lost, nothing was messaged twice, the cursor never passed an undelivered record,
/// and the run after a clean one read only what changed. See docs/guarantees.md.
enum CrashHarness {
    struct Options {
        var kills = 50
        var seed: UInt64 = 1
        var faults = "429=0.05,500=0.05,reset=0.03,lost=0.03"
        var playbook: String?
        var sandboxURL: String?
        var report: String?
        var keep = false
    }

    static let usage = """
        usage: playbook-bench crash [--kills N] [--seed N] [--faults SPEC] [--playbook PATH]
                                    [--sandbox-url URL] [--report FILE] [--keep]
          --kills N          kills to aim (default 50): 7 in 10 spread over a clean run's duration, the others
                             right after a message, after the last write and after the cursor's commit
          --seed N           seed of the kill moments, of the sandbox's data and of its faults (default 1)
          --faults SPEC      faults of the sandbox the harness starts (default 429=0.05,500=0.05,reset=0.03,lost=0.03)
          --playbook PATH    the playbook executable (default: the one beside this program)
          --sandbox-url URL  use this running sandbox instead of starting one (its own faults and limits apply)
          --report FILE      also write the figures as JSON
          --keep             keep the work folder (playbook, state files, summaries); kept anyway when a check fails
        """

    /// Runs the harness; returns the exit status: 0 when every check passed, 1 when one failed,
    /// 2 for a usage error or when the harness itself could not run.
    static func run(arguments: [String]) async -> Int32 {
        guard let options = options(from: arguments) else {
            print(usage)
            return 2
        }
        let binary = options.playbook ?? besideThisProgram("playbook")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("no playbook executable at \(binary): build it (swift build) or pass --playbook PATH")
            return 2
        }
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("playbook-bench-crash-\(getpid())")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            print("cannot create \(folder): \(error)")
            return 2
        }
        var sandbox: ChildProcess.Running?
        defer {
            if let sandbox {
                ChildProcess.signal(sandbox, SIGTERM)
                _ = waitBlocking(sandbox, seconds: 10)
            }
        }
        let origin: String
        if let url = options.sandboxURL {
            origin = url.hasSuffix("/") ? String(url.dropLast()) : url
        } else {
            do {
                let started = try await startSandbox(binary: binary, seed: options.seed, faults: options.faults, folder: folder)
                sandbox = started.child
                origin = started.origin
            } catch {
                print("the sandbox did not start: \(error)")
                try? FileManager.default.removeItem(atPath: folder)
                return 2
            }
        }
        do {
            let failed = try await runTrials(options: options, binary: binary, origin: origin, folder: folder)
            if failed || options.keep {
                print("files kept in \(folder)")
            } else {
                try? FileManager.default.removeItem(atPath: folder)
            }
            return failed ? 1 : 0
        } catch {
            print("the harness stopped: \(error)")
            if (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty ?? true {
                try? FileManager.default.removeItem(atPath: folder)
            } else {
                print("files kept in \(folder)")
            }
            return 2
        }
    }

    /// Calibrates, runs the trials, prints the figures; returns whether a check failed.
    private static func runTrials(options: Options, binary: String, origin: String, folder: String) async throws -> Bool {
        let client = SandboxClient(origin: origin)
        guard await client.isHealthy() else { throw SandboxClient.Unanswered(description: "no sandbox answers at \(origin)") }
        let journal = JournalMirror(client: client)
        let members = try await client.subscribedMembers()
        let vips = members.filter(\.vip).count
        let scenario = CrashScenario(maxMessages: max(1, (vips + 1) / 2))
        let playbookFile = (folder as NSString).appendingPathComponent("\(CrashScenario.playbookName).yaml")
        try scenario.playbook.write(toFile: playbookFile, atomically: true, encoding: .utf8)
        func trial(_ number: Int) -> CrashTrial {
            CrashTrial(trial: number, scenario: scenario, binary: binary, playbookFile: playbookFile, sandboxURL: origin,
                       folder: folder, client: client, journal: journal)
        }

        print("Crash harness: \(options.kills) kills of `playbook run` with SIGKILL, seed \(options.seed)")
        print(options.sandboxURL == nil ? "sandbox \(origin), faults \(options.faults.isEmpty ? "none" : options.faults)" : "sandbox \(origin) (started elsewhere: its own faults)")
        print("playbook: \(members.count) subscribers to copy to HubSpot, \(vips) VIPs to welcome in Slack, at most \(scenario.maxMessages) messages a run")

        // A clean run's duration, from a fresh state: the median of three, as a run that meets a
        // few of Slack's 429s (one second each) takes much longer than one that meets none.
        var durations: [Double] = []
        for calibration in 1...3 {
            let state = (folder as NSString).appendingPathComponent("calibration-\(calibration).sqlite")
            let child = try ChildProcess.start(
                [binary, "run", playbookFile, "--sandbox-url", origin, "--state", state, "--param", "trial=-\(calibration)", "--format", "json", "--no-progress"],
                standardOutput: state + ".json", standardError: state + ".stderr")
            let measurement = try await waitPolling(child)
            guard measurement.status == 0 else {
                let errors = (try? String(contentsOfFile: state + ".stderr", encoding: .utf8)) ?? ""
                throw SandboxClient.Unanswered(description: "a clean run ended with status \(measurement.status): \(errors.suffix(600))")
            }
            durations.append(measurement.seconds)
        }
        let clean = durations.sorted()[durations.count / 2]
        print(String(format: "a clean first run takes %.2f s (the median of %@)", clean, durations.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
        print("seven kills in ten are aimed at (k + jitter)/n of it; one in ten right after one of the run's messages,")
        print("one in ten right after its last write, one in ten right after its cursor was committed;")
        print("every 4th trial also kills its first recovery run, at a random moment\n")

        var random = SplitMix64(seed: options.seed &* 0x9E37_79B9 &+ 17)
        var targets = plan(kills: options.kills, clean: clean, messages: scenario.maxMessages, random: &random)
        var outcomes: [TrialOutcome] = []
        var landed = 0
        var trialNumber = 0
        print(row(["trial", "run", "aimed at", "killed s", "phase", "uncertain sent/not", "runs", "read: same, changed", "checks"]))
        while !targets.isEmpty, trialNumber < options.kills * 2 + 5 {
            let target = targets.removeFirst()
            trialNumber += 1
            let second = trialNumber % 4 == 0 ? KillPlan.after(clean * (0.05 + 0.9 * unit(&random))) : nil
            let outcome = try await trial(trialNumber).run(firstKill: target, recoveryKill: second, random: &random)
            outcomes.append(outcome)
            if outcome.mainKilled {
                landed += 1
            } else if landed + targets.count < options.kills {
                // The run ended before its kill: aim again, earlier.
                switch target {
                case .after(let seconds): targets.append(.after(min(seconds, clean) * 0.9 * unit(&random)))
                case .afterMessage, .afterLastWrite, .afterCursorCommit: targets.append(.after(clean * 0.9 * unit(&random)))
                }
            }
            printRows(of: outcome)
        }
        return report(outcomes, options: options, clean: clean, durations: durations)
    }

    /// The kills of the first runs, in a shuffled order: seven in ten aimed at (k + jitter)/n of a
    /// clean run's duration; one in ten right after one of the run's messages, one in ten right
    /// after its last write, one in ten right after its cursor was committed, windows of a few
    /// milliseconds that kills spread over seconds seldom meet.
    private static func plan(kills: Int, clean: Double, messages: Int, random: inout SplitMix64) -> [KillPlan] {
        let aimed = kills >= 7 ? max(1, kills / 10) : 0
        let spread = kills - 3 * aimed
        var plans = (0..<spread).map { k in KillPlan.after(clean * (Double(k) + unit(&random)) / Double(spread)) }
        plans += (0..<aimed).map { _ in KillPlan.afterMessage(1 + random.below(max(1, messages))) }
        plans += Array(repeating: KillPlan.afterLastWrite, count: aimed) + Array(repeating: KillPlan.afterCursorCommit, count: aimed)
        for index in plans.indices.reversed() where index > 0 { plans.swapAt(index, random.below(index + 1)) }
        return plans
    }

    private static func printRows(of outcome: TrialOutcome) {
        let runs = outcome.attempts.count
        let checks = outcome.failures.isEmpty ? "ok" : "FAILED " + Set(outcome.failures.map(\.check.rawValue)).sorted().map(String.init).joined(separator: ",")
        let read = outcome.readAfterChange.map { "\(outcome.readUnchanged.map(String.init) ?? "-"), \($0) of \(outcome.changed)" } ?? "-"
        var printed = false
        for (index, attempt) in outcome.attempts.enumerated() where attempt.plan != nil {
            let killed = attempt.killed ? String(format: "%.3f", attempt.killedAt!) : "ended"
            let phase = attempt.phase?.rawValue ?? "(ran out)"
            let uncertain = attempt.killed ? "\(attempt.uncertainDelivered)/\(attempt.uncertainNotDelivered)" : "-"
            print(row(["\(outcome.trial)", "\(index + 1)", attempt.plan!.shown, killed, phase, uncertain, "\(runs)", read, checks]))
            printed = true
        }
        if !printed { print(row(["\(outcome.trial)", "-", "-", "-", "-", "-", "\(runs)", read, checks])) }
        for failure in outcome.failures { print("        check \(failure.check.rawValue): \(failure.detail)") }
    }

    /// Prints the figures (and writes them as JSON when asked); returns whether a check failed.
    private static func report(_ outcomes: [TrialOutcome], options: Options, clean: Double, durations: [Double]) -> Bool {
        let kills = outcomes.flatMap(\.kills)
        let missed = outcomes.reduce(0) { $0 + $1.missed }
        let runs = outcomes.reduce(0) { $0 + $1.attempts.count }
        let main = outcomes.filter(\.mainKilled).count
        print("\n\(kills.count) kills landed (\(main) planned for the trials, \(kills.count - main) in the runs after one of them) over \(outcomes.count) trials "
              + "and \(runs) runs; \(missed) planned kill(s) came after the run had ended")
        print("\nKills by phase (judged from what the killed run left: its record in the state file, the journal, the cursor):")
        var phases: [(String, JSONValue)] = []
        for phase in KillPhase.allCases {
            let count = kills.filter { $0.phase == phase }.count
            var line = "  \(phase.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%3d", count))   \(phase.meaning)"
            if phase == .end {
                let ends = kills.filter { $0.phase == .end }
                let recorded = ends.filter { $0.statusAfter != .running }.count
                let committed = ends.filter { $0.statusAfter == .running && $0.runID != nil && $0.cursorAfter?.runID == $0.runID }.count
                line += ":\n               \(ends.count - committed - recorded) before the cursor was committed, \(committed) after it, "
                    + "\(recorded) after the run's end was recorded (the process was exiting)"
            }
            print(line)
            phases.append((phase.rawValue, .int(Int64(count))))
        }
        let delivered = kills.reduce(0) { $0 + $1.uncertainDelivered }
        let notDelivered = kills.reduce(0) { $0 + $1.uncertainNotDelivered }
        let refused = kills.reduce(0) { $0 + $1.uncertainRefused }
        let hidden = kills.reduce(0) { $0 + $1.uncertainHidden }
        let lost = kills.reduce(0) { $0 + $1.uncertainLost }
        print("\nUncertain messages left by the killed runs (not sent again): \(delivered + notDelivered)")
        print("  \(delivered) had arrived: \(lost) whose answer the sandbox dropped (`lost`), \(delivered - lost) sent just before the kill")
        print("  \(notDelivered) had not: \(hidden) after a fault that hides whether a message arrived (500, 502, 504, a dropped")
        print("  connection, a cut answer), which by rule is not tried again; \(refused) refused (429, 503) as the kill came;")
        print("  \(notDelivered - hidden - refused) had not reached the sandbox yet")
        print("\nChecks, per trial:")
        var checks: [(String, JSONValue)] = []
        var failed = false
        for check in CrashCheck.allCases {
            let passed = outcomes.filter { $0.passed(check) }.count
            failed = failed || passed < outcomes.count
            print("  \(check.rawValue). \(check.title.padding(toLength: 72, withPad: " ", startingAt: 0)) \(passed == outcomes.count ? "passed" : "FAILED") \(passed)/\(outcomes.count)")
            checks.append((String(check.rawValue), .object([("title", .string(check.title)), ("passed", .int(Int64(passed))), ("failed", .int(Int64(outcomes.count - passed)))])))
        }
        let unchanged = Set(outcomes.compactMap(\.readUnchanged)).sorted().map(String.init).joined(separator: " or ")
        let changed = Set(outcomes.compactMap(\.readAfterChange)).sorted().map(String.init).joined(separator: " or ")
        if !changed.isEmpty {
            print("  (after a clean run, a run with nothing changed read \(unchanged) records; after \(outcomes.first?.changed ?? 0) members changed, \(changed))")
        }
        print(failed ? "\nresult: FAILED" : "\nresult: passed")

        if let path = options.report {
            let failures = outcomes.flatMap { outcome in
                outcome.failures.map { JSONValue.object([("trial", .int(Int64(outcome.trial))), ("check", .int(Int64($0.check.rawValue))), ("detail", .string($0.detail))]) }
            }
            let killList = outcomes.flatMap { outcome in
                outcome.attempts.enumerated().filter { $0.element.killed }.map { index, attempt in
                    JSONValue.object([
                        ("trial", .int(Int64(outcome.trial))), ("run", .int(Int64(index + 1))),
                        ("aimed", .string(attempt.plan?.shown ?? "")), ("killed_seconds", .double(attempt.killedAt ?? 0)),
                        ("phase", .string(attempt.phase?.rawValue ?? "")),
                        ("uncertain_delivered", .int(Int64(attempt.uncertainDelivered))),
                        ("uncertain_not_delivered", .int(Int64(attempt.uncertainNotDelivered))),
                        ("uncertain_lost", .int(Int64(attempt.uncertainLost))),
                        ("uncertain_hidden", .int(Int64(attempt.uncertainHidden))),
                    ])
                }
            }
            let json = JSONValue.object([
                ("kills", .int(Int64(kills.count))), ("missed", .int(Int64(missed))), ("trials", .int(Int64(outcomes.count))),
                ("runs", .int(Int64(runs))), ("clean_run_seconds", .double(clean)), ("phases", .object(phases)),
                ("uncertain_delivered", .int(Int64(delivered))), ("uncertain_not_delivered", .int(Int64(notDelivered))),
                ("uncertain_refused", .int(Int64(refused))),
                ("checks", .object(checks)), ("passed", .bool(!failed)), ("failures", .array(failures)), ("kill_list", .array(killList)),
            ])
            try? (json.serialized(indent: 2) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return failed
    }

    // MARK: - The sandbox

    /// Starts `playbook sandbox` on a free port, with rate limits high enough that only the
    /// playbook's own pacing and the injected faults slow a run down.
    private static func startSandbox(binary: String, seed: UInt64, faults: String, folder: String) async throws -> (child: ChildProcess.Running, origin: String) {
        let output = (folder as NSString).appendingPathComponent("sandbox.out")
        let child = try ChildProcess.start(
            [binary, "sandbox", "--port", "0", "--seed", String(seed), "--faults", faults, "--limits", "slack=1000000,hubspot=1000000"],
            standardOutput: output, standardError: output + ".stderr")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let measurement = ChildProcess.poll(child) {
                let errors = (try? String(contentsOfFile: output + ".stderr", encoding: .utf8)) ?? ""
                throw SandboxClient.Unanswered(description: "playbook sandbox ended with status \(measurement.status): \(errors)")
            }
            let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("Sandbox listening on ") }),
               let address = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) {
                let origin = String(address)
                if await SandboxClient(origin: origin).isHealthy() { return (child, origin) }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        ChildProcess.signal(child, SIGKILL)
        _ = waitBlocking(child, seconds: 5)
        throw SandboxClient.Unanswered(description: "playbook sandbox did not say where it listens within a minute")
    }

    // MARK: - Helpers

    private static func waitPolling(_ child: ChildProcess.Running) async throws -> ChildMeasurement {
        while true {
            if let measurement = ChildProcess.poll(child) { return measurement }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    private static func waitBlocking(_ child: ChildProcess.Running, seconds: Double) -> ChildMeasurement? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let measurement = ChildProcess.poll(child) { return measurement }
            usleep(2_000)
        }
        return nil
    }

    /// A line of the kills table: numbers to the right, the phase and the checks to the left.
    private static func row(_ cells: [String]) -> String {
        let widths = [5, 3, 10, 8, 9, 18, 4, 19]
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index == 4 || index == cells.count - 1 {
                line += "  " + cell.padding(toLength: index < widths.count ? max(widths[index], cell.count) : cell.count, withPad: " ", startingAt: 0)
            } else {
                line += "  " + String(repeating: " ", count: max(0, widths[min(index, widths.count - 1)] - cell.count)) + cell
            }
        }
        return line
    }

    /// A number in [0, 1).
    private static func unit(_ random: inout SplitMix64) -> Double { Double(random.next() >> 11) / Double(1 << 53) }

    /// A program in the folder this one runs from (`.build/debug`, `.build/release`).
    private static func besideThisProgram(_ name: String) -> String {
        let own = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return own.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
    }

    private static func options(from arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let option = rest.popFirst() {
            if option == "--keep" {
                options.keep = true
                continue
            }
            guard let value = rest.popFirst() else { return nil }
            switch option {
            case "--kills":
                guard let kills = Int(value), kills > 0 else { return nil }
                options.kills = kills
            case "--seed":
                guard let seed = UInt64(value) else { return nil }
                options.seed = seed
            case "--faults": options.faults = value
            case "--playbook": options.playbook = value
            case "--sandbox-url": options.sandboxURL = value
            case "--report": options.report = value
            default: return nil
            }
        }
        return options
    }
}
