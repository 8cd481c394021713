import Diagnostics

/// At most `count` requests per `period`, written `count/period`: `100/10s`, `10/s`, `5000/1h`, `15000/1d`.
///
/// The period is a duration literal; a bare unit (`10/s`, `600/m`) means one of that unit. Word units
/// such as `100/min` or `100/minute` are rejected with a fix-it (`100/m`) so a playbook has one spelling,
/// as are spaces around the slash.
public struct RateLimit: Hashable, Sendable, CustomStringConvertible {
    /// How many requests may start within one period; at least 1.
    public let count: Int
    /// The length of the window the count applies to; longer than zero.
    public let period: DurationLiteral

    /// A limit of `count` (at least 1) per `period` (longer than zero).
    public init(count: Int, per period: DurationLiteral) {
        precondition(count >= 1 && period.milliseconds > 0, "a rate limit needs a positive count and period")
        self.count = count
        self.period = period
    }

    /// The sustained rate, for token-bucket refill.
    public var requestsPerSecond: Double { Double(count) / period.seconds }

    /// The canonical spelling; a period of exactly one unit prints as the bare unit (`10/s`).
    public var description: String {
        let bare = [DurationUnit.second, .minute, .hour, .day].first { $0.milliseconds == period.milliseconds }
        return "\(count)/\(bare?.symbol ?? period.description)"
    }

    /// Parses `count/period`, reporting every problem with a range relative to `text`.
    public static func parse(_ text: String) -> LiteralParseResult<RateLimit> {
        let bytes = Array(text.utf8)
        var errors: [LiteralError] = []
        if bytes.allSatisfy(isSpace) {
            return .failure([LiteralError(.rateLimitEmpty, at: .at(0))])
        }
        let slashes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "/") }
        guard let slash = slashes.first else {
            let digitsOnly = bytes.allSatisfy(isDigit)
            if digitsOnly {
                return .failure([LiteralError(.rateLimitPeriodMissing(count: text), at: .at(bytes.count))])
            }
            // "100 per 10s" is the most common way people write it out.
            let words = text.split(separator: " ")
            let replacement = words.count == 3 && words[1] == "per" && words[0].allSatisfy(\.isNumber)
                ? "\(words[0])/\(words[2])" : nil
            return .failure([LiteralError(
                .rateLimitNotCountPerPeriod(rewritten: replacement), at: SourceRange(start: 0, end: bytes.count), replacement: replacement)])
        }
        for extra in slashes.dropFirst() {
            errors.append(LiteralError(.rateLimitExtraSlash, at: SourceRange(start: extra, end: extra + 1)))
        }
        let count = parseCount(bytes, upTo: slash, errors: &errors)
        let periodEnd = slashes.dropFirst().first ?? bytes.count
        let period = parsePeriod(bytes, from: slash + 1, to: periodEnd, errors: &errors)
        if errors.isEmpty, let count, let period { return .success(RateLimit(count: count, per: period)) }
        return .failure(errors)
    }

    private static func parseCount(_ bytes: [UInt8], upTo end: Int, errors: inout [LiteralError]) -> Int? {
        var start = 0
        var stop = end
        // Spaces around the count are reported with a fix-it and otherwise ignored, so the count is still checked.
        while start < stop, isSpace(bytes[start]) { start += 1 }
        while stop > start, isSpace(bytes[stop - 1]) { stop -= 1 }
        if start > 0 { errors.append(spaces(0, start)) }
        if stop < end { errors.append(spaces(stop, end)) }
        let range = SourceRange(start: start, end: stop)
        let text = String(decoding: bytes[start..<stop], as: UTF8.self)
        guard !text.isEmpty else {
            errors.append(LiteralError(.rateLimitCountMissing, at: .at(end)))
            return nil
        }
        if text.hasPrefix("-") {
            errors.append(LiteralError(.rateLimitCountNegative, at: range))
            return nil
        }
        guard text.utf8.allSatisfy(isDigit) else {
            errors.append(LiteralError(.rateLimitCountNotWhole(text), at: range))
            return nil
        }
        guard let count = Int(text) else {
            errors.append(LiteralError(.rateLimitCountTooLarge(text), at: range))
            return nil
        }
        guard count >= 1 else {
            errors.append(LiteralError(.rateLimitCountZero, at: range))
            return nil
        }
        return count
    }

    private static func parsePeriod(_ bytes: [UInt8], from start: Int, to end: Int, errors: inout [LiteralError]) -> DurationLiteral? {
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let range = SourceRange(start: start, end: end)
        if text.isEmpty {
            errors.append(LiteralError(.rateLimitPeriodMissing(count: nil), at: .at(start)))
            return nil
        }
        // A bare unit means one of it: `10/s`. Word units get a fix-it to the symbol.
        if let first = text.utf8.first, !isDigit(first), !isSpace(first), first != UInt8(ascii: "-") {
            if let unit = DurationUnit(symbol: text) { return DurationLiteral(milliseconds: unit.milliseconds) }
            let guess = DurationUnit.guess(text)
            errors.append(LiteralError(.rateLimitUnknownPeriod(text, guess: guess), at: range, replacement: guess?.symbol))
            return nil
        }
        let parsed = DurationLiteral.parse(text)
        errors.append(contentsOf: parsed.errors.map { $0.offset(by: start) })
        return parsed.value
    }

    private static func spaces(_ start: Int, _ end: Int) -> LiteralError {
        LiteralError(.rateLimitSpaces, at: SourceRange(start: start, end: end), replacement: "")
    }
}
