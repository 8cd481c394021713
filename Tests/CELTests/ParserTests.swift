import CEL
import Diagnostics
import Testing

@Suite struct ParserTests {
    @Test(arguments: [
        ("42", #"{"int":"42"}"#),
        ("0x1F", #"{"int":"31"}"#),
        ("-9223372036854775808", #"{"int":"-9223372036854775808"}"#),
        ("18446744073709551615u", #"{"uint":"18446744073709551615"}"#),
        ("0xFFu", #"{"uint":"255"}"#),
        ("1.5e3", #"{"double":1500.0}"#),
        (".5", #"{"double":0.5}"#),
        (#""a\tb""#, #"{"string":"a\tb"}"#),
        (#"'\u00e9\U0001F600'"#, #"{"string":"é😀"}"#),
        (#""\x41\101""#, #"{"string":"AA"}"#),
        (#"r"\n""#, #"{"string":"\\n"}"#),
        ("'''a\nb'''", #"{"string":"a\nb"}"#),
        (#"r'\d+\'"#, #"{"string":"\\d+\\"}"#),
        (#"R'''it's'''"#, #"{"string":"it's"}"#),
        (#"b"\xff""#, #"{"bytes":"/w=="}"#),
        ("true && !false", #"{"bool":true}"#),
        ("1 + 2 * 3 - 4 / 2", #"{"int":"5"}"#),
        ("(1 + 2) * 3 % 4", #"{"int":"1"}"#),
        ("1 < 2 == true", #"{"bool":true}"#),
        ("false ? 1 : true ? 2 : 3", #"{"int":"2"}"#),
        ("--5", #"{"int":"5"}"#),
        ("{'a': [1, 2]}.a[1]", #"{"int":"2"}"#),
        ("{'content-type': 1}.`content-type`", #"{"int":"1"}"#),
        ("{'if': 1}.if", #"{"int":"1"}"#),
        ("[1, 2, 3,].size()", #"{"int":"3"}"#),
        ("// comment\n7", #"{"int":"7"}"#),
    ])
    func literalsAndOperatorsParse(source: String, expected: String) {
        #expect(evaluate(source).typed == expected)
    }

    @Test(arguments: [
        ("1 + ⟦)⟧", "PB0310"),
        ("⟦9223372036854775808⟧", "PB0314"),
        ("⟦'abc⟧", "PB0314"),
        (#"⟦"\q"⟧"#, "PB0314"),
        ("a.⟦+⟧", "PB0310"),
        ("⟦if⟧ + 1", "PB0313"),
        ("⟦Msg{a: 1}⟧", "PB0312"),
        ("⟦has(x)⟧", "PB0315"),
        ("[1].all(⟦x.y⟧, true)", "PB0315"),
        ("1 ⟦=⟧ 1", "PB0310"),
        ("1 + 2 ⟦3⟧", "PB0310"),
    ])
    func syntaxErrorsPointAtTheProblem(markedSource: String, code: String) {
        let (source, range) = marked(markedSource)
        let result = CELEnvironment().compile(source)
        #expect(result.program == nil)
        let first = result.diagnostics.first
        #expect(first?.code.rawValue == code)
        #expect(first?.range == range)
    }

    @Test(arguments: [
        ("⟦1.⟧", "PB0314", "write 1.0 for a double or 1 for an int"),
        ("[⟦12.⟧]", "PB0314", "write 12.0"),
        ("⟦1.⟧ + 2.0", "PB0314", "write 1.0"),
        ("⟦0X1F⟧", "PB0314", "write 0x1F"),
        ("⟦0X1Fu⟧ == 31u", "PB0314", "write 0x1Fu"),
        ("a.⟦in⟧", "PB0313", "record.`in`"),
        ("a.⟦true⟧", "PB0313", "record.`true`"),
        ("a.⟦null⟧ == 1", "PB0313", "record.`null`"),
        ("a.?⟦false⟧", "PB0313", "record.`false`"),
        ("a.⟦in⟧()", "PB0313", "record.`in`"),
    ])
    func parserRefusesWhatTheGrammarRefuses(markedSource: String, code: String, helpFragment: String) {
        let (source, range) = marked(markedSource)
        let result = CELEnvironment(variables: ["a": .dyn]).compile(source)
        #expect(result.program == nil)
        let first = result.diagnostics.first
        #expect(first?.code.rawValue == code)
        #expect(first?.range == range)
        #expect(first?.help?.contains(helpFragment) == true, "\(first?.help ?? "no help")")
    }

    @Test(arguments: [
        ("a.?b.orValue(1)", #"{"int":"1"}"#),
        ("a.`in`", #"{"int":"2"}"#),
        ("a.if", #"{"int":"3"}"#),
        ("{'in': 4}['in']", #"{"int":"4"}"#),
        ("1.5 + .5", #"{"double":2.0}"#),
        ("0x1F", #"{"int":"31"}"#),
        ("0x1FU", #"{"uint":"31"}"#),
        ("1e3", #"{"double":1000.0}"#),
    ])
    func grammarCornersThatStayAccepted(source: String, expected: String) {
        let a = CELValue.map(CELMap(["in": .int(2), "if": .int(3)]))
        #expect(evaluate(source, ["a": a]).typed == expected)
    }

    @Test func templateBracesInAnExpressionAreExplained() {
        let result = CELEnvironment(variables: ["record": contactType]).compile("{{ record.email }}")
        #expect(result.program == nil)
        #expect(result.diagnostics.first?.help?.contains("without {{ }}") == true)
    }

    @Test func severalErrorsAreReportedForOneExpression() {
        let result = CELEnvironment().compile("[1 +, 2 *]")
        #expect(result.diagnostics.count >= 2)
        #expect(result.diagnostics.allSatisfy { $0.range.start >= 0 && $0.range.end <= 10 })
    }

    @Test func nestingBeyondTheLimitIsADiagnosticNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        let result = CELEnvironment().compile(deep)
        #expect(result.diagnostics.map(\.code.rawValue) == ["PB0311"])
        let chain = Array(repeating: "1", count: 500).joined(separator: " + ")
        #expect(CELEnvironment().compile(chain).diagnostics.first?.code.rawValue == "PB0311")
        let negations = String(repeating: "-", count: 100_000) + "1"
        #expect(CELEnvironment().compile(negations).diagnostics.first?.code.rawValue == "PB0311")
    }

    @Test func nestingWithinTheLimitParses() {
        let nested = String(repeating: "[", count: 60) + "1" + String(repeating: "]", count: 60)
        #expect(CELEnvironment().compile(nested).program != nil)
        let longAnd = Array(repeating: "true", count: 2000).joined(separator: " && ")
        #expect(evaluate(longAnd).typed == #"{"bool":true}"#)
    }

    @Test func overlongExpressionsAreRejected() {
        let long = String(repeating: "1+", count: CELParserLimits.maxSourceLength) + "1"
        let result = CELEnvironment().compile(long)
        #expect(result.diagnostics.map(\.code.rawValue) == ["PB0311"])
    }

    @Test func macrosExpandToComprehensions() {
        let parsed = CELParser.parse("[1, 2].exists(x, x > 1)")
        guard case .comprehension(let c) = parsed.root.kind else {
            Issue.record("expected a comprehension, got \(parsed.root.kind)")
            return
        }
        #expect(c.iterVar == "x")
        #expect(c.iterVar2 == nil)
    }
}
