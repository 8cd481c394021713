import Foundation
import PlaybookLanguage
import Testing

struct CronParsingTests {
    /// Valid schedules, pinned by the first three fire times after 2026-01-01 00:00 UTC (a Thursday).
    @Test(arguments: [
        ("*/15 8-18 * * MON-FRI", ["2026-01-01T08:00:00Z", "2026-01-01T08:15:00Z", "2026-01-01T08:30:00Z"]),
        ("0 9 * * mon-fri", ["2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z", "2026-01-05T09:00:00Z"]),
        ("5/15 * * * *", ["2026-01-01T00:05:00Z", "2026-01-01T00:20:00Z", "2026-01-01T00:35:00Z"]),
        ("1-30/10 0 * * *", ["2026-01-01T00:01:00Z", "2026-01-01T00:11:00Z", "2026-01-01T00:21:00Z"]),
        ("0 0 * * 7", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"]),
        ("0 0 * * 0", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"]),
        ("0 12 * JAN,jul Sun", ["2026-01-04T12:00:00Z", "2026-01-11T12:00:00Z", "2026-01-18T12:00:00Z"]),
        ("0 0 1 */3 *", ["2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"]),
        ("0 9 * * FRI-SUN", ["2026-01-02T09:00:00Z", "2026-01-03T09:00:00Z", "2026-01-04T09:00:00Z"]),
        ("0 9 * JUL WED", ["2026-07-01T09:00:00Z", "2026-07-08T09:00:00Z", "2026-07-15T09:00:00Z"]),
        ("30 23 31 * *", ["2026-01-31T23:30:00Z", "2026-03-31T23:30:00Z", "2026-05-31T23:30:00Z"]),
        ("0,30 6 * * 1,3,5", ["2026-01-02T06:00:00Z", "2026-01-02T06:30:00Z", "2026-01-05T06:00:00Z"]),
        ("  0   6  * *  *  ", ["2026-01-01T06:00:00Z", "2026-01-02T06:00:00Z", "2026-01-03T06:00:00Z"]),
        ("@weekly", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"]),
        ("@hourly", ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"]),
        ("@daily", ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"]),
        ("@midnight", ["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"]),
        ("@monthly", ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"]),
        ("@yearly", ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"]),
        ("@ANNUALLY", ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"]),
    ])
    func validScheduleFiresAtExpectedTimes(text: String, expected: [String]) throws {
        let schedule = try #require(CronSchedule.parse(text).value, "\(CronSchedule.parse(text).errors)")
        var times: [Date] = []
        var cursor = instant("2026-01-01T00:00:00Z")
        for _ in expected {
            cursor = try #require(schedule.nextFire(after: cursor, in: zone("UTC")))
            times.append(cursor)
        }
        #expect(times == expected.map(instant))
    }

    @Test(arguments: [
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@yearly", "0 0 1 1 *"),
        ("@hourly", "0 * * * *"), ("*/5  *\t* * MON", "*/5 * * * MON"),
    ])
    func expressionIsTheFiveFieldForm(text: String, expression: String) throws {
        #expect(try #require(CronSchedule.parse(text).value).expression == expression)
    }

    /// Invalid schedules: the first error's message fragment and byte range.
    @Test(arguments: [
        ("", "the schedule is empty", 0, 0),
        ("0 24 * * *", "in the hour field: 24 is out of range 0–23", 2, 4),
        ("60 * * * *", "in the minute field: 60 is out of range 0–59", 0, 2),
        ("0 0 0 * *", "in the day-of-month field: 0 is out of range 1–31", 4, 5),
        ("0 0 * 13 *", "in the month field: 13 is out of range 1–12", 6, 8),
        ("0 0 * * 8", "in the day-of-week field: 8 is out of range 0–7", 8, 9),
        ("0 0 * * 99999999999999999999", "in the day-of-week field: 99999999999999999999 is out of range", 8, 28),
        ("0 9 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4", 0, 7),
        ("0 0 9 * * MON", "found 6 fields; a seconds field is not supported", 0, 13),
        ("0 0 9 ? * MON *", "found 7 fields; Quartz-style seconds and year fields", 0, 15),
        ("0 9 ? * MON", "in the day-of-month field: '?' is Quartz syntax", 4, 5),
        ("0 9 L * *", "in the day-of-month field: 'L' (last day) is Quartz syntax", 4, 5),
        ("0 9 15W * *", "in the day-of-month field: '15W' (nearest weekday) is Quartz syntax", 4, 7),
        ("0 9 * * MON#1", "in the day-of-week field: 'MON#1' (the nth weekday of a month) is not supported", 8, 13),
        ("0 9 * * 5L", "in the day-of-week field: '5L' (last day)", 8, 10),
        ("@reboot", "'@reboot' is not supported", 0, 7),
        ("@dayly", "unknown macro '@dayly'", 0, 6),
        ("@daily 5", "a macro such as '@daily' stands alone", 7, 8),
        ("0 9 * * MOM", "in the day-of-week field: 'MOM' is not a day name", 8, 11),
        ("0 9 * JAM *", "in the month field: 'JAM' is not a month name", 6, 9),
        ("0 9 * * JAN", "in the day-of-week field: 'JAN' is a month name", 8, 11),
        ("0 9 * * MONDAY", "in the day-of-week field: write the three-letter name 'MON'", 8, 14),
        ("0 MON * * *", "in the hour field: 'MON' is not a number", 2, 5),
        ("0 18-9 * * *", "in the hour field: the range 18-9 runs backwards", 2, 6),
        ("*/0 * * * *", "in the minute field: a step must be at least 1", 2, 3),
        ("*/60 * * * *", "in the minute field: a step of 60 is larger than the field allows", 2, 4),
        ("*/x * * * *", "in the minute field: the step 'x' is not a number", 2, 3),
        ("0 9 * * MON-FRI/", "in the day-of-week field: a step needs a number after '/'", 15, 16),
        ("1,,2 * * * *", "in the minute field: a list has an empty item", 2, 3),
        ("0 9 * * 1-", "in the day-of-week field: a range needs an end after '-'", 8, 10),
        ("0 9 * * ŚR", "in the day-of-week field: 'ŚR' is not a day name", 8, 11),
        ("0 9 ŚR * 1-x", "in the day-of-month field: 'ŚR' is not a number", 4, 7),
    ])
    func invalidScheduleReportsFieldAndRange(text: String, message: String, start: Int, end: Int) throws {
        let errors = CronSchedule.parse(text).errors
        let first = try #require(errors.first)
        #expect(first.message.hasPrefix(message), "got: \(first.message)")
        #expect(first.range.start == start && first.range.end == end, "got \(first.range)")
    }

    @Test func everyBadFieldIsReported() {
        let errors = CronSchedule.parse("60 24 0 13 8").errors
        #expect(errors.map(\.message) == [
            "in the minute field: 60 is out of range 0–59",
            "in the hour field: 24 is out of range 0–23",
            "in the day-of-month field: 0 is out of range 1–31",
            "in the month field: 13 is out of range 1–12",
            "in the day-of-week field: 8 is out of range 0–7",
        ])
        #expect(errors.map(\.range.start) == [0, 3, 6, 8, 11])
    }

    @Test(arguments: [
        ("@dayly", "@daily"), ("0 18-9 * * *", "18-23,0-9"), ("0 9 ? * MON", "*"),
        ("0 9 * * MONDAY", "MON"), ("0 9 * * MOM", "MON"), ("@daily 5", ""),
    ])
    func fixableMistakesOfferAReplacement(text: String, replacement: String) {
        #expect(CronSchedule.parse(text).errors.first?.replacement == replacement)
    }

    @Test func errorHelpShowsTheFieldOrder() throws {
        let error = try #require(CronSchedule.parse("0 9 * *").errors.first)
        #expect(error.help?.contains("minute hour day-of-month month day-of-week") == true)
    }

    @Test func errorRangesMoveIntoTheFile() throws {
        let error = try #require(CronSchedule.parse("0 24 * * *").errors.first)
        let diagnostic = error.diagnostic("PB0401", offsetBy: 100)
        #expect(diagnostic.range.start == 102 && diagnostic.range.end == 104)
        #expect(diagnostic.message == error.message)
    }
}
