import CEL
import Diagnostics
import PlaybookLanguage
import Testing

/// A `matches` pattern that RE2 refuses is reported by `playbook validate`, at the pattern in the file,
/// whatever the YAML scalar style; an RE2 pattern that works validates cleanly.
struct RegexPatternTests {
    /// Fields that hold a lookbehind, each marked «where the pattern literal is in the file».
    @Test(arguments: [
        "where: record.email.matches(«\"(?<=@)gmail\"»)",
        "where: 'record.email.matches(«\"(?<=@)gmail\"»)'",
        "where: \"record.email.matches(«'(?<=@)gmail\\\\\\\\.com'»)\"",
        "where: |\n          record.page_views > 0 &&\n          record.email.matches(\n            «r'(?<=@)gmail\\.com'»)",
    ])
    func refusedPatternIsReportedAtItsLiteralInEveryScalarStyle(field: String) throws {
        let marked = MarkedSource(CheckerTests.segmenting(field))
        let result = PlaybookValidator().validate(marked.file)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map { summary($0, in: marked.file) })")
        let diagnostic = try #require(errors.first)
        #expect(diagnostic.code == CELDiagnosticCode.invalidRegularExpression)
        #expect(diagnostic.range == marked.ranges.first, "\(summary(diagnostic, in: marked.file))")
        #expect(diagnostic.message == "invalid regular expression: invalid perl operator: (?<")
        #expect(diagnostic.help?.hasPrefix("RE2 has no lookbehind") == true)
    }

    @Test func re2PatternsValidateCleanly() {
        let source = CheckerTests.segmenting(#"where: 'record.email.matches("(?i)^[\\pL\\d._%+-]+@example\\.(com|org)$")'"#)
        #expect(validate(source).diagnostics.isEmpty, "\(validate(source).diagnostics.map(\.message))")
    }
}
