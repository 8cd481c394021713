import CEL

/// A date on the proleptic Gregorian calendar, with the integer arithmetic the scheduler needs.
///
/// Cron matching works on wall-clock fields; doing that arithmetic with integers (`CivilCalendar`)
/// keeps `Calendar` out of the search loop.
struct CivilDate: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    /// Days since 1970-01-01.
    var daysSinceEpoch: Int { Int(CivilCalendar.days(fromYear: Int64(year), month: Int64(month), day: Int64(day))) }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(daysSinceEpoch days: Int) {
        let date = CivilCalendar.date(fromDays: Int64(days))
        self.init(year: Int(date.year), month: Int(date.month), day: Int(date.day))
    }

    /// 0 = Sunday … 6 = Saturday, as cron numbers them.
    var weekday: Int { Int(CivilCalendar.weekday(fromDays: Int64(daysSinceEpoch))) }

    static func isLeapYear(_ year: Int) -> Bool { CivilCalendar.isLeapYear(Int64(year)) }

    static func daysInMonth(year: Int, month: Int) -> Int { Int(CivilCalendar.daysInMonth(year: Int64(year), month: Int64(month))) }
}

/// Integer division rounding towards negative infinity, for times before 1970.
func floorDiv(_ value: Int, _ divisor: Int) -> Int {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
