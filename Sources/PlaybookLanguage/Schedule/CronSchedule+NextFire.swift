import Foundation

extension CronSchedule {
    /// How far ahead the search looks. Eight years covers the longest real gap, a leap day across a
    /// century that skips one (2096-02-29 → 2104-02-29), so nil means the schedule never fires.
    static let searchYears = 8

    /// The first time strictly after `date` at which the schedule fires in `timeZone`, or nil if it
    /// never does (`0 0 30 2 *`).
    ///
    /// Daylight-saving rules, as in Vixie cron and cronie:
    /// - A schedule that follows real time (`followsRealTime`: `*/15 * * * *`, `30 * * * *`) fires at
    ///   every instant whose wall-clock time matches. A minute skipped by a spring-forward change does
    ///   not run; a minute repeated by a fall-back change runs in both passes.
    /// - Any other schedule names fixed times of day. Such a time skipped by a spring-forward change
    ///   runs once, at the first minute that exists after the gap (02:30 on a day that jumps from 02:00
    ///   to 03:00 runs at 03:00); a time that happens twice runs once, at its first occurrence.
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        let threshold = Int(date.timeIntervalSince1970.rounded(.down)) + 1
        return firstFire(atOrAfter: threshold, in: ZoneClock(timeZone: timeZone)).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// Every fire time in `from...through`, in order, at most `limit` of them: for backfill and catch-up.
    public func fireTimes(from start: Date, through end: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        let clock = ZoneClock(timeZone: timeZone)
        var times: [Date] = []
        var threshold = Int(start.timeIntervalSince1970.rounded(.up))
        let last = end.timeIntervalSince1970
        while times.count < limit, let fire = firstFire(atOrAfter: threshold, in: clock), Double(fire) <= last {
            times.append(Date(timeIntervalSince1970: Double(fire)))
            threshold = fire + 1
        }
        return times
    }

    /// The first fire instant (Unix seconds) at or after `threshold`.
    func firstFire(atOrAfter threshold: Int, in clock: ZoneClock) -> Int? {
        followsRealTime ? firstRealTimeFire(atOrAfter: threshold, in: clock) : firstFixedTimeFire(atOrAfter: threshold, in: clock)
    }

    /// Walks the zone's periods of constant offset from `threshold`: in each, the first matching
    /// wall-clock minute is one addition away, and it counts only if the period has not ended by then.
    /// Wall-clock minutes in a gap belong to no period, and a repeated minute belongs to two.
    private func firstRealTimeFire(atOrAfter threshold: Int, in clock: ZoneClock) -> Int? {
        var period = clock.period(from: threshold)
        let lastYear = searchEndYear(from: threshold + period.offset)
        while true {
            let firstMinute = floorDiv(period.start + period.offset + 59, 60)
            guard let minute = nextLocalMinute(atOrAfter: firstMinute, throughYear: lastYear) else { return nil }
            let instant = minute * 60 - period.offset
            if period.contains(instant) { return instant }
            // `instant` is past the period's end, so the period has one.
            period = clock.period(from: period.end!)
        }
    }

    /// Wall-clock candidates are searched in order; mapping a wall-clock time to an instant (first
    /// occurrence, or the end of a gap) never goes backwards, so the first candidate whose instant is
    /// not before `threshold` is the answer. Candidates are only behind it inside a repeated hour.
    private func firstFixedTimeFire(atOrAfter threshold: Int, in clock: ZoneClock) -> Int? {
        // Start just after the wall-clock time of the last instant before the threshold: a time in a
        // gap that ends exactly at the threshold still counts.
        let before = threshold - 1
        let localBefore = before + clock.offset(at: before)
        var cursor = floorDiv(localBefore, 60) + 1
        let lastYear = searchEndYear(from: localBefore)
        while let candidate = nextLocalMinute(atOrAfter: cursor, throughYear: lastYear) {
            let instant = clock.firstInstant(showing: candidate * 60)
            if instant >= threshold { return instant }
            cursor = candidate + 1
        }
        return nil
    }

    private func searchEndYear(from localSeconds: Int) -> Int {
        CivilDate(daysSinceEpoch: floorDiv(localSeconds, 86_400)).year + Self.searchYears
    }

    /// The first matching wall-clock minute (minutes since 1970-01-01 00:00 local) at or after `start`.
    ///
    /// Skips whole months, days and hours that cannot match instead of stepping minute by minute.
    func nextLocalMinute(atOrAfter start: Int, throughYear lastYear: Int) -> Int? {
        var date = CivilDate(daysSinceEpoch: floorDiv(start, 1440))
        var minuteOfDay = start - floorDiv(start, 1440) * 1440
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        func startOfNextDay() {
            date = CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1)
            (hour, minute) = (0, 0)
        }
        while date.year <= lastYear {
            guard months.contains(date.month) else {
                if let month = months.next(atOrAfter: date.month + 1) {
                    date = CivilDate(year: date.year, month: month, day: 1)
                } else {
                    date = CivilDate(year: date.year + 1, month: months.trailingZeroBitCount, day: 1)
                }
                (hour, minute) = (0, 0)
                continue
            }
            guard dayMatches(year: date.year, month: date.month, day: date.day) else { startOfNextDay(); continue }
            guard let nextHour = hours.next(atOrAfter: hour) else { startOfNextDay(); continue }
            if nextHour != hour { (hour, minute) = (nextHour, 0) }
            guard let nextMinute = minutes.next(atOrAfter: minute) else {
                if hour == 23 { startOfNextDay() } else { (hour, minute) = (hour + 1, 0) }
                continue
            }
            minuteOfDay = hour * 60 + nextMinute
            return date.daysSinceEpoch * 1440 + minuteOfDay
        }
        return nil
    }
}
