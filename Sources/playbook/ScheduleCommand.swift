import ArgumentParser
import CEL
import Diagnostics
import Foundation
import PlaybookLanguage

/// `playbook schedule`: the next times a cron schedule runs, and what daylight-saving changes do to them.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show the next times a cron schedule runs.",
        discussion: """
            Lists each run's local time, UTC offset and UTC instant, and marks runs that a daylight-saving \
            change moves, skips or repeats. --from takes an RFC 3339 time (2026-03-28T12:00:00Z) or a local \
            time in the zone (2026-03-28T12:00); the default is now. With --jsonl, each stdin line is a \
            request {"schedule": "...", "timezone": "...", "from": "...", "count": 10} and each output line \
            is the --format json answer, or {"errors": [...]}. Exit status: 0 success, 2 invalid schedule, \
            time zone or option.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("The cron schedule, quoted: \"30 2 * * *\", \"@daily\".", valueName: "CRON"))
    var schedule: String?

    @Option(help: ArgumentHelp("The IANA time zone the schedule runs in.", valueName: "ZONE"))
    var timezone = "UTC"

    @Option(help: ArgumentHelp("List the runs after this time (default: now).", valueName: "TIME"))
    var from: String?

    @Option(help: "How many runs to list.")
    var count = 10

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Read JSON-lines requests from stdin and answer one line each.")
    var jsonl = false

    func run() throws {
        if jsonl {
            guard schedule == nil else { throw usage("--jsonl reads schedules from stdin; do not pass CRON") }
            while let line = readLine() {
                if line.allSatisfy(\.isWhitespace) { continue }
                print(ScheduleQuery.answer(jsonLine: line, now: Date()).text)
            }
            return
        }
        guard let schedule else { throw usage("missing schedule; usage: playbook schedule \"CRON\" [--timezone ZONE]") }
        let query = ScheduleQuery(schedule: schedule, timeZone: timezone, from: from, count: count)
        switch query.answer(now: Date()) {
        case .listing(let listing):
            switch format {
            case .text:
                if !listing.warnings.isEmpty {
                    let file = SourceFile(path: "schedule", text: schedule)
                    printError(listing.warnings.map { TextRenderer().render($0, in: file) }.joined(separator: "\n"))
                }
                print(listing.text, terminator: "")
            case .json:
                print(listing.json.serialized())
            }
        case .problems(let files):
            switch format {
            case .text:
                printError(files.flatMap { file in file.diagnostics.map { TextRenderer().render($0, in: file.file) } }.joined(separator: "\n"))
            case .json:
                print(JSONRenderer().render(DiagnosticReport(files: files, catalogue: PlaybookDiagnostics.catalogue)), terminator: "")
            }
            throw ExitCode(2)
        case .usage(let message):
            throw usage(message)
        }
    }

    /// Prints a usage problem and exits with status 2.
    private func usage(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return ExitCode(2)
    }
}

/// One question to `playbook schedule`: a schedule, a zone, where to start and how many runs.
struct ScheduleQuery {
    var schedule: String
    var timeZone: String
    var from: String?
    var count: Int

    static let largestCount = 10_000
    /// 9999-12-30 00:00 UTC: RFC 3339 has four-digit years, so runs after this (in any zone) are not listed.
    static let lastListedInstant = Date(timeIntervalSince1970: 253_402_128_000)

    enum Answer {
        case listing(ScheduleListing)
        /// Problems in the schedule or zone text, each positioned in its own text.
        case problems([FileDiagnostics])
        /// A problem with another option.
        case usage(String)
    }

    func answer(now: Date) -> Answer {
        let scheduleFile = FileDiagnostics(file: SourceFile(path: "schedule", text: schedule),
                                           diagnostics: ScheduleDiagnostics.schedule(schedule, timeZone: timeZone))
        let zoneFile = FileDiagnostics(file: SourceFile(path: "timezone", text: timeZone), diagnostics: ScheduleDiagnostics.timeZone(timeZone))
        let withErrors = [scheduleFile, zoneFile].filter { $0.errorCount > 0 }
        guard withErrors.isEmpty, let cron = CronSchedule.parse(schedule).value, let zone = TimeZoneName.parse(timeZone).value else {
            return .problems(withErrors)
        }
        guard (1...Self.largestCount).contains(count) else {
            return .usage("--count must be between 1 and \(Self.largestCount), got \(count)")
        }
        var start = now
        if let from {
            guard let instant = Self.instant(from, in: zone.timeZone) else {
                return .usage("--from: '\(from)' is not a time; write an RFC 3339 time such as 2026-03-28T12:00:00Z, or a local time such as 2026-03-28T12:00")
            }
            start = instant
        }
        guard start < Self.lastListedInstant else { return .usage("--from must be before the year 9999") }
        let fires = cron.fires(after: start, in: zone.timeZone, count: count).prefix { $0.date <= Self.lastListedInstant }
        return .listing(ScheduleListing(cron: cron, zone: zone, from: start, fires: Array(fires), warnings: scheduleFile.diagnostics))
    }

    /// An RFC 3339 time, or a local `YYYY-MM-DDTHH:MM[:SS]` read on the zone's clocks (a time skipped
    /// by a clock change reads as the first minute after the gap).
    static func instant(_ text: String, in zone: TimeZone) -> Date? {
        if let stamp = CELTimestamp(rfc3339: text) { return Date(timeIntervalSince1970: Double(stamp.nanos) / 1e9) }
        // Digits where the pattern has `d`: YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, with `T` or a space.
        let bytes = Array(text.utf8)
        let pattern = Array("dddd-dd-ddTdd:dd:dd".utf8)
        guard bytes.count == 16 || bytes.count == 19 else { return nil }
        for (byte, expected) in zip(bytes, pattern) {
            let matches = switch expected {
            case UInt8(ascii: "d"): (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            case UInt8(ascii: "T"): byte == UInt8(ascii: "T") || byte == UInt8(ascii: " ")
            default: byte == expected
            }
            guard matches else { return nil }
        }
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let time = WallClockTime(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4],
                                 second: numbers.count == 6 ? numbers[5] : 0)
        guard (1...12).contains(time.month), (1...Int(CivilCalendar.daysInMonth(year: Int64(time.year), month: Int64(time.month)))).contains(time.day),
              (0...23).contains(time.hour), (0...59).contains(time.minute), (0...59).contains(time.second) else { return nil }
        return time.firstInstant(in: zone)
    }

    /// The answer to one `--jsonl` request line, as one JSON value.
    static func answer(jsonLine: String, now: Date) -> JSONValue {
        let request: JSONValue
        do {
            request = try JSONValue(parsing: jsonLine)
        } catch {
            return errors([("request", error.message)])
        }
        guard case .string(let schedule)? = request["schedule"] else { return errors([("request", "needs \"schedule\": a string")]) }
        var query = ScheduleQuery(schedule: schedule, timeZone: "UTC", from: nil, count: 10)
        switch request["timezone"] {
        case .string(let zone)?: query.timeZone = zone
        case nil, .null?: break
        default: return errors([("request", "\"timezone\" must be a string")])
        }
        switch request["from"] {
        case .string(let from)?: query.from = from
        case nil, .null?: break
        default: return errors([("request", "\"from\" must be a string")])
        }
        switch request["count"] {
        case .int(let count)?: query.count = Int(clamping: count)
        case nil, .null?: break
        default: return errors([("request", "\"count\" must be a whole number")])
        }
        switch query.answer(now: now) {
        case .listing(let listing): return listing.json
        case .problems(let files): return errors(files.flatMap { file in file.diagnostics.map { (file.file.path, $0.message) } })
        case .usage(let message): return errors([("request", message)])
        }
    }

    private static func errors(_ problems: [(place: String, message: String)]) -> JSONValue {
        .object([("errors", .array(problems.map { .object([("in", .string($0.place)), ("message", .string($0.message))]) }))])
    }
}
