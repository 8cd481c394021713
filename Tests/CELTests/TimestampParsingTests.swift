import CEL
import Diagnostics
import Testing

/// RFC 3339 allows any number of fractional digits; digits past nanoseconds are read and dropped,
/// as cel-go does, whether the text is a literal, a string read at run time or a typed JSON value.
@Suite struct TimestampParsingTests {
    static let fractions: [(text: String, expected: String)] = [
        ("2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.1Z"),
        ("2024-01-01T00:00:00.123456789Z", "2024-01-01T00:00:00.123456789Z"),
        ("2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00.123456789Z"),
        ("2024-01-01T00:00:00.12345678901234567890123456789Z", "2024-01-01T00:00:00.123456789Z"),
        ("2024-01-01T01:00:00.9999999999+01:00", "2024-01-01T00:00:00.999999999Z"),
    ]

    @Test(arguments: fractions)
    func longFractionsAreTruncatedToNanoseconds(text: String, expected: String) {
        #expect(evaluate("string(timestamp('\(text)'))").typed == #"{"string":"\#(expected)"}"#)
        #expect(evaluate("string(timestamp(s))", ["s": .string(text)]).typed == #"{"string":"\#(expected)"}"#)
    }

    @Test func aTypedJSONTimestampWithALongFractionIsRead() throws {
        let value = try CELValue(typedJSON: JSONValue.parse(#"{"timestamp":"2024-01-01T00:00:00.1234567890Z"}"#))
        #expect(evaluate("string(t)", ["t": value]).typed == #"{"string":"2024-01-01T00:00:00.123456789Z"}"#)
    }

    @Test(arguments: ["2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1", "2024-01-01T00:00:00.1x"])
    func malformedFractionsAreErrors(text: String) {
        #expect(evaluate("timestamp(s)", ["s": .string(text)]).isError)
    }
}
