import CEL
import Testing

@Suite struct CivilCalendarTests {
    @Test(arguments: [
        (Int64(1970), Int64(1), Int64(1), Int64(0), Int64(4)),
        (2000, 2, 29, 11_016, 2),
        (2000, 3, 1, 11_017, 3),
        (2024, 6, 1, 19_875, 6),
        (1969, 12, 31, -1, 3),
        (1900, 3, 1, -25_508, 4),
        (1, 1, 1, -719_162, 1),
        (9999, 12, 31, 2_932_896, 5),
    ])
    func knownDatesHaveTheirDayNumbersAndWeekdays(year: Int64, month: Int64, day: Int64, days: Int64, weekday: Int64) {
        #expect(CivilCalendar.days(fromYear: year, month: month, day: day) == days)
        let date = CivilCalendar.date(fromDays: days)
        #expect([date.year, date.month, date.day] == [year, month, day])
        #expect(CivilCalendar.weekday(fromDays: days) == weekday)
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        var expected = CivilCalendar.days(fromYear: 1800, month: 1, day: 1)
        for year in Int64(1800)..<2200 {
            for month in Int64(1)...12 {
                for day in 1...CivilCalendar.daysInMonth(year: year, month: month) {
                    let days = CivilCalendar.days(fromYear: year, month: month, day: day)
                    guard days == expected else {
                        Issue.record("\(year)-\(month)-\(day) is day \(days), expected \(expected)")
                        return
                    }
                    expected += 1
                }
            }
        }
    }

    @Test func leapYearsFollowTheGregorianRule() {
        #expect([1900, 2000, 2023, 2024, 2100].map(CivilCalendar.isLeapYear) == [false, true, false, true, false])
        #expect(CivilCalendar.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilCalendar.daysInMonth(year: 2023, month: 2) == 28)
    }
}
