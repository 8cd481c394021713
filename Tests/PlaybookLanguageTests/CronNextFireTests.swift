import Diagnostics
import Foundation
@testable import PlaybookLanguage
import Testing

struct CronNextFireTests {
    /// (schedule, zone, after, expected next fire) away from clock changes, and at changes for
    /// schedules of fixed times of day. 2026 transitions: Warsaw springs forward on 29 March
    /// 02:00→03:00 and falls back on 25 October 03:00→02:00; New York on 8 March 02:00→03:00 and
    /// 1 November 02:00→01:00.
    @Test(arguments: [
        // A skipped time of day runs once, at the first minute after the gap.
        ("30 2 * * *", "Europe/Warsaw", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("30 2 * * *", "Europe/Warsaw", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"),
        ("0 2 * * *", "Europe/Warsaw", "2026-03-29T01:59:59+01:00", "2026-03-29T03:00:00+02:00"),
        ("0 3 * * *", "Europe/Warsaw", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("0,30 2 * * *", "Europe/Warsaw", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("0,30 2 * * *", "Europe/Warsaw", "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"),
        ("30 2 * * *", "America/New_York", "2026-03-07T12:00:00-05:00", "2026-03-08T03:00:00-04:00"),
        // A repeated time of day runs once, at its first occurrence, even when every minute is named.
        ("30 2 * * *", "Europe/Warsaw", "2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00"),
        ("30 2 * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"),
        ("0-59/30 2 * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-26T02:00:00+01:00"),
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00", "2026-11-01T01:30:00-04:00"),
        ("30 1 * * *", "America/New_York", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"),
        ("0 9 * * *", "America/New_York", "2026-03-07T09:00:00-05:00", "2026-03-08T09:00:00-04:00"),
        // Lord Howe Island moves its clocks by 30 minutes: 02:00→02:30 on 4 October, 02:00→01:30 on 5 April.
        ("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00+10:30", "2026-10-04T02:30:00+11:00"),
        ("45 1 * * *", "Australia/Lord_Howe", "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"),
        // São Paulo kept DST until 2019, changing at midnight: 00:00→01:00 on 4 November 2018, and
        // 00:00→23:00 on the night of 16–17 February 2019, so 23:xx on the 16th happened twice.
        ("0 0 * * *", "America/Sao_Paulo", "2018-11-03T12:00:00-03:00", "2018-11-04T01:00:00-02:00"),
        ("30 23 * * *", "America/Sao_Paulo", "2019-02-16T23:30:00-02:00", "2019-02-17T23:30:00-03:00"),
        // Sydney, southern hemisphere: 02:00→03:00 on 4 October, 03:00→02:00 on 5 April.
        ("30 2 * * *", "Australia/Sydney", "2026-10-03T12:00:00+10:00", "2026-10-04T03:00:00+11:00"),
        ("30 2 * * *", "Australia/Sydney", "2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"),
        // Kolkata has no DST.
        ("30 2 * * *", "Asia/Kolkata", "2026-03-28T12:00:00+05:30", "2026-03-29T02:30:00+05:30"),
        // Changes of standard time count too: Moscow went from +04:00 to +03:00 on 26 October 2014
        // (01:00–01:59 twice), and Samoa skipped 30 December 2011 entirely.
        ("30 1 * * *", "Europe/Moscow", "2014-10-26T01:30:00+04:00", "2014-10-27T01:30:00+03:00"),
        ("0 9 30 12 *", "Pacific/Apia", "2011-12-29T12:00:00-10:00", "2011-12-31T00:00:00+14:00"),
        ("0 9 * * *", "Pacific/Apia", "2011-12-29T09:00:00-10:00", "2011-12-31T00:00:00+14:00"),
        ("0 9 * * *", "Pacific/Apia", "2011-12-31T00:00:00+14:00", "2011-12-31T09:00:00+14:00"),
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
        #expect(!cron.followsRealTime)
        #expect(cron.nextFire(after: instant(after), in: zone(zoneName)) == instant(expected))
    }

    /// (schedule, zone, after, expected next fire) for schedules that follow real time: a skipped
    /// minute does not run, a repeated one runs in both passes.
    @Test(arguments: [
        ("*/15 * * * *", "Europe/Warsaw", "2026-03-29T01:50:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("*/15 * * * *", "Europe/Warsaw", "2026-03-29T03:00:00+02:00", "2026-03-29T03:15:00+02:00"),
        ("30 * * * *", "Europe/Warsaw", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"),
        ("@hourly", "Europe/Warsaw", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("* * * * *", "Europe/Warsaw", "2026-03-29T01:59:00+01:00", "2026-03-29T03:00:00+02:00"),
        ("* 2 * * *", "Europe/Warsaw", "2026-03-28T12:00:00+01:00", "2026-03-30T02:00:00+02:00"),
        ("30 * * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"),
        ("*/30 * * * *", "Europe/Warsaw", "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00"),
        ("*/15 * * * *", "Europe/Warsaw", "2026-10-25T02:10:00+01:00", "2026-10-25T02:15:00+01:00"),
        ("0 * * * *", "America/New_York", "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"),
        ("0 * * * *", "America/New_York", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"),
        ("*/10 1 * * *", "America/New_York", "2026-11-01T01:50:00-04:00", "2026-11-01T01:00:00-05:00"),
        ("*/10 1 * * *", "America/New_York", "2026-11-01T01:50:00-05:00", "2026-11-02T01:00:00-05:00"),
        ("30 * * * *", "America/New_York", "2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00"),
        ("*/15 * * * *", "Australia/Lord_Howe", "2026-10-04T01:45:00+10:30", "2026-10-04T02:30:00+11:00"),
        ("45 * * * *", "Australia/Lord_Howe", "2026-04-05T01:45:00+11:00", "2026-04-05T01:45:00+10:30"),
        ("0 * * * *", "America/Sao_Paulo", "2018-11-03T23:00:00-03:00", "2018-11-04T01:00:00-02:00"),
        ("30 * * * *", "America/Sao_Paulo", "2019-02-16T23:30:00-02:00", "2019-02-16T23:30:00-03:00"),
        ("30 * * * *", "Australia/Sydney", "2026-10-04T01:30:00+10:00", "2026-10-04T03:30:00+11:00"),
        ("0 * * * *", "Australia/Sydney", "2026-04-05T02:00:00+11:00", "2026-04-05T02:00:00+10:00"),
        ("*/15 * * * *", "Asia/Kolkata", "2026-03-29T01:50:00+05:30", "2026-03-29T02:00:00+05:30"),
        ("30 * * * *", "Europe/Moscow", "2014-10-26T01:30:00+04:00", "2014-10-26T01:30:00+03:00"),
        ("0 * * * *", "Pacific/Apia", "2011-12-29T23:00:00-10:00", "2011-12-31T00:00:00+14:00"),
        ("*/5 * 29 2 *", "UTC", "2096-02-29T23:55:00Z", "2104-02-29T00:00:00Z"),
    ])
    func nextFireInRealTime(schedule: String, zoneName: String, after: String, expected: String) throws {
        let cron = try #require(CronSchedule.parse(schedule).value)
        #expect(cron.followsRealTime)
        #expect(cron.nextFire(after: instant(after), in: zone(zoneName)) == instant(expected))
    }

    @Test(arguments: [
        ("*/15 * * * *", true), ("30 * * * *", true), ("@hourly", true), ("* 2 * * *", true),
        ("0 */2 * * *", true), ("*/5,7 9 * * *", true), ("0-59 * * * *", true),
        ("30 2 * * *", false), ("@daily", false), ("@weekly", false), ("0 0-23 * * *", false),
        ("0-59 2 * * *", false), ("5/15 2 * * *", false), ("0 9 * * *", false),
    ])
    func realTimeWhenTheMinuteOrHourFieldStartsWithAStar(schedule: String, followsRealTime: Bool) throws {
        #expect(try #require(CronSchedule.parse(schedule).value).followsRealTime == followsRealTime)
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

    @Test func fireTimesAcrossSpringForwardSkipTheMissingMinutesInRealTime() throws {
        let cron = try #require(CronSchedule.parse("*/30 * * * *").value)
        let times = cron.fireTimes(from: instant("2026-03-29T01:00:00+01:00"), through: instant("2026-03-29T03:30:00+02:00"),
                                   in: zone("Europe/Warsaw"), limit: 100)
        #expect(times == ["2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                          "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"].map(instant))
    }

    @Test func fireTimesAcrossSpringForwardRunFixedTimesOnceAfterTheGap() throws {
        let cron = try #require(CronSchedule.parse("0,30 1-3 * * *").value)
        let times = cron.fireTimes(from: instant("2026-03-29T01:00:00+01:00"), through: instant("2026-03-29T03:30:00+02:00"),
                                   in: zone("Europe/Warsaw"), limit: 100)
        // 02:00, 02:30 and 03:00 all run once, at 03:00.
        #expect(times == ["2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                          "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"].map(instant))
    }

    @Test func fireTimesAcrossFallBackRunTheRepeatedHourTwiceInRealTime() throws {
        let cron = try #require(CronSchedule.parse("0,30 * * * *").value)
        let times = cron.fireTimes(from: instant("2026-11-01T00:30:00-04:00"), through: instant("2026-11-01T02:00:00-05:00"),
                                   in: zone("America/New_York"), limit: 100)
        #expect(times == ["2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                          "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00"].map(instant))
    }

    @Test func fireTimesAcrossFallBackRunFixedTimesOnce() throws {
        let cron = try #require(CronSchedule.parse("0,30 0-2 * * *").value)
        let times = cron.fireTimes(from: instant("2026-11-01T00:30:00-04:00"), through: instant("2026-11-01T02:00:00-05:00"),
                                   in: zone("America/New_York"), limit: 100)
        #expect(times == ["2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                          "2026-11-01T02:00:00-05:00"].map(instant))
    }

    @Test func fireTimesAcrossLordHoweHalfHourChanges() throws {
        let cron = try #require(CronSchedule.parse("*/15 * * * *").value)
        let spring = cron.fireTimes(from: instant("2026-10-04T01:30:00+10:30"), through: instant("2026-10-04T02:45:00+11:00"),
                                    in: zone("Australia/Lord_Howe"), limit: 100)
        #expect(spring == ["2026-10-04T01:30:00+10:30", "2026-10-04T01:45:00+10:30",
                           "2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00"].map(instant))
        let autumn = cron.fireTimes(from: instant("2026-04-05T01:30:00+11:00"), through: instant("2026-04-05T02:00:00+10:30"),
                                    in: zone("Australia/Lord_Howe"), limit: 100)
        #expect(autumn == ["2026-04-05T01:30:00+11:00", "2026-04-05T01:45:00+11:00",
                           "2026-04-05T01:30:00+10:30", "2026-04-05T01:45:00+10:30", "2026-04-05T02:00:00+10:30"].map(instant))
    }

    /// Across clock changes, a real-time schedule fires exactly at the instants whose wall-clock
    /// time matches: checked against every minute of a few weeks around each change.
    @Test(arguments: [
        ("*/7 * * * *", "Europe/Warsaw", "2026-03-27T00:00:00Z", "2026-03-31T00:00:00Z"),
        ("*/7 1-3 * * *", "Europe/Warsaw", "2026-10-23T00:00:00Z", "2026-10-27T00:00:00Z"),
        ("13,47 * * * *", "America/New_York", "2026-10-30T00:00:00Z", "2026-11-03T00:00:00Z"),
        ("*/10 */2 * * SUN", "Australia/Lord_Howe", "2026-04-03T00:00:00Z", "2026-04-06T00:00:00Z"),
        ("*/10 0-3 * * *", "Australia/Lord_Howe", "2026-10-02T00:00:00Z", "2026-10-05T00:00:00Z"),
        ("*/20 * * * *", "America/Sao_Paulo", "2019-02-15T00:00:00Z", "2019-02-18T00:00:00Z"),
        ("*/20 * * * *", "America/Sao_Paulo", "2018-11-03T00:00:00Z", "2018-11-05T00:00:00Z"),
        ("*/30 * * * *", "Europe/Moscow", "2014-10-25T00:00:00Z", "2014-10-27T00:00:00Z"),
        ("0 * * * *", "Pacific/Apia", "2011-12-28T00:00:00Z", "2012-01-01T00:00:00Z"),
    ])
    func realTimeAgreesWithMinuteByMinuteScan(schedule: String, zoneName: String, from: String, through: String) throws {
        let cron = try #require(CronSchedule.parse(schedule).value)
        let start = instant(from)
        let end = instant(through)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone(zoneName)
        var expected: [Date] = []
        for minute in stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: 60) {
            let date = Date(timeIntervalSince1970: minute)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            if cron.matches(year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!) {
                expected.append(date)
            }
        }
        #expect(!expected.isEmpty)
        #expect(cron.fireTimes(from: start, through: end, in: zone(zoneName), limit: 100_000) == expected)
    }

    @Test func firesNameTheTimesAGapMovedOrSkipped() throws {
        let fixed = try #require(CronSchedule.parse("0,30 2 * * *").value)
        let moved = fixed.fires(after: instant("2026-03-28T12:00:00+01:00"), in: zone("Europe/Warsaw"), count: 2)
        #expect(moved.map(\.date) == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"].map(instant))
        #expect(moved[0].timesInGap.map(\.description) == ["2026-03-29 02:00", "2026-03-29 02:30"])
        #expect(moved[0].wallClock.description == "2026-03-29 03:00")
        #expect(moved[0].utcOffset == 7200)
        #expect(moved[1].timesInGap.isEmpty)

        let realTime = try #require(CronSchedule.parse("30 * * * *").value)
        let skipped = realTime.fires(after: instant("2026-03-29T01:00:00+01:00"), in: zone("Europe/Warsaw"), count: 2)
        #expect(skipped.map(\.date) == ["2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"].map(instant))
        #expect(skipped[0].timesInGap.isEmpty)
        #expect(skipped[1].timesInGap.map(\.description) == ["2026-03-29 02:30"])
    }

    @Test func firesNameThePassOfARepeatedTime() throws {
        let realTime = try #require(CronSchedule.parse("30 * * * *").value)
        let fires = realTime.fires(after: instant("2026-11-01T00:00:00-04:00"), in: zone("America/New_York"), count: 4)
        #expect(fires.map(\.date) == ["2026-11-01T00:30:00-04:00", "2026-11-01T01:30:00-04:00",
                                      "2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00"].map(instant))
        #expect(fires.map(\.pass) == [nil, .first, .second, nil])
        #expect(fires.map(\.utcOffset) == [-14_400, -14_400, -18_000, -18_000])

        let fixed = try #require(CronSchedule.parse("30 1 * * *").value)
        let once = fixed.fires(after: instant("2026-11-01T00:00:00-04:00"), in: zone("America/New_York"), count: 2)
        #expect(once.map(\.pass) == [.first, nil])
    }

    @Test func firesStopWhenTheScheduleDoes() throws {
        let cron = try #require(CronSchedule.parse("0 0 29 2 *").value)
        #expect(cron.fires(after: instant("2096-01-01T00:00:00Z"), in: zone("UTC"), count: 3).map(\.date)
            == ["2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z", "2108-02-29T00:00:00Z"].map(instant))
        let never = try #require(CronSchedule.parse("0 0 30 2 *").value)
        #expect(never.fires(after: instant("2026-01-01T00:00:00Z"), in: zone("UTC"), count: 3).isEmpty)
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
