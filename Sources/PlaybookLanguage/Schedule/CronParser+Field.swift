import Diagnostics

extension CronParser {
    /// The mask of values one field allows; records errors and returns what it could parse.
    mutating func parseField(_ field: CronField, _ range: Range<Int>) -> UInt64 {
        var mask: UInt64 = 0
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || bytes[index] == UInt8(ascii: ",") {
            if index == start {
                error(field, .cronEmptyListItem, at: start..<min(index + 1, range.upperBound))
            } else {
                mask |= parseItem(field, start..<index)
            }
            start = index + 1
        }
        return mask
    }

    /// One list item: `*`, `v`, `a-b`, each optionally followed by `/step`.
    private mutating func parseItem(_ field: CronField, _ item: Range<Int>) -> UInt64 {
        let itemText = String(decoding: bytes[item], as: UTF8.self)
        if let quartz = quartzProblem(field, itemText) {
            error(field, quartz.message, at: item, replacement: quartz.replacement)
            return 0
        }
        let slash = bytes[item].firstIndex(of: UInt8(ascii: "/"))
        let base = item.lowerBound..<(slash ?? item.upperBound)
        var bounds: ClosedRange<Int>?
        let isSingleValue: Bool
        if base.count == 1, bytes[base.lowerBound] == UInt8(ascii: "*") {
            bounds = field == .dayOfWeek ? 0...6 : field.bounds
            isSingleValue = false
        } else if let dash = bytes[base].firstIndex(of: UInt8(ascii: "-")) {
            bounds = parseRange(field, base, dash: dash)
            isSingleValue = false
        } else {
            bounds = value(field, base).map { $0...$0 }
            isSingleValue = true
        }
        var step = 1
        if let slash {
            guard let parsed = parseStep(field, slash + 1..<item.upperBound) else { return 0 }
            step = parsed
            // `5/15` means from 5 to the end of the field, every 15.
            if isSingleValue, let lower = bounds?.lowerBound {
                bounds = lower...(field == .dayOfWeek ? 6 : field.bounds.upperBound)
            }
        }
        guard let bounds else { return 0 }
        var mask: UInt64 = 0
        for value in stride(from: bounds.lowerBound, through: bounds.upperBound, by: step) {
            mask |= 1 << UInt64(value)
        }
        return mask
    }

    private mutating func parseRange(_ field: CronField, _ base: Range<Int>, dash: Int) -> ClosedRange<Int>? {
        let lowerRange = base.lowerBound..<dash
        let upperRange = dash + 1..<base.upperBound
        guard !lowerRange.isEmpty else {
            error(field, .cronRangeWithoutStart, at: base)
            return nil
        }
        guard !upperRange.isEmpty else {
            error(field, .cronRangeWithoutEnd, at: base)
            return nil
        }
        guard let lower = value(field, lowerRange), var upper = value(field, upperRange) else { return nil }
        // `FRI-SUN` reads naturally; Sunday as the end of a range is 7.
        if field == .dayOfWeek, upper == 0, lower > 0 { upper = 7 }
        guard lower <= upper else {
            let split = "\(lower)-\(field.bounds.upperBound),\(field.bounds.lowerBound)-\(upper)"
            error(field, .cronBackwardsRange(text(base), split: split), at: base, replacement: split)
            return nil
        }
        return lower...upper
    }

    private mutating func parseStep(_ field: CronField, _ range: Range<Int>) -> Int? {
        let stepText = text(range)
        guard !range.isEmpty, stepText.utf8.allSatisfy(isDigit), let step = Int(stepText) else {
            error(field, .cronStepNotANumber(stepText), at: range.isEmpty ? range.lowerBound - 1..<range.lowerBound : range)
            return nil
        }
        let span = field.bounds.count - (field == .dayOfWeek ? 1 : 0)
        guard step >= 1, step < span else {
            error(field, .cronStepOutOfRange(step, field: field, largest: span - 1), at: range)
            return nil
        }
        return step
    }

    /// A number or a name, checked against the field's bounds.
    private mutating func value(_ field: CronField, _ range: Range<Int>) -> Int? {
        let token = text(range)
        if token.utf8.allSatisfy(isDigit) {
            guard let number = Int(token), field.bounds.contains(number) else {
                error(field, .cronValueOutOfRange(token, field: field), at: range)
                return nil
            }
            return number
        }
        let upper = token.uppercased()
        if let match = field.names.first(where: { $0.name == upper }) { return match.value }
        nameError(field, token, at: range)
        return nil
    }

    private mutating func nameError(_ field: CronField, _ token: String, at range: Range<Int>) {
        let upper = token.uppercased()
        let isMonth = CronField.monthNames.contains(upper)
        let isDay = CronField.dayNames.contains(upper)
        switch field {
        case .minute, .hour, .dayOfMonth:
            error(field, .cronNotANumber(token, isName: isMonth || isDay), at: range)
        case .month, .dayOfWeek:
            let names = field.names.map(\.name)
            let full = field == .month ? CronField.fullMonthNames : CronField.fullDayNames
            if let index = full.firstIndex(of: upper) {
                let short = names[index]
                error(field, .cronFullName(short: short), at: range, replacement: short)
            } else if field == .dayOfWeek && isMonth || field == .month && isDay {
                error(field, .cronNameInWrongField(token, isMonth: isMonth), at: range)
            } else {
                let suggestion = Suggestions.closest(to: upper, in: names)
                error(field, .cronUnknownName(token, field: field, names: names, suggestion: suggestion), at: range, replacement: suggestion)
            }
        }
    }

    /// Quartz extensions people paste from other schedulers; nil when the item has none.
    private func quartzProblem(_ field: CronField, _ item: String) -> (message: LanguageMessage, replacement: String?)? {
        // Byte tests first: this runs on every item of every schedule.
        if item.utf8.contains(UInt8(ascii: "?")) {
            return (.cronQuestionMark, item == "?" ? "*" : nil)
        }
        if item.utf8.contains(UInt8(ascii: "#")) {
            return (.cronNthWeekday(item), nil)
        }
        guard field == .dayOfMonth || field == .dayOfWeek,
              item.utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "l") || $0 | 0x20 == UInt8(ascii: "w") }) else { return nil }
        let upper = item.uppercased()
        // Names such as JUL or WED also contain these letters, so look for the Quartz forms exactly:
        // `L`, `LW`, `15W`, `5L`, `FRIL`.
        let known = Set(field.names.map(\.name))
        for atom in upper.split(whereSeparator: { "-/".contains($0) }).map(String.init) {
            let head = String(atom.dropLast())
            let headIsValue = head.utf8.allSatisfy(isDigit) || known.contains(head)
            if atom == "L" || (atom.hasSuffix("L") && headIsValue) {
                return (.cronLastDay(item), nil)
            }
            if atom == "LW" || (atom.hasSuffix("W") && !head.isEmpty && head.utf8.allSatisfy(isDigit)) {
                return (.cronNearestWeekday(item), nil)
            }
        }
        return nil
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    private mutating func error(_ field: CronField, _ message: LanguageMessage, at range: Range<Int>, replacement: String? = nil) {
        errors.append(LiteralError(.inCronField(field, message), at: SourceRange(start: range.lowerBound, end: range.upperBound),
                                   replacement: replacement))
    }
}
