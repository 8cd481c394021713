import CEL
import PlaybookLanguage
import Testing
@testable import PlaybookRuntime

@Suite struct ParamValuesTests {
    @Test(arguments: [
        ("Trade show", ParamType.string, "Trade show"),
        ("-42", .int, "-42"),
        ("0.25", .double, "0.25"),
        ("1e3", .double, "1000"),
        ("TRUE", .bool, "true"),
        ("1h30m", .duration, "5400s"),
        ("90s", .duration, "90s"),
        ("2026-03-01T09:00:00+01:00", .timestamp, "2026-03-01T08:00:00Z"),
        ("PL,DE", .list, #"["PL", "DE"]"#),
        (#"[1, "two", 3.5]"#, .list, #"[1, "two", 3.5]"#),
        ("", .list, "[]"),
    ])
    func aValueIsReadAsItsDeclaredType(text: String, type: ParamType, rendered: String) throws {
        let value = try ParamValues.value(text, as: type).get()
        #expect(value.rendered == rendered)
    }

    @Test(arguments: [
        ("4.5", ParamType.int), ("0x10", .int), ("1e400x", .double), ("nan", .double), ("inf", .double),
        ("yes", .bool), ("soon", .duration), ("2026-03-01", .timestamp), (#"["open""#, .list),
    ])
    func aValueOfTheWrongTypeIsRefused(text: String, type: ParamType) {
        #expect(throws: ParamValues.Expected.self) { try ParamValues.value(text, as: type).get() }
    }
}
