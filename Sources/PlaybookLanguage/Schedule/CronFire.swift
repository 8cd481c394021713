import Foundation

/// A date and time as the clocks of one time zone show it, to the second.
public struct WallClockTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// Seconds since 1970-01-01 00:00 on the same clocks.
    var secondsSinceEpoch: Int { CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second }

    /// A wall-clock time; the fields are not checked (`CivilDate` arithmetic normalises them).
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
    }

    /// What clocks in `timeZone` show at `date`, to the second.
    public init(at date: Date, in timeZone: TimeZone) {
        let instant = Int(date.timeIntervalSince1970.rounded(.down))
        self.init(secondsSinceEpoch: instant + ZoneClock(timeZone: timeZone).offset(at: instant))
    }

    init(secondsSinceEpoch seconds: Int) {
        let date = CivilDate(daysSinceEpoch: floorDiv(seconds, 86_400))
        let secondOfDay = seconds - floorDiv(seconds, 86_400) * 86_400
        (year, month, day) = (date.year, date.month, date.day)
        (hour, minute, second) = (secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
    }

    /// `2026-03-29 02:30`, with `:ss` only when the seconds are not zero.
    public var description: String { "\(dateText) \(timeText)" }

    /// `2026-03-29`.
    public var dateText: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    /// `02:30`, with `:ss` only when the seconds are not zero.
    public var timeText: String { "\(pad(hour, 2)):\(pad(minute, 2))" + (second == 0 ? "" : ":\(pad(second, 2))") }

    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int { CivilDate(year: year, month: month, day: day).weekday }

    /// The first instant at which clocks in `timeZone` show this time; for a time skipped by a
    /// spring-forward change, the first whole minute after the gap, as a schedule of fixed times runs it.
    public func firstInstant(in timeZone: TimeZone) -> Date {
        Date(timeIntervalSince1970: Double(ZoneClock(timeZone: timeZone).firstInstant(showing: secondsSinceEpoch)))
    }

    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// One run of a schedule, with what the clock changes around it did, for listings such as
/// `playbook schedule`.
public struct CronFire: Hashable, Sendable {
    /// Which pass of a wall-clock time that happens twice, when the clocks go back.
    public enum Pass: String, Hashable, Sendable {
        case first, second
    }

    /// When the run starts.
    public var date: Date
    /// Seconds east of UTC at that instant.
    public var utcOffset: Int
    /// The clock time at that instant.
    public var wallClock: WallClockTime
    /// Times the schedule names that a spring-forward change skipped since the previous run (or since
    /// the start of the listing). A schedule of fixed times runs them at this run; a schedule that
    /// follows real time does not run them at all.
    public var timesInGap: [WallClockTime]
    /// Which pass this is when this run's clock time happens twice; nil when it happens once.
    public var pass: Pass?
}

extension CronSchedule {
    /// The first `count` runs strictly after `date` in `timeZone`, each with the daylight-saving
    /// changes that moved, skipped or repeated it; fewer when the schedule stops firing.
    public func fires(after date: Date, in timeZone: TimeZone, count: Int) -> [CronFire] {
        let clock = ZoneClock(timeZone: timeZone)
        var fires: [CronFire] = []
        var previous = Int(date.timeIntervalSince1970.rounded(.down))
        while fires.count < count, let instant = firstFire(atOrAfter: previous + 1, in: clock) {
            let offset = clock.offset(at: instant)
            let local = instant + offset
            let occurrences = clock.instants(showing: local)
            let pass: CronFire.Pass? = occurrences.count < 2 ? nil : occurrences.first == instant ? .first : .second
            fires.append(CronFire(
                date: Date(timeIntervalSince1970: Double(instant)), utcOffset: offset,
                wallClock: WallClockTime(secondsSinceEpoch: local),
                timesInGap: clock.gaps(after: previous, through: instant).flatMap(namedMinutes(in:)), pass: pass))
            previous = instant
        }
        return fires
    }

    /// The wall-clock minutes in `range` (wall-clock seconds) that the schedule names.
    private func namedMinutes(in range: Range<Int>) -> [WallClockTime] {
        var minutes: [WallClockTime] = []
        var cursor = floorDiv(range.lowerBound + 59, 60)
        let lastYear = WallClockTime(secondsSinceEpoch: range.upperBound).year
        while let minute = nextLocalMinute(atOrAfter: cursor, throughYear: lastYear), minute * 60 < range.upperBound {
            minutes.append(WallClockTime(secondsSinceEpoch: minute * 60))
            cursor = minute + 1
        }
        return minutes
    }
}
