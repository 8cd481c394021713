import Diagnostics
import Foundation
@testable import PlaybookLanguage
import Testing

struct CronNextFireTests {
    /// (schedule, zone, after, expected next fire). 2026 transitions: Warsaw springs forward on
    /// 29 March 02:00→03:00 and falls back on 25 October 03:00→02:00; New York on 8 March 02:00→03:00
    /// and 1 November 02:00→01:00.
    @Test(arguments: [
        // A skipped wall-clock time runs once, at the first minute after the gap.
        ("30 2 * * *", "Europe/Warsaw", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("30 2 * * *", "Europe/Warsaw", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"),
        ("0 2 * * *", "Europe/Warsaw", "2026-03-29T01:59:59+01:00", "2026-03-29T03:00:00+02:00"),
        ("0 3 * * *", "Europe/Warsaw", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("*/15 * * * *", "Europe/Warsaw", "2026-03-29T01:50:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("*/15 * * * *", "Europe/Warsaw", "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00"),
        // A repeated wall-clock time runs once, at its first occurrence.
        ("30 2 * * *", "Europe/Warsaw", "2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00"),
        ("30 2 * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"),
        ("*/30 * * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00"),
        ("*/15 * * * *", "Europe/Warsaw", "2026-10-25T02:10:00+01:00", "2026-10-25T03:00:00+01:00"),
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00:00-05:00", "2026-03-08T03:00:00-04:00"),
        ("0 9 * * *", "America/New_York", "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00"),
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00", "2026-11-01T01:30:00-04:00"),
        ("30 1 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"),
        ("0 * * * *", "America/New_York", "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00"),
        // Leap days, including across 2100, which is not a leap year.
        ("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"),
        ("@weekly", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z"),
        ("@weekly", "Europe/Warsaw", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00+01:00"),
        // Strictly after: a fire time equal to `after`, or a second later, moves on.
        ("0 9 * * *", "UTC", "2026-01-01T09:00:00Z", "2026-01-02T09:00:00Z"),
        ("0 9 * * *", "UTC", "2026-01-01T08:59:59Z", "2026-01-01T09:00:00Z"),
        ("0 0 1 1 *", "UTC", "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z"),
    ])
    func nextFire(schedule: String, zoneName: String, after: String, expected: String) throws {
        let cron = try #require(CronSchedule.parse(schedule).value)
        #expect(cron.nextFire(after: instant(after), in: zone(zoneName)) == instant(expected))
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 FEB-APR/2 *"])
    func impossibleDateNeverFires(schedule: String) throws {
        let cron = try #require(CronSchedule.parse(schedule).value)
        #expect(cron.nextFire(after: instant("2026-01-01T00:00:00Z"), in: zone("UTC")) == nil)
        let problem = try #require(cron.neverFiresProblem)
        #expect(problem.message.hasPrefix("this schedule never runs"))
        #expect(problem.range == SourceRange(start: 4, end: schedule.split(separator: " ")[2].utf8.count + 4))
    }

    @Test(arguments: ["0 0 29 2 *", "0 0 30 2 MON", "0 0 31 * *", "@yearly"])
    func possibleDateHasNoProblem(schedule: String) throws {
        #expect(try #require(CronSchedule.parse(schedule).value).neverFiresProblem == nil)
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        // 2026-02-01 and 2026-03-01 are Sundays: they run as the 1st; Mondays run as Mondays.
        let cron = try #require(CronSchedule.parse("0 9 1 * MON").value)
        let times = cron.fireTimes(from: instant("2026-02-01T00:00:00Z"), through: instant("2026-03-02T23:59:00Z"),
                                   in: zone("UTC"), limit: 100)
        #expect(times == ["2026-02-01", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-01", "2026-03-02"]
            .map { instant("\($0)T09:00:00Z") })
    }

    @Test func aStepInDayOfMonthCountsAsRestricted() throws {
        let cron = try #require(CronSchedule.parse("0 9 */10 * MON").value)
        let times = cron.fireTimes(from: instant("2026-02-01T00:00:00Z"), through: instant("2026-02-28T23:59:00Z"),
                                   in: zone("UTC"), limit: 100)
        #expect(times == ["2026-02-01", "2026-02-02", "2026-02-09", "2026-02-11", "2026-02-16", "2026-02-21", "2026-02-23"]
            .map { instant("\($0)T09:00:00Z") })
    }

    @Test func dayOfWeekAloneWhenDayOfMonthIsWildcard() throws {
        let cron = try #require(CronSchedule.parse("0 9 * * MON").value)
        let times = cron.fireTimes(from: instant("2026-02-01T00:00:00Z"), through: instant("2026-02-28T23:59:00Z"),
                                   in: zone("UTC"), limit: 100)
        #expect(times == ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"].map { instant("\($0)T09:00:00Z") })
    }

    @Test func fireTimesIncludeBothEndsAndStopAtTheLimit() throws {
        let cron = try #require(CronSchedule.parse("@hourly").value)
        let from = instant("2026-01-01T00:00:00Z")
        let through = instant("2026-01-01T05:00:00Z")
        #expect(cron.fireTimes(from: from, through: through, in: zone("UTC"), limit: 100).count == 6)
        #expect(cron.fireTimes(from: from, through: through, in: zone("UTC"), limit: 3)
            == ["00", "01", "02"].map { instant("2026-01-01T\($0):00:00Z") })
        #expect(cron.fireTimes(from: through, through: from, in: zone("UTC"), limit: 100).isEmpty)
    }

    @Test func fireTimesAcrossSpringForwardRunOnceAfterTheGap() throws {
        let cron = try #require(CronSchedule.parse("*/30 * * * *").value)
        let times = cron.fireTimes(from: instant("2026-03-29T01:00:00+01:00"), through: instant("2026-03-29T03:30:00+02:00"),
                                   in: zone("Europe/Warsaw"), limit: 100)
        #expect(times == ["2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                          "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"].map(instant))
    }

    @Test func fireTimesAcrossFallBackSkipTheRepeatedHour() throws {
        let cron = try #require(CronSchedule.parse("0,30 * * * *").value)
        let times = cron.fireTimes(from: instant("2026-11-01T00:30:00-04:00"), through: instant("2026-11-01T02:00:00-05:00"),
                                   in: zone("America/New_York"), limit: 100)
        #expect(times == ["2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                          "2026-11-01T02:00:00-05:00"].map(instant))
    }

    /// Away from DST changes, the field-skipping search must agree with checking every minute.
    @Test(arguments: ["*/7 9-17 * * MON-FRI", "15 3 1,15,31 * *",
                      "0 12 13 * FRI", "*/20 */5 29 2 *", "59 23 * * SAT"])
    func searchAgreesWithMinuteByMinuteScan(schedule: String) throws {
        let cron = try #require(CronSchedule.parse(schedule).value)
        let start = instant("2027-12-20T00:00:00Z")
        let end = instant("2028-03-10T00:00:00Z")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone("UTC")
        var expected: [Date] = []
        for minute in stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: 60) {
            let date = Date(timeIntervalSince1970: minute)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            if cron.matches(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!) {
                expected.append(date)
            }
        }
        #expect(!expected.isEmpty)
        #expect(cron.fireTimes(from: start, through: end, in: zone("UTC"), limit: 100_000) == expected)
    }
}
