/// A length of time written in a playbook: `30s`, `5m`, `1h30m`, `250ms`, `2d`, `1w`.
///
/// Grammar: one or more `<digits><unit>` parts, largest unit first, each unit at most once, with no
/// spaces and no fractions. Units are `ms`, `s`, `m`, `h`, `d` (24 hours) and `w` (7 days); `d` and `w`
/// are fixed lengths, not calendar days, so a DST change does not stretch them. Spaces are rejected
/// (with a fix-it that removes them) so every duration in a playbook has one spelling.
public struct DurationLiteral: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The length in milliseconds; never negative.
    public let milliseconds: Int64

    /// A duration of `milliseconds`, which must not be negative.
    public init(milliseconds: Int64) {
        precondition(milliseconds >= 0, "a duration cannot be negative")
        self.milliseconds = milliseconds
    }

    /// The same length as a standard-library `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// The length in seconds, for APIs that take a `TimeInterval`.
    public var seconds: Double { Double(milliseconds) / 1000 }

    /// The canonical spelling, largest units first and without weeks: `90m` prints as `1h30m`.
    public var description: String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for unit in [DurationUnit.day, .hour, .minute, .second, .millisecond] {
            let count = rest / unit.milliseconds
            if count > 0 { text += "\(count)\(unit.symbol)" }
            rest %= unit.milliseconds
        }
        return text
    }

    public static func < (lhs: DurationLiteral, rhs: DurationLiteral) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

/// A unit a duration may be written in.
public enum DurationUnit: Int, Hashable, Sendable, CaseIterable, Comparable {
    case millisecond, second, minute, hour, day, week

    /// How the unit is written: `ms`, `s`, `m`, `h`, `d`, `w`.
    public var symbol: String {
        switch self {
        case .millisecond: "ms"
        case .second: "s"
        case .minute: "m"
        case .hour: "h"
        case .day: "d"
        case .week: "w"
        }
    }

    /// The unit's length in milliseconds.
    public var milliseconds: Int64 {
        switch self {
        case .millisecond: 1
        case .second: 1_000
        case .minute: 60_000
        case .hour: 3_600_000
        case .day: 86_400_000
        case .week: 604_800_000
        }
    }

    /// The unit written exactly as `symbol`.
    public init?(symbol: String) {
        guard let unit = DurationUnit.allCases.first(where: { $0.symbol == symbol }) else { return nil }
        self = unit
    }

    /// The unit a common spelling such as `min`, `secs` or `Hours` stands for; nil if none is obvious.
    static func guess(_ spelling: String) -> DurationUnit? {
        switch spelling.lowercased() {
        case "ms", "msec", "msecs", "millisecond", "milliseconds": .millisecond
        case "s", "sec", "secs", "second", "seconds": .second
        case "m", "min", "mins", "minute", "minutes": .minute
        case "h", "hr", "hrs", "hour", "hours": .hour
        case "d", "day", "days": .day
        case "w", "wk", "wks", "week", "weeks": .week
        default: nil
        }
    }

    public static func < (lhs: DurationUnit, rhs: DurationUnit) -> Bool { lhs.rawValue < rhs.rawValue }
}
