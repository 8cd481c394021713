import CEL
import Foundation

/// A time as the state file stores it, `yyyy-MM-dd HH:mm:ss.SSS` in UTC: the text GRDB writes for
/// a `Date` and reads back (to the nearest millisecond, for years 1583–9999, where its formatter
/// and this agree), written here without the system's date formatter, which took a tenth of the
/// time of claiming a group of `once_per` keys.
enum StoredTime {
    static func text(_ date: Date) -> String {
        // Rounded to the millisecond as the formatter rounds, from the same double.
        let milliseconds = Int64(((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down))
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, time) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        let (year, month, dayOfMonth) = CivilCalendar.date(fromDays: day)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4); bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2); bytes.append(UInt8(ascii: "-"))
        append(dayOfMonth, digits: 2); bytes.append(UInt8(ascii: " "))
        append(time / 3_600_000, digits: 2); bytes.append(UInt8(ascii: ":"))
        append(time / 60_000 % 60, digits: 2); bytes.append(UInt8(ascii: ":"))
        append(time / 1000 % 60, digits: 2); bytes.append(UInt8(ascii: "."))
        append(time % 1000, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }
}
