import CEL
import Diagnostics
import Foundation
import PlaybookLanguage

/// The runs `playbook schedule` lists, as text for people and JSON for programs.
struct ScheduleListing {
    var cron: CronSchedule
    var zone: TimeZoneName
    var from: Date
    var fires: [CronFire]
    /// Warnings about the schedule text, positioned in it.
    var warnings: [Diagnostic]

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    var text: String {
        let written = cron.text.trimmingCharacters(in: .whitespaces)
        let expansion = written == cron.expression ? "" : "  (\(cron.expression))"
        let kind = cron.followsRealTime
            ? "follows real time: a minute skipped by a clock change does not run, a repeated minute runs twice"
            : "fixed times of day: a time skipped by a clock change runs once just after it, a repeated time runs once"
        let offset = zone.timeZone.secondsFromGMT(for: from)
        let start = WallClockTime(at: from, in: zone.timeZone)
        var lines = [
            "Schedule:  \(written)\(expansion)",
            "Time zone: \(zone.identifier)",
            "DST rule:  \(kind)",
            "",
            "Next \(fires.count == 1 ? "run" : "\(fires.count) runs") after \(start) \(Self.offsetText(offset)) (\(Self.utcText(from))):",
        ]
        for fire in fires {
            var line = "  \(Self.weekdays[fire.wallClock.weekday]) \(fire.wallClock) \(Self.offsetText(fire.utcOffset))  \(Self.utcText(fire.date))"
            let notes = notes(for: fire)
            if !notes.isEmpty { line += "  " + notes.joined(separator: "; ") }
            lines.append(line)
        }
        if fires.isEmpty {
            lines.append("  (none: the schedule does not run again)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: JSONValue {
        .object([
            ("schedule", .string(cron.text)),
            ("expression", .string(cron.expression)),
            ("timezone", .string(zone.identifier)),
            ("follows_real_time", .bool(cron.followsRealTime)),
            ("from", .string(Self.utcText(from))),
            ("warnings", .array(warnings.map { .string($0.message) })),
            ("fires", .array(fires.map(json))),
        ])
    }

    private func json(_ fire: CronFire) -> JSONValue {
        let offset = Self.offsetText(fire.utcOffset)
        var members: [(String, JSONValue)] = [
            ("utc", .string(Self.utcText(fire.date))),
            ("local", .string("\(fire.wallClock.dateText)T\(Self.timeWithSeconds(fire.wallClock))\(offset)")),
            ("utc_offset", .string(offset)),
        ]
        if !fire.timesInGap.isEmpty {
            let times = JSONValue.array(fire.timesInGap.map { .string("\($0.dateText)T\($0.timeText)") })
            members.append((cron.followsRealTime ? "skipped" : "moved_from", times))
        }
        if let pass = fire.pass { members.append(("pass", .string(pass.rawValue))) }
        let notes = notes(for: fire)
        if !notes.isEmpty { members.append(("note", .string(notes.joined(separator: "; ")))) }
        return .object(members)
    }

    /// What the clock changes did to this run, in words.
    private func notes(for fire: CronFire) -> [String] {
        var notes: [String] = []
        if !fire.timesInGap.isEmpty {
            let sameDay = fire.timesInGap.allSatisfy { $0.dateText == fire.wallClock.dateText }
            let times = Self.list(fire.timesInGap.map { sameDay ? $0.timeText : $0.description })
            let verb = fire.timesInGap.count == 1 ? "does" : "do"
            let when = sameDay ? " on this day" : ""
            if cron.followsRealTime {
                notes.append("\(times) \(verb) not exist\(when): not run")
            } else {
                let runs = fire.timesInGap.count == 1 ? "runs" : "run once"
                notes.append("\(times) \(verb) not exist\(when): \(runs) at \(sameDay ? fire.wallClock.timeText : fire.wallClock.description)")
            }
        }
        switch (fire.pass, cron.followsRealTime) {
        case (.first?, false):
            notes.append("\(fire.wallClock.timeText) happens twice on this day: runs the first time only")
        case (let pass?, true):
            notes.append("\(fire.wallClock.timeText) happens twice on this day (clocks go back): \(pass.rawValue) pass, at \(Self.offsetText(fire.utcOffset))")
        default:
            break
        }
        return notes
    }

    /// `02:30`, `02:00 and 02:30`, `02:00, 02:15 and 02:30`, or `02:00 to 02:59 (60 times)`.
    private static func list(_ items: [String]) -> String {
        switch items.count {
        case 1: items[0]
        case 2...4: items.dropLast().joined(separator: ", ") + " and " + items.last!
        default: "\(items.first!) to \(items.last!) (\(items.count) times)"
        }
    }

    private static func timeWithSeconds(_ time: WallClockTime) -> String {
        time.second == 0 ? time.timeText + ":00" : time.timeText
    }

    /// `+02:00`, `-05:00`, `+05:30`; seconds too in the rare historical zones that had them.
    static func offsetText(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        var text = (seconds < 0 ? "-" : "+") + two(magnitude / 3600) + ":" + two(magnitude / 60 % 60)
        if magnitude % 60 != 0 { text += ":" + two(magnitude % 60) }
        return text
    }

    static func utcText(_ date: Date) -> String {
        CELTimestamp(nanos: Int128((date.timeIntervalSince1970 * 1e9).rounded())).rfc3339
    }
}
