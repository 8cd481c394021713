import Diagnostics

extension DurationLiteral {
    /// Parses a duration such as `1h30m`, reporting every problem with a range relative to `text`.
    ///
    /// Zero (`0s`) is rejected unless `allowZero` is set, because most fields (timeouts, rate-limit
    /// periods) make no sense with it.
    public static func parse(_ text: String, allowZero: Bool = false) -> LiteralParseResult<DurationLiteral> {
        var parser = DurationParser(bytes: Array(text.utf8))
        let total = parser.parse()
        var errors = parser.errors
        if errors.isEmpty, let total, total == 0, !allowZero {
            errors.append(LiteralError(.durationZero, at: SourceRange(start: 0, end: parser.bytes.count)))
        }
        if let total, errors.isEmpty { return .success(DurationLiteral(milliseconds: total)) }
        return .failure(errors)
    }
}

/// Scans `<digits><unit>` parts left to right, collecting errors instead of stopping at the first.
struct DurationParser {
    let bytes: [UInt8]
    private(set) var errors: [LiteralError] = []
    private var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The total in milliseconds, or nil if it could not be computed (errors say why).
    mutating func parse() -> Int64? {
        if bytes.allSatisfy(isSpace) {
            errors.append(LiteralError(.durationEmpty, at: .at(0)))
            return nil
        }
        var total: Int64? = 0
        var previous: (unit: DurationUnit, range: SourceRange)?
        var parts = 0
        while index < bytes.count {
            if skipSpaces() { continue }
            if bytes[index] == UInt8(ascii: "-") {
                errors.append(LiteralError(.durationNegative, at: SourceRange(start: index, end: index + 1), replacement: ""))
                index += 1
                continue
            }
            guard let part = scanPart(isOnlyPart: parts == 0, after: previous?.unit) else {
                total = nil
                continue
            }
            parts += 1
            if let previous, part.unit >= previous.unit {
                errors.append(LiteralError(.durationUnitsOutOfOrder(repeated: part.unit == previous.unit), at: part.range))
            }
            previous = (part.unit, part.range)
            guard let sum = total, let value = part.milliseconds else { total = nil; continue }
            let (added, overflow) = sum.addingReportingOverflow(value)
            if overflow { tooLarge(part.range); total = nil } else { total = added }
        }
        return total
    }

    private struct Part {
        var unit: DurationUnit
        var milliseconds: Int64?
        var range: SourceRange
    }

    /// One `<digits><unit>` part; nil (with an error recorded) when it is malformed.
    private mutating func scanPart(isOnlyPart: Bool, after previous: DurationUnit?) -> Part? {
        let start = index
        let digits = scan(while: isDigit)
        guard !digits.isEmpty else {
            let junk = scan { !isDigit($0) && !isSpace($0) }
            let word = String(decoding: bytes[junk], as: UTF8.self)
            let range = SourceRange(start: junk.lowerBound, end: junk.upperBound)
            errors.append(LiteralError(.durationNumberExpected(before: word), at: range))
            return nil
        }
        let digitText = String(decoding: bytes[digits], as: UTF8.self)
        if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            return fraction(start: start, whole: digitText)
        }
        // `10 seconds`: report the space but still read the unit, so its error (and fix) come too.
        var lookahead = index
        while lookahead < bytes.count, isSpace(bytes[lookahead]) { lookahead += 1 }
        if lookahead > index, lookahead < bytes.count, !isDigit(bytes[lookahead]), bytes[lookahead] != UInt8(ascii: "-") {
            _ = skipSpaces()
        }
        let unitBytes = scan { !isDigit($0) && !isSpace($0) && $0 != UInt8(ascii: "-") }
        let range = SourceRange(start: start, end: index)
        let unitRange = SourceRange(start: unitBytes.lowerBound, end: unitBytes.upperBound)
        let spelling = String(decoding: bytes[unitBytes], as: UTF8.self)
        guard !spelling.isEmpty else {
            missingUnit(digitText, at: range, isOnlyPart: isOnlyPart, after: previous)
            return nil
        }
        guard let unit = DurationUnit(symbol: spelling) else {
            unknownUnit(spelling, number: digitText, at: unitRange)
            return nil
        }
        guard let count = Int64(digitText) else { tooLarge(range); return Part(unit: unit, milliseconds: nil, range: range) }
        let (value, overflow) = count.multipliedReportingOverflow(by: unit.milliseconds)
        if overflow { tooLarge(range) }
        return Part(unit: unit, milliseconds: overflow ? nil : value, range: range)
    }

    private mutating func missingUnit(_ digits: String, at range: SourceRange, isOnlyPart: Bool, after previous: DurationUnit?) {
        if isOnlyPart {
            errors.append(LiteralError(.durationUnitMissing(digits, next: nil), at: range, replacement: "\(digits)s"))
        } else {
            // After `1h`, a unitless `30` most likely means the next smaller unit.
            let next = previous.flatMap { DurationUnit(rawValue: $0.rawValue - 1) } ?? .second
            errors.append(LiteralError(.durationUnitMissing(digits, next: next), at: range, replacement: "\(digits)\(next.symbol)"))
        }
    }

    private mutating func unknownUnit(_ spelling: String, number: String, at range: SourceRange) {
        if let unit = DurationUnit.guess(spelling) {
            errors.append(LiteralError(.durationUnknownUnit(spelling, number: number, guess: unit), at: range, replacement: unit.symbol))
        } else if ["us", "µs", "ns"].contains(spelling) {
            errors.append(LiteralError(.durationUnitTooShort, at: range))
        } else if ["mo", "month", "months", "y", "yr", "year", "years"].contains(spelling.lowercased()) {
            errors.append(LiteralError(.durationMonthsAndYears, at: range))
        } else {
            errors.append(LiteralError(.durationUnknownUnit(spelling, number: number, guess: nil), at: range))
        }
    }

    /// `1.5h`: rejected, but the help shows the exact whole-unit spelling when there is one.
    private mutating func fraction(start: Int, whole: String) -> Part? {
        index += 1
        let fractionDigits = scan(while: isDigit)
        let unitBytes = scan { !isDigit($0) && !isSpace($0) && $0 != UInt8(ascii: "-") }
        let range = SourceRange(start: start, end: index)
        let text = String(decoding: bytes[range.start..<range.end], as: UTF8.self)
        if let unit = DurationUnit(symbol: String(decoding: bytes[unitBytes], as: UTF8.self)),
           let wholeCount = Int64(whole), fractionDigits.count <= 9 {
            let digits = String(decoding: bytes[fractionDigits], as: UTF8.self)
            let scale = Int64((0..<digits.count).reduce(1) { value, _ in value * 10 })
            let (wholeMs, o1) = wholeCount.multipliedReportingOverflow(by: unit.milliseconds)
            let (fractionMs, o2) = (Int64(digits) ?? 0).multipliedReportingOverflow(by: unit.milliseconds)
            if !o1, !o2, fractionMs % scale == 0 {
                let exact = DurationLiteral(milliseconds: wholeMs + fractionMs / scale)
                errors.append(LiteralError(.durationFraction(text, exact: exact), at: range, replacement: exact.description))
                return nil
            }
        }
        errors.append(LiteralError(.durationFraction(text, exact: nil), at: range))
        return nil
    }

    private mutating func tooLarge(_ range: SourceRange) {
        errors.append(LiteralError(.durationTooLarge, at: range))
    }

    /// Reports a run of spaces (with a fix-it deleting it) and skips it; false if there was none.
    private mutating func skipSpaces() -> Bool {
        let spaces = scan(while: isSpace)
        guard !spaces.isEmpty else { return false }
        errors.append(LiteralError(.durationSpaces, at: SourceRange(start: spaces.lowerBound, end: spaces.upperBound), replacement: ""))
        return true
    }

    private mutating func scan(while predicate: (UInt8) -> Bool) -> Range<Int> {
        let start = index
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return start..<index
    }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == 10 || byte == 13 }
