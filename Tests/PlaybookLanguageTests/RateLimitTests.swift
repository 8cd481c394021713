import PlaybookLanguage
import Testing

struct RateLimitTests {
    @Test(arguments: [
        ("100/10s", 100, 10_000, "100/10s"), ("10/s", 10, 1_000, "10/s"), ("5000/1h", 5000, 3_600_000, "5000/h"),
        ("15000/1d", 15_000, 86_400_000, "15000/d"), ("600/m", 600, 60_000, "600/m"), ("1/2s", 1, 2_000, "1/2s"),
        ("100/90s", 100, 90_000, "100/1m30s"), ("5/250ms", 5, 250, "5/250ms"),
    ] as [(String, Int, Int64, String)])
    func validRateLimit(text: String, count: Int, periodMilliseconds: Int64, canonical: String) throws {
        let limit = try #require(RateLimit.parse(text).value)
        #expect(limit.count == count)
        #expect(limit.period.milliseconds == periodMilliseconds)
        #expect(limit.description == canonical)
    }

    @Test func requestsPerSecondIsTheSustainedRate() throws {
        #expect(try #require(RateLimit.parse("1/2s").value).requestsPerSecond == 0.5)
        #expect(try #require(RateLimit.parse("600/m").value).requestsPerSecond == 10)
    }

    /// (input, message fragment, start, end, replacement).
    @Test(arguments: [
        ("", "the rate limit is empty", 0, 0, nil),
        ("100", "a rate limit needs a period after '/'", 3, 3, nil),
        ("100/", "a rate limit needs a period after '/'", 4, 4, nil),
        ("/s", "a rate limit needs a count before '/'", 0, 0, nil),
        ("100/min", "unknown period 'min'", 4, 7, "m"),
        ("100/second", "unknown period 'second'", 4, 10, "s"),
        ("0/s", "the count must be at least 1", 0, 1, nil),
        ("-5/s", "the count must be a positive whole number", 0, 2, nil),
        ("1.5/s", "'1.5' is not a whole number", 0, 3, nil),
        ("100/10", "'10' has no unit", 4, 6, "10s"),
        ("100/0s", "a duration must be longer than zero", 4, 6, nil),
        ("100 /10s", "rate limits are written without spaces", 3, 4, ""),
        ("100/10s/2", "a rate limit has one '/'", 7, 8, nil),
        ("100/5min", "unknown unit 'min'", 5, 8, "m"),
        ("99999999999999999999/s", "the count 99999999999999999999 is too large", 0, 20, nil),
    ] as [(String, String, Int, Int, String?)])
    func invalidRateLimitReportsRange(text: String, message: String, start: Int, end: Int, replacement: String?) throws {
        let error = try #require(RateLimit.parse(text).errors.first)
        #expect(error.message.hasPrefix(message), "got: \(error.message)")
        #expect(error.range.start == start && error.range.end == end, "got \(error.range)")
        #expect(error.replacement == replacement)
    }

    @Test func helpShowsTheExpectedForm() throws {
        let error = try #require(RateLimit.parse("100").errors.first)
        #expect(error.help == "write 100/s for per second or 100/m for per minute")
        #expect(RateLimit.parse("fast").errors.first?.help?.contains("100/10s") == true)
    }
}
