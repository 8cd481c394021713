import Diagnostics

extension LiteralError {
    /// An error worded by `message`, at `range` inside the literal's text.
    init(_ message: LanguageMessage, at range: SourceRange, replacement: String? = nil) {
        self.init(message.text, at: range, help: message.help, replacement: replacement)
    }
}

/// Every message of the literal parsers (durations, rate limits, cron text, time zone names), in one
/// place. The parsers return them as `LiteralError` values with a range inside the literal and, where
/// the fix is certain, a replacement; both stay with the parser, which says only what it found.
extension LanguageMessage {
    // MARK: Durations

    /// How a duration is written, the help of most duration errors.
    private static let durationUsage = "write a number and a unit (ms, s, m, h, d or w), e.g. 30s, 5m or 1h30m"
    /// The units a duration may use.
    private static let durationUnits = "units are ms, s, m, h, d and w"

    /// A duration with no text, or only spaces.
    static let durationEmpty = LanguageMessage("the duration is empty", help: durationUsage)

    /// `0s` where a duration must be longer than zero.
    static let durationZero = LanguageMessage("a duration must be longer than zero", help: "write a positive length such as 1s")

    /// A `-` in a duration.
    static let durationNegative = LanguageMessage("a duration cannot be negative", help: "write a positive length such as 5m")

    /// A duration that does not fit in 64 bits of milliseconds.
    static let durationTooLarge = LanguageMessage("the duration is too large", help: "durations must fit in 292 million years")

    /// Spaces between or inside a duration's parts.
    static let durationSpaces = LanguageMessage("durations are written without spaces", help: "write parts together, e.g. 1h30m")

    /// A unit that is not smaller than the one before it; `repeated` when it is the same unit.
    static func durationUnitsOutOfOrder(repeated: Bool) -> LanguageMessage {
        LanguageMessage("units must go from largest to smallest, each used once",
                        help: repeated ? "write each unit once" : "write the larger unit first, e.g. 1h30m")
    }

    /// Text where a part should start with digits.
    static func durationNumberExpected(before word: String) -> LanguageMessage {
        LanguageMessage("expected a number before '\(word)'", help: durationUsage)
    }

    /// Digits without a unit; `next` is the unit they most likely mean after a larger one (`1h30`),
    /// nil when they stand alone.
    static func durationUnitMissing(_ digits: String, next: DurationUnit?) -> LanguageMessage {
        LanguageMessage("'\(digits)' has no unit",
                        help: next.map { "write \(digits)\($0.symbol)" } ?? "write \(digits)s for seconds or \(digits)m for minutes")
    }

    /// A unit spelt in a way Playbook does not read; `guess` is the unit it probably means.
    static func durationUnknownUnit(_ spelling: String, number: String, guess: DurationUnit?) -> LanguageMessage {
        LanguageMessage("unknown unit '\(spelling)'", help: guess.map { "write \(number)\($0.symbol)" } ?? durationUnits)
    }

    /// `us`, `µs` or `ns`.
    static let durationUnitTooShort = LanguageMessage("units shorter than a millisecond are not supported", help: durationUnits)

    /// A month or year unit, whose length varies.
    static let durationMonthsAndYears = LanguageMessage("months and years have no fixed length and are not supported",
                                                        help: "write days or weeks, e.g. 30d or 4w")

    /// A fraction such as `1.5h`; `exact` is the same length in whole units, when there is one.
    static func durationFraction(_ text: String, exact: DurationLiteral?) -> LanguageMessage {
        LanguageMessage("fractions are not allowed in '\(text)'",
                        help: exact.map { "write \($0)" } ?? "write whole numbers of a smaller unit, e.g. 1h30m instead of 1.5h")
    }

    // MARK: Rate limits

    /// How a rate limit is written, the help of most rate limit errors.
    private static let rateLimitUsage = "write count/period, e.g. 100/10s, 10/s or 5000/1h"

    /// A rate limit with no text, or only spaces.
    static let rateLimitEmpty = LanguageMessage("the rate limit is empty", help: rateLimitUsage)

    /// No period after the slash, or no slash after a bare `count`.
    static func rateLimitPeriodMissing(count: String?) -> LanguageMessage {
        LanguageMessage("a rate limit needs a period after '/'",
                        help: count.map { "write \($0)/s for per second or \($0)/m for per minute" } ?? rateLimitUsage)
    }

    /// Text with no slash at all; `rewritten` is the same limit as `count/period`, when it can be read.
    static func rateLimitNotCountPerPeriod(rewritten: String?) -> LanguageMessage {
        LanguageMessage("a rate limit is written COUNT/PERIOD", help: rewritten.map { "write \($0)" } ?? rateLimitUsage)
    }

    /// A second `/` in a rate limit.
    static let rateLimitExtraSlash = LanguageMessage("a rate limit has one '/'", help: rateLimitUsage)

    /// Spaces around a rate limit's count.
    static let rateLimitSpaces = LanguageMessage("rate limits are written without spaces", help: rateLimitUsage)

    /// Nothing before the `/`.
    static let rateLimitCountMissing = LanguageMessage("a rate limit needs a count before '/'", help: rateLimitUsage)

    /// A count starting with `-`.
    static let rateLimitCountNegative = LanguageMessage("the count must be a positive whole number", help: rateLimitUsage)

    /// A count that is not digits, such as `1.5`.
    static func rateLimitCountNotWhole(_ text: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is not a whole number", help: "write a whole number of requests; for one every two seconds write 1/2s")
    }

    /// A count too large for an `Int`.
    static func rateLimitCountTooLarge(_ text: String) -> LanguageMessage {
        LanguageMessage("the count \(text) is too large", help: rateLimitUsage)
    }

    /// A count of 0.
    static let rateLimitCountZero = LanguageMessage("the count must be at least 1", help: rateLimitUsage)

    /// A period that is neither a duration nor a unit; `guess` is the unit it probably means.
    static func rateLimitUnknownPeriod(_ text: String, guess: DurationUnit?) -> LanguageMessage {
        LanguageMessage("unknown period '\(text)'",
                        help: guess.map { "write /\($0.symbol)" } ?? "the period is a duration or a unit: ms, s, m, h, d or w")
    }

    // MARK: Cron text

    /// The five fields, in order.
    private static let cronFieldOrder = "minute hour day-of-month month day-of-week"
    /// An example schedule, explained.
    private static let cronExample = "e.g. \"0 9 * * MON-FRI\" runs at 9:00 every weekday"

    /// Cron text with no fields.
    static let cronEmpty = LanguageMessage("the schedule is empty", help: "write five fields: \(cronFieldOrder), \(cronExample)")

    /// Five fields are needed and `count` were written.
    static func cronFieldCount(_ count: Int) -> LanguageMessage {
        let help = "the fields are: \(cronFieldOrder), \(cronExample)"
        return switch count {
        case 6: LanguageMessage("found 6 fields; a seconds field is not supported, schedules run at most once a minute", help: help)
        case 7: LanguageMessage("found 7 fields; Quartz-style seconds and year fields are not supported", help: help)
        default: LanguageMessage("expected 5 fields (\(cronFieldOrder)), found \(count)", help: help)
        }
    }

    /// Text after a macro such as `@daily`.
    static func cronTextAfterMacro(_ name: String) -> LanguageMessage {
        LanguageMessage("a macro such as '\(name)' stands alone; nothing may follow it",
                        help: "remove the text after the macro, or write five fields instead")
    }

    /// `@reboot`, which has no time to fire at.
    static let cronReboot = LanguageMessage("'@reboot' is not supported: a playbook runs on a schedule, not when the server starts",
                                            help: "use a schedule such as @daily or \"0 9 * * *\"")

    /// A macro that is not one of `names`; `suggestion` is the closest of them, if any is close.
    static func cronUnknownMacro(_ name: String, suggestion: String?, names: [String]) -> LanguageMessage {
        LanguageMessage("unknown macro '\(name)'", help: suggestion.map { "did you mean '\($0)'?" } ?? "macros are \(Suggestions.list(names))")
    }

    /// A schedule whose day of the month, `day`, none of its `months` (numbered from 1) has.
    static func cronNeverRuns(day: Int, months: [Int]) -> LanguageMessage {
        let names = months.map { CronField.fullMonthNames[$0 - 1].prefix(1) + CronField.fullMonthNames[$0 - 1].dropFirst().lowercased() }
        let reason = names.count == 1 ? "\(names[0]) has no day \(day)" : "none of \(names.joined(separator: ", ")) has a day \(day)"
        return LanguageMessage("this schedule never runs: \(reason)",
                               help: "check the day-of-month and month fields; February has at most 29 days")
    }

    /// A problem inside one field, named at the start so the reader knows which of the five it is.
    static func inCronField(_ field: CronField, _ message: LanguageMessage) -> LanguageMessage {
        LanguageMessage("in the \(field) field: \(message.text)", help: message.help)
    }

    /// `1,,2` or a leading or trailing comma.
    static let cronEmptyListItem = LanguageMessage("a list has an empty item", help: "separate values with single commas, e.g. 1,15")

    /// `-5`.
    static let cronRangeWithoutStart = LanguageMessage("a range needs a start before '-'", help: "write a range as start-end, e.g. 1-5")

    /// `5-`.
    static let cronRangeWithoutEnd = LanguageMessage("a range needs an end after '-'", help: "write a range as start-end, e.g. 1-5")

    /// A range such as `5-1`; `split` is the same values written as two ranges.
    static func cronBackwardsRange(_ text: String, split: String) -> LanguageMessage {
        LanguageMessage("the range \(text) runs backwards", help: "ranges cannot wrap around; write \(split)")
    }

    /// A step that is missing (`*/`) or not a number (`*/x`).
    static func cronStepNotANumber(_ text: String) -> LanguageMessage {
        LanguageMessage(text.isEmpty ? "a step needs a number after '/'" : "the step '\(text)' is not a number", help: "write a step as */15 or 0-30/5")
    }

    /// A step of zero, or one that spans the whole field; steps from 1 to `largest` are useful.
    static func cronStepOutOfRange(_ step: Int, field: CronField, largest: Int) -> LanguageMessage {
        LanguageMessage(step == 0 ? "a step must be at least 1" : "a step of \(step) is larger than the field allows",
                        help: "steps in the \(field) field go from 1 to \(largest)")
    }

    /// A number outside the field's bounds, with the usual off-by-one mistakes explained.
    static func cronValueOutOfRange(_ token: String, field: CronField) -> LanguageMessage {
        let help: String? = switch (field, token) {
        case (.hour, "24"): "midnight is hour 0"
        case (.dayOfMonth, "0"): "days of the month start at 1"
        case (.month, "0"): "months start at 1 (JAN)"
        default: nil
        }
        return LanguageMessage("\(token) is out of range \(field.bounds.lowerBound)–\(field.bounds.upperBound)", help: help)
    }

    /// Text in a numeric field; `isName` when it is a month or day name, which belongs in another field.
    static func cronNotANumber(_ token: String, isName: Bool) -> LanguageMessage {
        LanguageMessage("'\(token)' is not a number",
                        help: isName ? "names are allowed only in the month and day-of-week fields; the order is \(cronFieldOrder)" : nil)
    }

    /// A full month or day name, such as `MONDAY`, where the three-letter `short` one is read.
    static func cronFullName(short: String) -> LanguageMessage {
        LanguageMessage("write the three-letter name '\(short)'")
    }

    /// A month name in the day-of-week field, or a day name in the month field.
    static func cronNameInWrongField(_ token: String, isMonth: Bool) -> LanguageMessage {
        LanguageMessage("'\(token)' is a \(isMonth ? "month" : "day") name", help: "the order is \(cronFieldOrder)")
    }

    /// A word that is not one of the field's `names`; `suggestion` is the closest of them, if any is close.
    static func cronUnknownName(_ token: String, field: CronField, names: [String], suggestion: String?) -> LanguageMessage {
        LanguageMessage("'\(token)' is not \(field == .month ? "a month" : "a day") name or number",
                        help: suggestion.map { "did you mean '\($0)'?" } ?? "use \(names.first!)–\(names.last!) or numbers")
    }

    /// Quartz's `?` (no specific value).
    static let cronQuestionMark = LanguageMessage("'?' is Quartz syntax and is not supported", help: "write * instead")

    /// Quartz's `#` (`MON#2`, the second Monday).
    static func cronNthWeekday(_ item: String) -> LanguageMessage {
        LanguageMessage("'\(item)' (the nth weekday of a month) is not supported",
                        help: "cron cannot express 'the first Monday of a month'; see the schedules guide")
    }

    /// Quartz's `L` (`L`, `5L`, `FRIL`).
    static func cronLastDay(_ item: String) -> LanguageMessage {
        LanguageMessage("'\(item)' (last day) is Quartz syntax and is not supported",
                        help: "cron cannot express 'the last day of a month'; see the schedules guide")
    }

    /// Quartz's `W` (`15W`, `LW`).
    static func cronNearestWeekday(_ item: String) -> LanguageMessage {
        LanguageMessage("'\(item)' (nearest weekday) is Quartz syntax and is not supported",
                        help: "cron cannot move a run to the nearest weekday; see the schedules guide")
    }

    // MARK: Time zone names

    /// A time zone with no text.
    static let timeZoneEmpty = LanguageMessage("the time zone is empty", help: "write a region name such as Europe/Warsaw, or UTC")

    /// A name that differs from a known one, `exact`, only in case.
    static func timeZoneCase(_ text: String, exact: String) -> LanguageMessage {
        LanguageMessage("time zone names are case-sensitive: '\(text)' should be '\(exact)'", help: "did you mean '\(exact)'?")
    }

    /// An abbreviation such as `EST` that one region, `region`, obviously stands for.
    static func timeZoneAbbreviation(_ text: String, region: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is an abbreviation, not a time zone name",
                        help: "use a region name, which follows daylight saving: did you mean '\(region)'?")
    }

    /// An abbreviation such as `CET` that many countries share; `regions` names a few of them.
    static func timeZoneSharedAbbreviation(_ text: String, regions: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is an abbreviation, not a time zone name",
                        help: "use the region you mean, which follows daylight saving, such as \(regions)")
    }

    /// Something that looks like an abbreviation but is none Playbook knows.
    static func timeZoneUnknownAbbreviation(_ text: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is an abbreviation, not a time zone name",
                        help: "use a region name such as Europe/Warsaw or America/New_York, or UTC")
    }

    /// A fixed offset such as `+02:00`, `UTC+2` or `Etc/GMT-2`.
    static func timeZoneFixedOffset(_ text: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is a fixed offset, which ignores daylight saving", help: "use a region name such as Europe/Warsaw, or UTC")
    }

    /// A bare city, such as `Warsaw`, that is the last part of `region`.
    static func timeZoneCity(_ text: String, region: String) -> LanguageMessage {
        LanguageMessage("'\(text)' is a city, not a time zone name", help: "did you mean '\(region)'?")
    }

    /// A name that is none of the above; `suggestion` is the closest region, if any is close.
    static func timeZoneUnknown(_ text: String, suggestion: String?) -> LanguageMessage {
        LanguageMessage("unknown time zone '\(text)'",
                        help: suggestion.map { "did you mean '\($0)'?" } ?? "use an IANA region name such as Europe/Warsaw or America/New_York, or UTC")
    }
}
