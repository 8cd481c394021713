import Foundation
import Synchronization

/// `timestamp()`, `duration()` and the accessors (`getHours`, `getDayOfWeek`, …), which take an
/// optional time zone: an IANA name (`Europe/Warsaw`) or a fixed offset (`+02:00`, `-05:30`).
extension FunctionLibrary {
    mutating func registerTime() {
        global("timestamp", unary: { value in
            switch value {
            case .timestamp: return value
            case .string(let s):
                guard let nanos = TimeFormat.parseTimestamp(s) else { return .fail("invalid timestamp '\(s)'") }
                return CELTimestamp.checked(nanos: nanos)
            case .int(let seconds):
                return CELTimestamp.checked(nanos: Int128(seconds) * CELTimestamp.nanosPerSecond)
            default: return CELValue.noOverload("timestamp", value)
            }
        })
        global("duration", unary: { value in
            switch value {
            case .duration: return value
            case .string(let s):
                guard let nanos = TimeFormat.parseDuration(s) else { return .fail("invalid duration '\(s)'") }
                return CELDuration.checked(nanos: nanos)
            case .int(let seconds):
                return CELDuration.checked(nanos: Int128(seconds) * CELTimestamp.nanosPerSecond)
            default: return CELValue.noOverload("duration", value)
            }
        })
        for accessor in TimeAccessor.allCases {
            member(accessor.rawValue,
                   unary: { accessor.apply($0, zone: nil) },
                   binary: { accessor.apply($0, zone: $1) })
        }
    }
}

enum TimeAccessor: String, CaseIterable, Sendable {
    case getFullYear, getMonth, getDate, getDayOfMonth, getDayOfWeek, getDayOfYear
    case getHours, getMinutes, getSeconds, getMilliseconds

    func apply(_ value: CELValue, zone: CELValue?) -> CELValue {
        switch value {
        case .timestamp(let t):
            var offset: Int64 = 0
            if let zone {
                guard case .string(let name) = zone else { return CELValue.noOverload(rawValue, value, zone) }
                guard let seconds = TimeZones.offset(name, at: t) else { return .fail("unknown time zone '\(name)'") }
                offset = seconds
            }
            return .int(component(of: t, offset: offset))
        case .duration(let d) where zone == nil:
            switch self {
            case .getHours: return .int(Int64(clamping: d.nanos / 3_600_000_000_000))
            case .getMinutes: return .int(Int64(clamping: d.nanos / 60_000_000_000))
            case .getSeconds: return .int(Int64(clamping: d.nanos / 1_000_000_000))
            case .getMilliseconds: return .int(Int64(clamping: d.nanos / 1_000_000 % 1000))
            default: return CELValue.noOverload(rawValue, value)
            }
        default:
            return zone.map { CELValue.noOverload(rawValue, value, $0) } ?? CELValue.noOverload(rawValue, value)
        }
    }

    private func component(of t: CELTimestamp, offset: Int64) -> Int64 {
        let (utcSeconds, nanos) = t.secondsAndNanos
        let seconds = utcSeconds + offset
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - day * 86_400
        let (year, month, dayOfMonth) = CivilCalendar.date(fromDays: day)
        switch self {
        case .getFullYear: return year
        case .getMonth: return month - 1
        case .getDate: return dayOfMonth
        case .getDayOfMonth: return dayOfMonth - 1
        case .getDayOfWeek:
            // 1970-01-01 was a Thursday (4); Sunday is 0.
            let weekday = (day + 4) % 7
            return weekday < 0 ? weekday + 7 : weekday
        case .getDayOfYear: return day - CivilCalendar.days(fromYear: year, month: 1, day: 1)
        case .getHours: return secondOfDay / 3600
        case .getMinutes: return secondOfDay / 60 % 60
        case .getSeconds: return secondOfDay % 60
        case .getMilliseconds: return nanos / 1_000_000
        }
    }
}

enum TimeZones {
    /// Seconds east of UTC for a zone name at an instant; nil for an unknown zone.
    static func offset(_ name: String, at t: CELTimestamp) -> Int64? {
        if let fixed = fixedOffset(name) { return fixed }
        guard let zone = zone(named: name) else { return nil }
        let date = Date(timeIntervalSince1970: Double(t.secondsAndNanos.seconds))
        return Int64(zone.secondsFromGMT(for: date))
    }

    /// Loading a zone reads the tz database; playbooks use a handful of zones, so keep them.
    private static let cache = Mutex<[String: TimeZone]>([:])

    private static func zone(named name: String) -> TimeZone? {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        guard let zone = TimeZone(identifier: name) else { return nil }
        cache.withLock { zones in
            if zones.count >= 64 { zones.removeAll() }
            zones[name] = zone
        }
        return zone
    }

    /// `+02:00`, `-05:30`, `02:00` (positive).
    private static func fixedOffset(_ name: String) -> Int64? {
        var text = Substring(name)
        var sign: Int64 = 1
        if text.first == "+" || text.first == "-" {
            sign = text.first == "-" ? -1 : 1
            text = text.dropFirst()
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hours = Int64(parts[0]), let minutes = Int64(parts[1]), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}
