import ArgumentParser
import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookServer
import PlaybookState

extension ServerLogFormat: ExpressibleByArgument {}

/// `playbook backfill FILE --from TIME --to TIME`: runs the schedule's fire times in a range, in order.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Run a playbook once for each time its schedules would have fired in a range, oldest first.",
        discussion: """
            Each run sees `trigger.kind == "schedule"` and `trigger.fired_at` set to the time it stands for, \
            so a playbook that reads "the day before trigger.fired_at" reads the right day. Runs are recorded \
            in the state file like any other. The backfill stops at the first run that fails, unless --keep-going.
            """
    )

    @Argument(help: "The playbook file.")
    var file: String

    @Option(help: ArgumentHelp("The first time of the range: 2026-11-01, 2026-11-01T09:00 (in the schedule's time zone) or an RFC 3339 time.", valueName: "TIME"))
    var from: String

    @Option(help: ArgumentHelp("The last time of the range, written as --from.", valueName: "TIME"))
    var to: String

    @Option(help: "The most runs the backfill may make.")
    var maxRuns: Int = 1000

    @Flag(help: "Go on after a run fails.")
    var keepGoing = false

    @Option(help: ArgumentHelp("The run-state file (default: .playbook/state.sqlite next to the playbook).", valueName: "FILE"))
    var state: String?

    @OptionGroup var launch: RunLaunchOptions

    func run() async throws {
        let plan = try PlaybookLoading.plan(of: file)
        let schedules: [Schedule] = plan.triggers.compactMap {
            if case .schedule(let schedule) = $0.kind { return schedule }
            return nil
        }
        guard !schedules.isEmpty else {
            printError("error: \(file) has no schedule trigger: there is nothing to backfill")
            throw ExitCode(2)
        }
        var fires: [(due: Date, schedule: Schedule)] = []
        for schedule in schedules {
            let zone = schedule.timeZone?.value.timeZone ?? TimeZone(identifier: "UTC")!
            guard let start = Self.time(from, in: zone), let end = Self.time(to, in: zone) else {
                printError("error: --from and --to take a date (2026-11-01), a local time (2026-11-01T09:00) or an RFC 3339 time (2026-11-01T09:00:00Z)")
                throw ExitCode(2)
            }
            guard start <= end else {
                printError("error: --from (\(from)) is after --to (\(to))")
                throw ExitCode(2)
            }
            for due in schedule.cron.value.fireTimes(from: start, through: end, in: zone, limit: maxRuns + 1) {
                fires.append((due, schedule))
            }
        }
        fires.sort { $0.due < $1.due }
        // Two schedules firing at the same moment stand for one run.
        var seen = Set<Date>()
        fires.removeAll { !seen.insert($0.due).inserted }
        guard fires.count <= maxRuns else {
            printError("error: the range holds more than \(maxRuns) fire times; narrow it or raise --max-runs")
            throw ExitCode(2)
        }
        guard !fires.isEmpty else {
            printError("note: no schedule of \(plan.name) fires between \(from) and \(to)")
            return
        }
        let statePath = launch.usesSandbox && state == nil ? nil : state ?? StateLocation.defaultPath(forPlaybookAt: file)
        let formatter = ISO8601DateFormatter()
        var failed = 0
        for (index, fire) in fires.enumerated() {
            printError("backfill \(index + 1)/\(fires.count): the run for \(formatter.string(from: fire.due)) (\(ScheduleKey(fire.schedule)))")
            let options = RunOptions(
                trigger: .schedule(schedule: ScheduleKey(fire.schedule).text, firedAt: CELTimestamp(date: fire.due)),
                baseDirectory: PlaybookLoading.folder(of: file), deadLetterPath: launch.deadLetters)
            let outcome = try await RunLauncher(plan: plan, launch: launch).run(options, statePath: statePath) { path, options in
                try await RunSession.open(path: path, plan: plan, playbookFile: file, options: options)
            }
            if let signal = outcome.signal { throw ExitCode(128 + signal) }
            if outcome.summary.status != .succeeded {
                failed += 1
                if !keepGoing {
                    printError("error: the run for \(formatter.string(from: fire.due)) did not succeed; the backfill stops here (--keep-going goes on)")
                    throw ExitCode(1)
                }
            }
        }
        printError("backfill: \(fires.count) run(s), \(fires.count - failed) succeeded, \(failed) did not")
        if failed > 0 { throw ExitCode(1) }
    }

    /// A time as written on the command line: as `playbook schedule --from` reads it (`ScheduleQuery`) (RFC 3339, or a
    /// local time in `zone`), or a date, meaning its first minute in `zone`.
    static func time(_ text: String, in zone: TimeZone) -> Date? {
        ScheduleQuery.instant(text.count == 10 ? text + "T00:00" : text, in: zone)
    }
}
