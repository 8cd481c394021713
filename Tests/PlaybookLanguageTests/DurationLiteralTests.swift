import Diagnostics
import PlaybookLanguage
import Testing

struct DurationLiteralTests {
    @Test(arguments: [
        ("30s", 30_000, "30s"), ("5m", 300_000, "5m"), ("1h30m", 5_400_000, "1h30m"), ("250ms", 250, "250ms"),
        ("2d", 172_800_000, "2d"), ("1w", 604_800_000, "7d"), ("90m", 5_400_000, "1h30m"), ("1h0m", 3_600_000, "1h"),
        ("1d2h3m4s5ms", 93_784_005, "1d2h3m4s5ms"), ("1500ms", 1_500, "1s500ms"),
    ] as [(String, Int64, String)])
    func validDurationHasMillisecondsAndCanonicalSpelling(text: String, milliseconds: Int64, canonical: String) throws {
        let duration = try #require(DurationLiteral.parse(text).value)
        #expect(duration.milliseconds == milliseconds)
        #expect(duration.description == canonical)
        #expect(duration.duration == .milliseconds(milliseconds))
    }

    @Test func zeroIsAcceptedOnlyWhenAllowed() {
        #expect(DurationLiteral.parse("0s").value == nil)
        #expect(DurationLiteral.parse("0s").errors.first?.message == "a duration must be longer than zero")
        #expect(DurationLiteral.parse("0s", allowZero: true).value?.milliseconds == 0)
    }

    /// (input, message fragment, start, end, replacement).
    @Test(arguments: [
        ("", "the duration is empty", 0, 0, nil),
        ("30", "'30' has no unit", 0, 2, "30s"),
        ("1h30", "'30' has no unit", 2, 4, "30m"),
        ("5min", "unknown unit 'min'", 1, 4, "m"),
        ("10 seconds", "durations are written without spaces", 2, 3, ""),
        ("5H", "unknown unit 'H'", 1, 2, "h"),
        ("-5s", "a duration cannot be negative", 0, 1, ""),
        ("1h 30m", "durations are written without spaces", 2, 3, ""),
        ("30m1h", "units must go from largest to smallest", 3, 5, nil),
        ("5h5h", "units must go from largest to smallest", 2, 4, nil),
        ("1.5h", "fractions are not allowed in '1.5h'", 0, 4, "1h30m"),
        ("0.25s", "fractions are not allowed in '0.25s'", 0, 5, "250ms"),
        ("5us", "units shorter than a millisecond", 1, 3, nil),
        ("1mo", "months and years have no fixed length", 1, 3, nil),
        ("5x", "unknown unit 'x'", 1, 2, nil),
        ("abc", "expected a number before 'abc'", 0, 3, nil),
        ("106751991168d", "the duration is too large", 0, 13, nil),
        ("99999999999999999999s", "the duration is too large", 0, 21, nil),
        ("ż5s", "expected a number before 'ż'", 0, 2, nil),
    ] as [(String, String, Int, Int, String?)])
    func invalidDurationReportsRange(text: String, message: String, start: Int, end: Int, replacement: String?) throws {
        let error = try #require(DurationLiteral.parse(text).errors.first)
        #expect(error.message.hasPrefix(message), "got: \(error.message)")
        #expect(error.range.start == start && error.range.end == end, "got \(error.range)")
        #expect(error.replacement == replacement)
    }

    @Test func everyProblemIsReported() {
        let errors = DurationLiteral.parse("1 h 5min").errors
        #expect(errors.map(\.message) == [
            "durations are written without spaces", "durations are written without spaces", "unknown unit 'min'",
        ])
        #expect(errors.map(\.range.start) == [1, 3, 5])
    }

    @Test func unitWordAfterASpaceGetsBothFixes() {
        let errors = DurationLiteral.parse("10 seconds").errors
        #expect(errors.map(\.replacement) == ["", "s"])
        #expect(errors.map(\.range) == [SourceRange(start: 2, end: 3), SourceRange(start: 3, end: 10)])
    }
}
