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

    @Test func everyInstantIsWrittenInItsFixedShapeAndReadsBackTheSame() throws {
        // Seeded instants over the whole range (years 1 to 9999), a third of them whole seconds,
        // a third whole milliseconds, plus the two ends.
        var seed: UInt64 = 0x5EED
        func next() -> UInt64 {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var mixed = seed
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
        let first: Int128 = -62_135_596_800, last: Int128 = 253_402_300_799
        var instants = [first * 1_000_000_000, (last + 1) * 1_000_000_000 - 1]
        for index in 0..<30_000 {
            let seconds = first + Int128(next() % UInt64(last - first + 1))
            let nanos = Int128(next() % 1_000_000_000)
            instants.append(seconds * 1_000_000_000 + [0, nanos / 1_000_000 * 1_000_000, nanos][index % 3])
        }
        let shape = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,8}[1-9])?Z$"#)
        for nanos in instants {
            let timestamp = CELTimestamp(nanos: nanos)
            let text = timestamp.rfc3339
            #expect(text.wholeMatch(of: shape) != nil, "\(nanos): \(text)")
            #expect(CELTimestamp(rfc3339: text) == timestamp, "\(nanos): \(text)")
            var bytes: [UInt8] = Array("x".utf8)
            timestamp.appendRFC3339(to: &bytes)
            #expect(bytes == Array("x\(text)".utf8))
        }
        #expect(CELTimestamp(nanos: first * 1_000_000_000).rfc3339 == "0001-01-01T00:00:00Z")
        #expect(CELTimestamp(nanos: (last + 1) * 1_000_000_000 - 1).rfc3339 == "9999-12-31T23:59:59.999999999Z")
        #expect(CELTimestamp(nanos: 1_000_000_000 * 86_400 + 5_000_000).rfc3339 == "1970-01-02T00:00:00.005Z")
    }
}

