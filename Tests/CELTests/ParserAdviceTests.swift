import CEL
import Testing

/// What the parser advises for the mistakes people make writing their first expressions.
@Suite struct ParserAdviceTests {
    private func help(_ source: String) -> String? {
        CELParser.parse(source).diagnostics.first?.help
    }

    @Test(arguments: [
        ("record.score > 5 and record.country == \"PL\"", "'&&'"),
        ("record.opted_in or record.vip", "'||'"),
        ("Google Ads", "'\"Google Ads\"'"),
        ("Spring sale 2026", "'\"Spring sale 2026\"'"),
    ])
    func textLeftAfterAnExpressionGetsAdvice(source: String, advice: String) throws {
        let text = try #require(help(source), "no help for \(source)")
        #expect(text.contains(advice), "\(text)")
    }

    @Test(arguments: [
        ("record.score > 5 and record.country == \"PL\"", "'and' is not an operator; write '&&'"),
        ("record.opted_in or record.vip", "'or' is not an operator; write '||'"),
        ("Google Ads", "text in an expression needs its own quotes"),
    ])
    func theMistakeIsNamedInTheMessage(source: String, message: String) {
        let diagnostics = CELParser.parse(source).diagnostics
        #expect(diagnostics.map(\.message) == [message])
    }

    @Test func anExpressionWithOperatorsIsNotTakenForText() {
        #expect(help("record.a + record.b record.c") == nil)
    }
}
