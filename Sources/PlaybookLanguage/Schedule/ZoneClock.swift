import Foundation

/// A time zone seen as a run of periods, each with one UTC offset, separated by transitions.
///
/// Foundation reports every change of offset as a transition, not only daylight-saving ones (Moscow's
/// move from +04:00 to +03:00 in 2014, Samoa skipping 30 December 2011), so inside a period the
/// wall-clock time is the instant plus one fixed offset and schedule arithmetic stays integer
/// arithmetic. Instants and wall-clock times are whole seconds since 1970-01-01 00:00, the first in
/// UTC, the second on the zone's clocks.
struct ZoneClock {
    let timeZone: TimeZone

    /// A stretch of time with one offset: `start..<end`, with `end` nil when no change follows.
    struct Period {
        var start: Int
        var end: Int?
        /// Seconds east of UTC.
        var offset: Int

        func contains(_ instant: Int) -> Bool { instant >= start && end.map { instant < $0 } ?? true }
    }

    /// Offsets in the time zone database stay within ±16 hours (local mean time in Alaska before 1867
    /// was +15:02), so the instants showing one wall-clock time lie within this distance of it.
    private static let widestOffset = 18 * 3600

    func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))
    }

    /// The period in force at `instant`, taken to start there (its real start may be earlier).
    func period(from instant: Int) -> Period {
        let transition = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(instant)))
        // Transitions are strictly after `instant`; `max` keeps a walk moving forward whatever Foundation answers.
        let end = transition.map { max(Int($0.timeIntervalSince1970.rounded(.up)), instant + 1) }
        return Period(start: instant, end: end, offset: offset(at: instant))
    }

    /// The periods that can show `local` on the clock, in order.
    private func periods(around local: Int) -> [Period] {
        var periods: [Period] = []
        var cursor = local - Self.widestOffset
        while cursor <= local + Self.widestOffset {
            let period = period(from: cursor)
            periods.append(period)
            guard let end = period.end else { break }
            cursor = end
        }
        return periods
    }

    /// Every instant whose wall-clock time is `local`, in order: none in a spring-forward gap, two in a
    /// repeated fall-back hour, otherwise one.
    func instants(showing local: Int) -> [Int] {
        periods(around: local).compactMap { period in
            let instant = local - period.offset
            return period.contains(instant) ? instant : nil
        }
    }

    /// The first instant whose wall-clock time is `local`; for a time skipped by a spring-forward change,
    /// the first whole wall-clock minute after the gap.
    func firstInstant(showing local: Int) -> Int {
        for period in periods(around: local) {
            let instant = local - period.offset
            if period.contains(instant) { return instant }
            // The clock was already past `local` when this period began, and no earlier period showed it:
            // `local` lies in the gap this period's transition opened.
            if instant < period.start { return firstWholeMinute(atOrAfter: period.start, offset: period.offset) }
        }
        // Unreachable: the last period has no end, or ends after `local` has shown.
        return local - offset(at: local)
    }

    /// The wall-clock stretches skipped by spring-forward changes strictly after `start` and at or
    /// before `end`, each as the wall-clock seconds that never showed.
    func gaps(after start: Int, through end: Int) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var current = period(from: start)
        while let boundary = current.end, boundary <= end {
            let next = period(from: boundary)
            if next.offset > current.offset { gaps.append(boundary + current.offset..<boundary + next.offset) }
            current = next
        }
        return gaps
    }

    private func firstWholeMinute(atOrAfter instant: Int, offset: Int) -> Int {
        (floorDiv(instant + offset - 1, 60) + 1) * 60 - offset
    }
}
