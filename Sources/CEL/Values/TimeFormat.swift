/// The text forms of timestamps (RFC 3339) and durations (`1.5s`).
enum TimeFormat {
    /// Parses `2009-02-13T23:31:30.123Z` or with a `+01:00` offset; nil when malformed.
    static func parseTimestamp(_ text: String) -> Int128? {
        // Read in place: timestamps are parsed for every record of a file or a platform's page.
        var text = text
        return text.withUTF8 { parseTimestamp(bytes: $0) }
    }

    /// `parseTimestamp(_:)` over the UTF-8 bytes of the text.
    static func parseTimestamp(bytes b: UnsafeBufferPointer<UInt8>) -> Int128? {
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= b.count else { return nil }
            var value: Int64 = 0
            for k in i..<(i + width) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                value = value * 10 + Int64(b[k] - 0x30)
            }
            i += width
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        guard let year = number(4), expect(dash), let month = number(2), expect(dash), let day = number(2) else { return nil }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hour = number(2), expect(colon), let minute = number(2), expect(colon), let second = number(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month), hour < 24, minute < 60, second < 60 else { return nil }
        var fraction: Int128 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 9 { fraction = fraction * 10 + Int128(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            // RFC 3339 allows any number of digits: past nanoseconds they are read and dropped.
            if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        }
        var offset: Int64 = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), expect(colon), let om = number(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = CivilCalendar.days(fromYear: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Int128(seconds) * CELTimestamp.nanosPerSecond + fraction
    }

    /// RFC 3339 in UTC with as many fractional digits as needed (0, 3, 6 or 9), as cel-go prints.
    static func format(_ timestamp: CELTimestamp) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(30)
        append(timestamp, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `format(timestamp)`'s text to `text`.
    static func append(_ timestamp: CELTimestamp, to text: inout [UInt8]) {
        let (seconds, nanos) = timestamp.secondsAndNanos
        let dayNumber = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - dayNumber * 86_400
        let (year, month, day) = CivilCalendar.date(fromDays: dayNumber)
        // Written into a buffer on the stack at fixed places, then appended at once: joining a
        // dozen small strings cost about as much as writing the rest of a JSON Lines record, and
        // a dozen appends of a digit or two still cost more than the digits. Each digit is taken
        // by a division by ten, which the compiler makes a multiplication.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 30) { buffer in
            var end = 0
            // `value` has at most `width` digits: a timestamp's year is 1 to 9999.
            func put(_ value: Int64, width: Int) {
                var rest = UInt64(value)
                for position in (end..<end + width).reversed() {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
            }
            func put(_ separator: Unicode.Scalar) {
                buffer[end] = UInt8(ascii: separator)
                end += 1
            }
            put(year, width: 4)
            put("-")
            put(month, width: 2)
            put("-")
            put(day, width: 2)
            put("T")
            put(secondOfDay / 3600, width: 2)
            put(":")
            put(secondOfDay / 60 % 60, width: 2)
            put(":")
            put(secondOfDay % 60, width: 2)
            if nanos != 0 {
                put(".")
                put(nanos, width: 9)
                // The fraction has a digit other than zero, so trimming stops inside it.
                while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
            }
            put("Z")
            text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<end]))
        }
    }

    /// Nanoseconds as fraction digits without trailing zeros.
    static func fractionDigits(_ nanos: Int64) -> String {
        var digits = pad(nanos, 9)
        while digits.hasSuffix("0") { digits.removeLast() }
        return digits
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Parses a Go-style duration such as `1h30m`, `-1.5s`, `250ms`; nil when malformed.
    static func parseDuration(_ text: String) -> Int128? {
        var scalars = Array(text.unicodeScalars)[...]
        var negative = false
        if scalars.first == "-" || scalars.first == "+" {
            negative = scalars.first == "-"
            scalars = scalars.dropFirst()
        }
        if scalars == ["0"] { return 0 }
        guard !scalars.isEmpty else { return nil }
        var total: Int128 = 0
        while !scalars.isEmpty {
            var whole: Int128 = 0
            var fraction: Int128 = 0
            var fractionScale: Int128 = 1
            var sawDigit = false
            while let c = scalars.first, c.properties.numericType != nil, c.isASCII {
                whole = whole * 10 + Int128(c.value - 48)
                guard whole < Int128(1) << 80 else { return nil }
                sawDigit = true
                scalars = scalars.dropFirst()
            }
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                while let c = scalars.first, c.isASCII, c.value >= 48, c.value <= 57 {
                    if fractionScale < 1_000_000_000_000_000_000 {
                        fraction = fraction * 10 + Int128(c.value - 48)
                        fractionScale *= 10
                    }
                    sawDigit = true
                    scalars = scalars.dropFirst()
                }
            }
            guard sawDigit else { return nil }
            var unit = ""
            while let c = scalars.first, !(c.isASCII && ((c.value >= 48 && c.value <= 57) || c == ".")) {
                unit.unicodeScalars.append(c)
                scalars = scalars.dropFirst()
            }
            let scale: Int128
            switch unit {
            case "h": scale = 3_600_000_000_000
            case "m": scale = 60_000_000_000
            case "s": scale = 1_000_000_000
            case "ms": scale = 1_000_000
            case "us", "µs", "μs": scale = 1000
            case "ns": scale = 1
            default: return nil
            }
            total += whole * scale + fraction * scale / fractionScale
            guard total < Int128(1) << 100 else { return nil }
        }
        return negative ? -total : total
    }

    /// Seconds with an optional fraction, e.g. `1.5s`, `-0.000000001s`, `60s`.
    static func format(_ duration: CELDuration) -> String {
        let negative = duration.nanos < 0
        let magnitude = negative ? -duration.nanos : duration.nanos
        let seconds = magnitude / CELTimestamp.nanosPerSecond
        let nanos = Int64(magnitude % CELTimestamp.nanosPerSecond)
        var text = (negative ? "-" : "") + String(seconds)
        if nanos != 0 { text += "." + fractionDigits(nanos) }
        return text + "s"
    }
}
