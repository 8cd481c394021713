import Foundation

extension CronSchedule {
    /// How far ahead the search looks. Eight years covers the longest real gap, a leap day across a
    /// century that skips one (2096-02-29 → 2104-02-29), so nil means the schedule never fires.
    static let searchYears = 8

    /// The first time strictly after `date` at which the schedule fires in `timeZone`, or nil if it
    /// never does (`0 0 30 2 *`).
    ///
    /// Daylight-saving rules: a wall-clock time skipped by a spring-forward change fires once, at the
    /// first minute that exists after the gap (02:30 on a day that jumps from 02:00 to 03:00 fires at
    /// 03:00); a wall-clock time that occurs twice in an autumn change fires once, at its first occurrence.
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        let threshold = Int(date.timeIntervalSince1970.rounded(.down)) + 1
        return firstFire(atOrAfter: threshold, in: timeZone).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// Every fire time in `from...through`, in order, at most `limit` of them: for backfill and catch-up.
    public func fireTimes(from start: Date, through end: Date, in timeZone: TimeZone, limit: Int) -> [Date] {
        var times: [Date] = []
        var threshold = Int(start.timeIntervalSince1970.rounded(.up))
        let last = end.timeIntervalSince1970
        while times.count < limit, let fire = firstFire(atOrAfter: threshold, in: timeZone), Double(fire) <= last {
            times.append(Date(timeIntervalSince1970: Double(fire)))
            threshold = fire + 1
        }
        return times
    }

    /// The first fire instant (Unix seconds) at or after `threshold`.
    ///
    /// Wall-clock candidates are searched in order; mapping a wall-clock time to an instant (first
    /// occurrence, or the end of a gap) never goes backwards, so the first candidate whose instant is
    /// not before `threshold` is the answer. Candidates are only behind it inside a repeated hour.
    private func firstFire(atOrAfter threshold: Int, in timeZone: TimeZone) -> Int? {
        // Start just after the wall-clock time of the last instant before the threshold: a time in a
        // gap that ends exactly at the threshold still counts.
        let before = threshold - 1
        let localBefore = before + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(before)))
        var cursor = floorDiv(localBefore, 60) + 1
        let lastYear = CivilDate(daysSinceEpoch: floorDiv(localBefore, 86_400)).year + Self.searchYears
        while let candidate = nextLocalMinute(atOrAfter: cursor, throughYear: lastYear) {
            let instant = LocalTimeResolver(timeZone: timeZone).instant(forLocalSeconds: candidate * 60)
            if instant >= threshold { return instant }
            cursor = candidate + 1
        }
        return nil
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

/// Maps a wall-clock time in a zone to an instant, following the scheduler's DST rules.
struct LocalTimeResolver {
    let timeZone: TimeZone

    private func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
    }

    /// The first instant whose wall-clock time is `local` (seconds since 1970-01-01 00:00 local); for a
    /// wall-clock time skipped by a transition, the transition itself, rounded up to a whole minute.
    func instant(forLocalSeconds local: Int) -> Int {
        // The offsets in force around this time; transitions are never closer than a couple of days.
        let offsets = Set([offset(at: local - 86_400), offset(at: local), offset(at: local + 86_400)])
        let valid = offsets.map { local - $0 }.filter { offset(at: $0) == local - $0 }
        if let first = valid.min() { return first }
        // In a gap: the transition lies between the instants the two offsets would give.
        var low = local - offsets.max()!
        var high = local - offsets.min()!
        let offsetBefore = offset(at: low)
        guard offset(at: high) != offsetBefore else { return high }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == offsetBefore { low = middle } else { high = middle }
        }
        return (floorDiv(high - 1, 60) + 1) * 60
    }
}
