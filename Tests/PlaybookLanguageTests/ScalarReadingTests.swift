@testable import PlaybookLanguage
import Testing
import YAML

struct ScalarReadingTests {
    @Test(arguments: [
        ("0", 0), ("7", 7), ("-0", 0), ("+5", 5), ("-42", -42), ("100", 100),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
    ] as [(String, Int)])
    func plainIntegersRead(text: String, value: Int) {
        #expect(ScalarReading.integer(text, style: .plain) == value)
    }

    @Test(arguments: [
        "", "-", "+", "007", "-01", "1e3", "12a", "1_000", "1,000", " 1", "1.0", "٣",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999",
    ])
    func otherTextIsNotAnInteger(text: String) {
        #expect(ScalarReading.integer(text, style: .plain) == nil)
    }

    @Test func quotedDigitsAreText() {
        #expect(ScalarReading.integer("5", style: .doubleQuoted) == nil)
        #expect(ScalarReading.integer("5", style: .singleQuoted) == nil)
    }
}
