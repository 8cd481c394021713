import Diagnostics

/// A five-field cron schedule: `minute hour day-of-month month day-of-week`, or a macro such as `@daily`.
///
/// Supported syntax: `*`, numbers, lists (`1,15`), ranges (`9-17`), steps (`*/5`, `1-30/2`, and `5/15`
/// meaning from 5 every 15), month names `JAN`–`DEC` and day names `SUN`–`SAT` (any case, also in
/// ranges such as `MON-FRI`), day-of-week 0–7 where both 0 and 7 are Sunday, and the macros `@yearly`,
/// `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly`. Seconds fields, `@reboot`
/// and Quartz extensions (`?`, `L`, `W`, `#`) are rejected.
///
/// Day matching follows classic cron: when both day-of-month and day-of-week are restricted (neither
/// is exactly `*`), a day matches if **either** matches, so `0 9 1 * MON` runs on the 1st and on every
/// Monday. When one of them is `*`, only the other one decides. `*/2` counts as restricted.
///
/// Daylight-saving changes follow Vixie cron and cronie: see `followsRealTime` and `nextFire(after:in:)`.
public struct CronSchedule: Hashable, Sendable, CustomStringConvertible {
    /// The schedule as written.
    public let text: String
    /// The same schedule in five-field form; a macro is expanded (`@daily` → `0 0 * * *`).
    public let expression: String
    /// Whether the schedule follows real time rather than naming fixed times of day: true when the
    /// minute or the hour field starts with `*` after macro expansion (`*/15 * * * *`, `30 * * * *`,
    /// `@hourly`), as Vixie cron and cronie decide.
    ///
    /// Such a schedule fires at every instant whose wall-clock time matches: a minute skipped by a
    /// spring-forward change does not run, and a minute repeated by a fall-back change runs in both
    /// passes. Any other schedule (`30 2 * * *`, `@daily`) names times of day that run once a day
    /// whatever the clock does: see `nextFire(after:in:)`.
    public let followsRealTime: Bool

    // One bit per allowed value; bit n set means value n is allowed.
    let minutes: UInt64
    let hours: UInt64
    let daysOfMonth: UInt64
    let months: UInt64
    /// Sunday is bit 0; a written 7 is stored as 0.
    let daysOfWeek: UInt64
    let dayOfMonthIsWildcard: Bool
    let dayOfWeekIsWildcard: Bool
    /// Where the day-of-month field is in `text`, for `neverFiresProblem`.
    let dayOfMonthRange: SourceRange

    public var description: String { text }

    /// Why this schedule can never fire (`0 0 30 2 *`: February has no 30th), or nil if it can.
    ///
    /// Parsing accepts such a schedule, as cron does; the decoder should report this problem.
    public var neverFiresProblem: LiteralError? {
        // With a restricted day-of-week, some weekday always comes round, so only this case can be empty.
        guard dayOfWeekIsWildcard, !dayOfMonthIsWildcard else { return nil }
        let firstDay = daysOfMonth.trailingZeroBitCount
        let allowedMonths = (1...12).filter { months.contains($0) }
        let longest = allowedMonths.map { CivilDate.daysInMonth(year: 2000, month: $0) }.max() ?? 31
        guard firstDay > longest else { return nil }
        return LiteralError(.cronNeverRuns(day: firstDay, months: allowedMonths), at: dayOfMonthRange)
    }

    /// The day-of-month and day-of-week fields as written, when both are restricted, so that a day
    /// matching either runs (`0 9 1-7 * MON`: days 1 to 7 and every Monday), which is rarely meant.
    /// `weekdays` are the days the day-of-week field allows, numbered as `getDayOfWeek` numbers them
    /// (Sunday is 0).
    public var eitherDayFields: (dayOfMonth: String, dayOfWeek: String, withoutWeekday: String, weekdays: [Int])? {
        guard !dayOfMonthIsWildcard, !dayOfWeekIsWildcard else { return nil }
        let fields = expression.split(separator: " ").map(String.init)
        guard fields.count == 5 else { return nil }
        let weekdays = (0...6).filter { daysOfWeek.contains($0) }
        return (fields[2], fields[4], fields[0..<4].joined(separator: " ") + " *", weekdays)
    }

    /// Whether the schedule allows this local date and time (seconds are ignored).
    func matches(year: Int, month: Int, day: Int, hour: Int, minute: Int) -> Bool {
        months.contains(month) && hours.contains(hour) && minutes.contains(minute)
            && dayMatches(year: year, month: month, day: day)
    }

    func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let weekday = CivilDate(year: year, month: month, day: day).weekday
        let byMonthDay = daysOfMonth.contains(day)
        let byWeekday = daysOfWeek.contains(weekday)
        // Classic cron: OR only when both are restricted; a wildcard's mask is full, so AND is right otherwise.
        if dayOfMonthIsWildcard || dayOfWeekIsWildcard { return byMonthDay && byWeekday }
        return byMonthDay || byWeekday
    }
}

/// One of the five fields of a cron schedule.
public enum CronField: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in messages: `minute`, `hour`, `day-of-month`, `month`, `day-of-week`.
    public var description: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values the field accepts as written (day-of-week accepts 7 for Sunday).
    public var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    static let fullMonthNames = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
                                 "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]
    static let fullDayNames = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]

    /// The names the field accepts, upper-case, with the value each stands for.
    var names: [(name: String, value: Int)] {
        switch self {
        case .month: Self.monthNames.enumerated().map { ($0.element, $0.offset + 1) }
        case .dayOfWeek: Self.dayNames.enumerated().map { ($0.element, $0.offset) }
        default: []
        }
    }
}

extension UInt64 {
    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && self & (1 << UInt64(value)) != 0 }

    /// The smallest allowed value at or above `value`, if any.
    func next(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = self >> UInt64(value)
        return remaining == 0 ? nil : value + remaining.trailingZeroBitCount
    }
}
