import Diagnostics

extension CronSchedule {
    /// Parses cron text, reporting every problem found, each with a range relative to `text`.
    public static func parse(_ text: String) -> LiteralParseResult<CronSchedule> {
        var parser = CronParser(text: text)
        if let schedule = parser.parse(), parser.errors.isEmpty { return .success(schedule) }
        return .failure(parser.errors)
    }

    /// The macros and the five-field schedule each stands for.
    public static let macros: [(name: String, expression: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]
}

/// Splits cron text into fields and each field into list items, collecting every error.
struct CronParser {
    let text: String
    let bytes: [UInt8]
    var errors: [LiteralError] = []

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func parse() -> CronSchedule? {
        let fields = splitFields()
        guard let first = fields.first else {
            errors.append(LiteralError(.cronEmpty, at: .at(0)))
            return nil
        }
        if bytes[first.lowerBound] == UInt8(ascii: "@") { return parseMacro(fields) }
        guard fields.count == 5 else {
            fieldCountError(fields)
            return nil
        }
        var masks: [UInt64] = []
        for (field, range) in zip(CronField.allCases, fields) {
            masks.append(parseField(field, range))
        }
        guard errors.isEmpty else { return nil }
        let bytes = self.bytes
        let isWildcard = { (range: Range<Int>) in range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "*") }
        let expression = fields.map { String(decoding: bytes[$0], as: UTF8.self) }.joined(separator: " ")
        let startsWithStar = { (range: Range<Int>) in bytes[range.lowerBound] == UInt8(ascii: "*") }
        return CronSchedule(
            text: text, expression: expression, followsRealTime: startsWithStar(fields[0]) || startsWithStar(fields[1]),
            minutes: masks[0], hours: masks[1], daysOfMonth: masks[2], months: masks[3],
            // 7 is another name for Sunday.
            daysOfWeek: (masks[4] & 0x7F) | (masks[4] >> 7 & 1),
            dayOfMonthIsWildcard: isWildcard(fields[2]), dayOfWeekIsWildcard: isWildcard(fields[4]),
            dayOfMonthRange: SourceRange(start: fields[2].lowerBound, end: fields[2].upperBound))
    }

    private func splitFields() -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            let start = index
            while index < bytes.count, !isSpace(bytes[index]) { index += 1 }
            if index > start { fields.append(start..<index) }
        }
        return fields
    }

    private mutating func parseMacro(_ fields: [Range<Int>]) -> CronSchedule? {
        let nameRange = SourceRange(start: fields[0].lowerBound, end: fields[0].upperBound)
        let name = String(decoding: bytes[fields[0]], as: UTF8.self)
        if fields.count > 1 {
            let rest = SourceRange(start: fields[1].lowerBound, end: fields.last!.upperBound)
            errors.append(LiteralError(.cronTextAfterMacro(name), at: rest, replacement: ""))
        }
        if name.lowercased() == "@reboot" {
            errors.append(LiteralError(.cronReboot, at: nameRange))
            return nil
        }
        guard let macro = CronSchedule.macros.first(where: { $0.name == name.lowercased() }) else {
            let names = CronSchedule.macros.map(\.name)
            let suggestion = Suggestions.closest(to: name, in: names)
            errors.append(LiteralError(.cronUnknownMacro(name, suggestion: suggestion, names: names), at: nameRange, replacement: suggestion))
            return nil
        }
        guard case .success(let expanded) = CronSchedule.parse(macro.expression) else { return nil }
        return CronSchedule(
            text: text, expression: expanded.expression, followsRealTime: expanded.followsRealTime, minutes: expanded.minutes, hours: expanded.hours,
            daysOfMonth: expanded.daysOfMonth, months: expanded.months, daysOfWeek: expanded.daysOfWeek,
            dayOfMonthIsWildcard: expanded.dayOfMonthIsWildcard, dayOfWeekIsWildcard: expanded.dayOfWeekIsWildcard,
            dayOfMonthRange: nameRange)
    }

    private mutating func fieldCountError(_ fields: [Range<Int>]) {
        let range = SourceRange(start: fields.first!.lowerBound, end: fields.last!.upperBound)
        errors.append(LiteralError(.cronFieldCount(fields.count), at: range))
    }
}
