import CEL
import Testing

@Suite struct ValuesTests {
    /// Arrays of CEL values (every record's fields) are allocated by the allocator's usual path only
    /// while a value needs no more than 8-byte alignment; times keep their nanoseconds exactly.
    @Test func valuesAlignToEightBytesAndTimesKeepTheirNanoseconds() {
        #expect(MemoryLayout<CELValue>.alignment <= 8)
        #expect(MemoryLayout<CELValue?>.alignment <= 8)
        let extremes: [Int128] = [0, 1, -1, 999_999_999, -1_000_000_001, Int128(Int64.max) + 1, Int128(Int64.min) - 1,
                                  -62_135_596_800_000_000_000, 253_402_300_799_999_999_999]
        for nanos in extremes {
            #expect(CELTimestamp(nanos: nanos).nanos == nanos)
            var changed = CELTimestamp(nanos: 0)
            changed.nanos = nanos
            #expect(changed == CELTimestamp(nanos: nanos) && changed.hashValue == CELTimestamp(nanos: nanos).hashValue)
        }
        #expect(CELTimestamp(nanos: -1) < CELTimestamp(nanos: 0) && CELTimestamp(nanos: Int128(Int64.max)) < CELTimestamp(nanos: Int128(Int64.max) + 1))
        #expect(CELDuration(nanos: Int128(Int64.min)).nanos == Int128(Int64.min))
        #expect(CELDuration(nanos: Int128(Int64.max) + 5).nanos == Int128(Int64.max))
    }

    @Test func mapKeysAreEqualAcrossNumericKinds() throws {
        var map = CELMap()
        try map.insert(.int(1), "one")
        try map.insert(.uint(18_446_744_073_709_551_615), "max")
        #expect(map[.uint(1)]?.typed == #"{"string":"one"}"#)
        #expect(map[.double(1.0)]?.typed == #"{"string":"one"}"#)
        #expect(map[.double(1.5)] == nil)
        #expect(map[.uint(18_446_744_073_709_551_615)]?.typed == #"{"string":"max"}"#)
        #expect(throws: CELError.self) { try map.insert(.uint(1), "again") }
        #expect(throws: CELError.self) { try map.insert(.double(2), "double keys are not allowed") }
    }

    @Test func largeMapsFindEveryKey() throws {
        var map = CELMap()
        for i in 0..<100 { try map.insert(.string("k\(i)"), .int(Int64(i))) }
        for i in 0..<100 { #expect(map["k\(i)"]?.typed == #"{"int":"\#(i)"}"#) }
        #expect(map["k100"] == nil)
        #expect(throws: CELError.self) { try map.insert("k5", 0) }
    }

    @Test func stringsCompareByCodePointsNotCanonicalEquivalence() {
        // "é" precomposed and as "e" + combining accent are different CEL strings.
        #expect(!CELValue.string("\u{E9}").isEqual(to: .string("e\u{301}")))
        #expect(CELValue.string("\u{E9}").isEqual(to: .string("\u{E9}")))
    }

    @Test(arguments: [
        (0.1 + 0.2, "0.30000000000000004"), (2.0, "2"), (-0.5, "-0.5"), (1e21, "1e+21"), (1e-7, "1e-07"),
        (Double.nan, "NaN"), (-Double.infinity, "-Infinity"), (123456789.0, "123456789"),
    ])
    func doublesRenderInShortestRoundTripForm(value: Double, text: String) {
        #expect(CELValue.double(value).rendered == text)
    }

    @Test(arguments: [
        ("2009-02-13T23:31:30Z", "2009-02-13T23:31:30Z"),
        ("2009-02-14T00:31:30.250+01:00", "2009-02-13T23:31:30.25Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("1969-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999999999Z"),
    ])
    func timestampsRoundTripThroughRFC3339(input: String, output: String) {
        #expect(evaluate("string(timestamp('\(input)'))").typed == #"{"string":"\#(output)"}"#)
    }

    @Test(arguments: ["2009-02-30T00:00:00Z", "2009-02-13 23:31:30Z", "2009-02-13T23:31:30", "2009-02-13T25:00:00Z"])
    func malformedTimestampsAreErrors(input: String) {
        #expect(evaluate("timestamp(s)", ["s": .string(input)]).isError)
    }

    @Test(arguments: [("1h30m", "5400s"), ("-1.5s", "-1.5s"), ("250ms", "0.25s"), ("1us", "0.000001s"), ("0", "0s")])
    func durationsParseGoSyntax(input: String, output: String) {
        #expect(evaluate("string(duration('\(input)'))").typed == #"{"string":"\#(output)"}"#)
    }
}
