import Foundation

/// Time as the sandbox reads it: a protocol so tests can move it by hand.
public protocol SandboxClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemSandboxClock: SandboxClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// How the sandbox writes and reads instants, always in UTC. Written by hand rather than with date
/// formatters: seeding thousands of records and filtering them per request must stay quick.
enum SandboxTime {
    /// `2026-03-01T09:30:00.000Z`, as HubSpot and most platforms write instants.
    static func iso8601(_ date: Date) -> String {
        let (day, seconds, millis) = split(date)
        return "\(civil(day))T\(clock(seconds)).\(String(millis).leftPadded(3))Z"
    }

    /// `2026-03-01`.
    static func day(_ date: Date) -> String {
        civil(split(date).day)
    }

    /// `2026-03-01T09:30:00.000+0000`, as Salesforce writes date-times.
    static func salesforce(_ date: Date) -> String {
        let (day, seconds, millis) = split(date)
        return "\(civil(day))T\(clock(seconds)).\(String(millis).leftPadded(3))+0000"
    }

    /// `2026-03-01T09:30:00+0000`, as the Graph API writes times.
    static func graph(_ date: Date) -> String {
        let (day, seconds, _) = split(date)
        return "\(civil(day))T\(clock(seconds))+0000"
    }

    private static func split(_ date: Date) -> (day: Int, seconds: Int, millis: Int) {
        let totalMillis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let day = Int((Double(totalMillis) / 86_400_000).rounded(.down))
        let rest = totalMillis - day * 86_400_000
        return (day, rest / 1000, rest % 1000)
    }

    private static func clock(_ seconds: Int) -> String {
        "\(String(seconds / 3600).leftPadded(2)):\(String(seconds / 60 % 60).leftPadded(2)):\(String(seconds % 60).leftPadded(2))"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civil(_ days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return "\(String(y).leftPadded(4))-\(String(m).leftPadded(2))-\(String(d).leftPadded(2))"
    }

    /// A date to days since 1970-01-01.
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Reads `2026-03-01`, `2026-03-01T09:30:00Z`, with optional fractions and a `Z`, `±HH:MM` or `±HHMM`
    /// offset, or epoch milliseconds.
    static func parseInstant(_ text: String) -> Date? {
        if let millis = Int64(text) { return Date(timeIntervalSince1970: Double(millis) / 1000) }
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + length] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45, let day = number(8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year, month, day)) * 86_400
        guard bytes.count > 10 else { return Date(timeIntervalSince1970: seconds) }
        guard bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, let hour = number(11, 2), bytes.count > 13, bytes[13] == 58,
            let minute = number(14, 2), hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        var index = 16
        if index < bytes.count, bytes[index] == 58 {
            guard let second = number(17, 2), second < 61 else { return nil }
            seconds += Double(second)
            index = 19
        }
        if index < bytes.count, bytes[index] == 46 {
            var scale = 0.1
            index += 1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                seconds += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        if index == bytes.count { return Date(timeIntervalSince1970: seconds) }
        if bytes[index] == 90 || bytes[index] == 122 {
            return index + 1 == bytes.count ? Date(timeIntervalSince1970: seconds) : nil
        }
        guard bytes[index] == 43 || bytes[index] == 45, let offsetHours = number(index + 1, 2) else { return nil }
        var offsetMinutes = 0
        if let minutes = number(index + 3, 2), index + 5 == bytes.count {
            offsetMinutes = minutes
        } else if index + 3 < bytes.count, bytes[index + 3] == 58, let minutes = number(index + 4, 2), index + 6 == bytes.count {
            offsetMinutes = minutes
        } else if index + 3 != bytes.count {
            return nil
        }
        let offset = Double(offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == 43 ? 1 : -1)
        return Date(timeIntervalSince1970: seconds - offset)
    }
}
