import CEL
import Testing

@Suite struct NumberFormattingTests {
    @Test(arguments: [
        ("formatNumber(1234.5, 2)", "1,234.50"),
        ("formatNumber(2.675, 2)", "2.68"),
        ("formatNumber(0.005, 2)", "0.01"),
        ("formatNumber(0.004, 2)", "0.00"),
        ("formatNumber(-1234567.891, 1)", "-1,234,567.9"),
        ("formatNumber(-0.001, 2)", "0.00"),
        ("formatNumber(999.995, 2)", "1,000.00"),
        ("formatNumber(1234567, 0)", "1,234,567"),
        ("formatNumber(100, 2)", "100.00"),
        ("formatNumber(12u, 1)", "12.0"),
        ("formatNumber(0.00001, 5)", "0.00001"),
        ("formatNumber(1.5e20, 0)", "150,000,000,000,000,000,000"),
        ("formatNumber(-9223372036854775808, 0)", "-9,223,372,036,854,775,808"),
    ])
    func formatsAsReportsWriteNumbers(source: String, expected: String) {
        #expect(evaluate(source).typed == evaluate("'\(expected)'").typed, "\(source)")
    }

    @Test func refusesWhatCannotBeWrittenOut() {
        for source in ["formatNumber(1.0, -1)", "formatNumber(1.0, 16)", "formatNumber(double('NaN'), 2)", "formatNumber(double('inf'), 0)"] {
            guard case .error = evaluate(source) else { Issue.record("\(source) should be an error"); continue }
        }
        #expect(!CELEnvironment(variables: [:]).typeCheck("formatNumber('1', 2)").diagnostics.isEmpty)
    }
}
