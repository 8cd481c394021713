import CEL
import Testing

/// Corner cases where cel-spec (and cel-go) are stricter than a lenient reading would be.
@Suite struct SpecCornerCaseTests {
    @Test(arguments: [
        ("size([1/0])", "division by zero"),
        ("[1, 2/0][0]", "division by zero"),
        ("[1, x / 0][0]", "division by zero"),
        ("{'a': 1/0}.size()", "division by zero"),
        ("{'a': 1, 'b': x / 0}['a']", "division by zero"),
        ("{1/0: 'a'}.size()", "division by zero"),
        ("1 in [1, 1/0]", "division by zero"),
    ])
    func errorInListOrMapLiteralMakesTheLiteralAnError(source: String, messageFragment: String) {
        for checked in [true, false] {
            guard case .error(let error) = evaluate(source, ["x": .int(1)], checked: checked) else {
                Issue.record("expected an error from \(source)")
                continue
            }
            #expect(error.message.contains(messageFragment))
        }
    }

    @Test(arguments: [
        "duration('9223372037s')",
        "duration('-9223372037s')",
        "duration('9223372036s') + duration('1s')",
        "duration('-9223372036s') - duration('1s')",
        "-duration('-9223372036854775808ns')",
        "duration('5000000000s') + duration('5000000000s')",
        "timestamp('2300-01-01T00:00:00Z') - timestamp('2000-01-01T00:00:00Z')",
        "timestamp('1700-01-01T00:00:00Z') - timestamp('2000-01-01T00:00:00Z')",
        "duration(9223372037)",
    ])
    func durationsPastInt64NanosecondsAreErrors(source: String) {
        guard case .error(let error) = evaluate(source, checked: false) else {
            Issue.record("expected an error from \(source)")
            return
        }
        #expect(error.message.contains("range") || error.message.contains("overflow"))
    }

    @Test(arguments: [
        ("duration(⟦'9223372037s'⟧)", "duration '9223372037s' is out of range"),
        ("duration(⟦'-2562048h'⟧) < duration('1s')", "duration '-2562048h' is out of range"),
        ("timestamp(⟦'9999-12-31T23:59:59-01:00'⟧)", "timestamp '9999-12-31T23:59:59-01:00' is out of range"),
    ])
    func literalTimesOutOfRangeAreRefusedWhenChecked(markedSource: String, message: String) {
        let (source, range) = marked(markedSource)
        let result = CELEnvironment().compile(source)
        #expect(result.program == nil)
        let first = result.diagnostics.first
        #expect(first?.code.rawValue == "PB0314")
        #expect(first?.message == message)
        #expect(first?.range == range)
    }

    @Test(arguments: [
        ("duration('9223372036.854775807s')", #"{"duration":"9223372036.854775807s"}"#),
        ("duration('-9223372036.854775808s')", #"{"duration":"-9223372036.854775808s"}"#),
        ("duration('9223372035s') + duration('1s')", #"{"duration":"9223372036s"}"#),
        ("timestamp('2200-01-01T00:00:00Z') - timestamp('2000-01-01T00:00:00Z')", #"{"duration":"6311433600s"}"#),
        ("timestamp('2000-01-01T00:00:00Z') + duration('9000000000s')", #"{"timestamp":"2285-03-13T16:00:00Z"}"#),
    ])
    func durationsWithinInt64NanosecondsWork(source: String, expected: String) {
        #expect(evaluate(source, checked: false).typed == expected)
    }

    @Test(arguments: [
        "uint(-0.5)",
        "uint(-1.0)",
        "uint(-1e-300)",
        "uint(18446744073709551616.0)",
        "uint(double('NaN'))",
        "uint(double('Infinity'))",
        "int(9223372036854775808.0)",
        "int(-9223372036854775809.0)",
        "int(double('-Infinity'))",
        "int(double('NaN'))",
    ])
    func doubleToIntegerOutOfRangeIsAnError(source: String) {
        guard case .error(let error) = evaluate(source) else {
            Issue.record("expected an error from \(source)")
            return
        }
        #expect(error.message.contains("range error"))
    }

    @Test(arguments: [
        ("uint(0.9)", #"{"uint":"0"}"#),
        ("uint(-0.0)", #"{"uint":"0"}"#),
        ("uint(18446744073709549568.0)", #"{"uint":"18446744073709549568"}"#),
        ("int(-0.9)", #"{"int":"0"}"#),
        ("int(-9223372036854774784.0)", #"{"int":"-9223372036854774784"}"#),
    ])
    func doubleToIntegerTruncatesWithinRange(source: String, expected: String) {
        #expect(evaluate(source).typed == expected)
    }

    @Test(arguments: [
        ("0x1A", nil),
        ("0X1A", nil),
        ("0x1.8", nil),
        ("1_000", #"{"double":1000.0}"#),
        ("_1", nil),
        ("1__0", nil),
        ("1_", nil),
        ("1_.5", nil),
        ("1e", nil),
        ("1e+", nil),
        ("e5", nil),
        (".", nil),
        ("", nil),
        (" 1", nil),
        ("1 ", nil),
        ("+nan", nil),
        ("1e400", nil),
        ("infinit", nil),
        ("0x1Ap0", #"{"double":26.0}"#),
        ("0x1.8p1", #"{"double":3.0}"#),
        ("0x_1p-2", #"{"double":0.25}"#),
        ("1.5", #"{"double":1.5}"#),
        ("-2.5e3", #"{"double":-2500.0}"#),
        ("+.5", #"{"double":0.5}"#),
        ("5.", #"{"double":5.0}"#),
        ("1E-2", #"{"double":0.01}"#),
        ("1e-400", #"{"double":0.0}"#),
        ("NaN", #"{"double":"NaN"}"#),
        ("nan", #"{"double":"NaN"}"#),
        ("Infinity", #"{"double":"Infinity"}"#),
        ("-inf", #"{"double":"-Infinity"}"#),
        ("+INF", #"{"double":"Infinity"}"#),
    ] as [(String, String?)])
    func doubleReadsTextAsGoParseFloatDoes(text: String, expected: String?) {
        let result = evaluate("double(s)", ["s": .string(text)], types: ["s": .string])
        if let expected {
            #expect(result.typed == expected, "double('\(text)')")
        } else {
            #expect(result.isError, "double('\(text)') gave \(result.typed)")
        }
    }

    /// cel-spec's conformance suite pins this: an int or uint meets a double as a double, so a large
    /// int rounds (`9223372036854775807 < 9223372036854775808.0` is false), for `==` as for `<`.
    /// Map keys are different: a double finds a key only when it is exactly that integer.
    @Test(arguments: [
        ("dyn(9007199254740993) == 9007199254740992.0", true),
        ("dyn(9007199254740993) > 9007199254740992.0", false),
        ("dyn(9223372036854775807) < 9223372036854775808.0", false),
        ("dyn(9223372036854775807) >= 9223372036854775808.0", true),
        ("dyn(18446744073709551615u) == 18446744073709551616.0", true),
        ("dyn(2) > 1.5 && dyn(2) < 2.5 && dyn(-2) < -1.5 && dyn(-2) > -2.5", true),
        ("dyn(1u) > -0.5 && dyn(0u) == -0.0", true),
        ("dyn(1) == double('NaN') || dyn(1) < double('NaN') || dyn(1) >= double('NaN')", false),
        ("9007199254740992.0 in [9007199254740993]", true),
        ("9007199254740992.0 in {9007199254740993: 'a'}", false),
        ("2.0 in {2: 'a'} && 2.0 in {2u: 'a'} && !(2.5 in {2: 'a'})", true),
    ])
    func intAndDoubleCompareAsDoublesAsTheSpecRequires(source: String, expected: Bool) {
        #expect(evaluate(source).typed == #"{"bool":\#(expected)}"#, "\(source)")
    }
}
