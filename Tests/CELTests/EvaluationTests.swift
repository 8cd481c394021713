import CEL
import Testing

@Suite struct EvaluationTests {
    @Test(arguments: [
        ("false && (1 / 0 > 2)", #"{"bool":false}"#),
        ("(1 / 0 > 2) && false", #"{"bool":false}"#),
        ("true || (1 / 0 > 2)", #"{"bool":true}"#),
        ("(1 / 0 > 2) || true", #"{"bool":true}"#),
        ("1 == 1.0 && dyn(1u) == 1 && 2 > 1.5", #"{"bool":true}"#),
        ("3.0 in [1, 2, 3]", #"{"bool":true}"#),
        ("{1: 'a'}[1u]", #"{"string":"a"}"#),
        ("7 / 2", #"{"int":"3"}"#),
        ("-7 % 3", #"{"int":"-1"}"#),
        ("0.1 + 0.2", #"{"double":0.30000000000000004}"#),
        ("[1, 2] + [3]", #"{"list":[{"int":"1"},{"int":"2"},{"int":"3"}]}"#),
        ("'ab' + 'c'", #"{"string":"abc"}"#),
        ("size('héllo')", #"{"int":"5"}"#),
        ("[1, 2, 3].filter(x, x % 2 == 1).map(x, x * 10)", #"{"list":[{"int":"10"},{"int":"30"}]}"#),
        ("[1, 2, 3].exists_one(x, x > 2)", #"{"bool":true}"#),
        ("{'a': 1, 'b': 2}.transformMap(k, v, v * 2)", #"{"map":[[{"string":"a"},{"int":"2"}],[{"string":"b"},{"int":"4"}]]}"#),
        ("cel.bind(x, 2, x * x)", #"{"int":"4"}"#),
        ("[0, 1].exists(x, 1 / x == 1)", #"{"bool":true}"#),
        ("[0, 1].all(x, 1 / x == 2)", #"{"bool":false}"#),
        ("{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", #"{"bool":true}"#),
        ("[1, 2].all(i, v, v == i + 1)", #"{"bool":true}"#),
        ("timestamp('2024-03-01T00:00:00Z') - timestamp('2024-02-28T00:00:00Z')", #"{"duration":"172800s"}"#),
        ("timestamp('2024-01-01T23:30:00Z').getHours('Europe/Warsaw')", #"{"int":"0"}"#),
        ("duration('1h30m') + duration('30s')", #"{"duration":"5430s"}"#),
        ("'Hello'.lowerAscii().endsWith('llo')", #"{"bool":true}"#),
        ("'a,b,c'.split(',').join('-')", #"{"string":"a-b-c"}"#),
        ("'%s has %d points'.format(['Ann', 12])", #"{"string":"Ann has 12 points"}"#),
        ("math.greatest(1, 2.5, 2u)", #"{"double":2.5}"#),
        ("base64.encode(b'hi')", #"{"string":"aGk="}"#),
        ("optional.of(1).optMap(x, x + 1).orValue(0)", #"{"int":"2"}"#),
        ("{'a': 1}.?b.orValue(5)", #"{"int":"5"}"#),
        ("'abc'.matches('^a.c$')", #"{"bool":true}"#),
        ("type(1) == int && type('a') == string", #"{"bool":true}"#),
    ])
    func evaluatesPerSpec(source: String, expected: String) {
        #expect(evaluate(source).typed == expected)
    }

    @Test(arguments: [
        ("9223372036854775807 + 1", "overflow"),
        ("1 / 0", "division by zero"),
        ("5 % 0", "modulus by zero"),
        ("0u - 1u", "overflow"),
        ("[1][5]", "index out of range"),
        ("{'a': 1}.b", "no such key"),
        ("dyn(1) + dyn(1.0)", "no matching overload"),
        ("int(1e20)", "range"),
        ("timestamp('9999-12-31T23:59:59Z') + duration('1s')", "range"),
        ("'x'.matches('(')", "invalid regular expression"),
        ("[0, 1].exists(x, 1 / x == 5)", "division by zero"),
        ("[1, 2].all(x, x)", "no matching overload"),
    ])
    func failuresAreErrorValues(source: String, messageFragment: String) {
        guard case .error(let error) = evaluate(source, checked: false) else {
            Issue.record("expected an error from \(source)")
            return
        }
        #expect(error.message.contains(messageFragment))
    }

    @Test func variablesAreReadFromTheActivation() {
        let lead = CELValue.map(CELMap(["score": .int(91), "country": .string("PL")]))
        #expect(evaluate("lead.score >= 80 && lead.country in ['PL', 'DE']", ["lead": lead]).typed == #"{"bool":true}"#)
        #expect(evaluate("score > 50 ? 'hot' : 'cold'", ["score": .int(10)]).typed == #"{"string":"cold"}"#)
    }

    @Test func swiftLiteralsBuildValues() {
        let lead: CELValue = ["score": 91, "ratio": 0.5, "tags": ["vip", nil], "active": true]
        #expect(evaluate("lead.score + int(lead.ratio * 2.0) == 92 && lead.tags[1] == null && lead.active", ["lead": lead]).typed == #"{"bool":true}"#)
    }

    @Test func programsListTheVariablesTheyRead() throws {
        let environment = CELEnvironment(variables: ["record": contactType, "params": .dyn, "run": .dyn, "steps.fetch": .int])
        let program = try #require(environment.compile("record.tags.exists(t, t == params.tag) && steps.fetch > 0").program)
        #expect(program.referencedVariables == ["record", "params", "steps.fetch"])
    }

    @Test func dottedVariableNamesWinOverFieldSelection() {
        let variables: [String: CELValue] = ["a.b": .int(1), "a": .map(CELMap(["b": .int(2)]))]
        #expect(evaluate("a.b", variables).typed == #"{"int":"1"}"#)
        #expect(evaluate("a.b", variables, checked: false).typed == #"{"int":"1"}"#)
    }

    @Test func costLimitStopsRunawayComprehensions() {
        let compiled = CELEnvironment().compile("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(b, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(c, a * b * c)))")
        let program = try! #require(compiled.program)
        guard case .list = program.evaluate() else {
            Issue.record("expected a list within the default limit")
            return
        }
        guard case .error(let error) = program.evaluate(CELActivation(), options: CELEvaluationOptions(costLimit: 500)) else {
            Issue.record("expected the cost limit to stop evaluation")
            return
        }
        #expect(error.message.contains("cost limit"))
    }

    @Test func costLimitBoundsStringGrowth() {
        let program = try! #require(CELEnvironment(variables: ["s": .string]).compile("s + s + s + s").program)
        let big = CELValue.string(String(repeating: "x", count: 1000))
        #expect(!program.evaluate(["s": big]).isError)
        #expect(program.evaluate(CELActivation(["s": big]), options: CELEvaluationOptions(costLimit: 2000)).isError)
    }

    @Test func timeLimitStopsALongEvaluationWithinItsCostLimit() throws {
        // About four million iterations: within the default cost limit, far beyond a millisecond.
        let numbers = CELValue.list((0..<2_000).map { CELValue.int(Int64($0)) })
        let program = try #require(CELEnvironment(variables: ["xs": .list(.int)]).compile("xs.all(a, xs.all(b, a + b >= 0))").program)
        let result = program.evaluate(CELActivation(["xs": numbers]), options: CELEvaluationOptions(timeLimit: .milliseconds(1)))
        guard case .error(let error) = result else {
            Issue.record("expected the time limit to stop evaluation, got \(result.typed)")
            return
        }
        #expect(error.message == "evaluation time limit exceeded")
    }

    @Test func costLimitIsReportedAsSuchWhenATimeLimitIsAlsoSet() throws {
        let program = try #require(CELEnvironment(variables: ["xs": .list(.int)]).compile("xs.map(x, x * 2)").program)
        let numbers = CELValue.list((0..<100).map { CELValue.int(Int64($0)) })
        let generous = CELEvaluationOptions(timeLimit: .seconds(600))
        #expect(program.evaluate(CELActivation(["xs": numbers]), options: generous).typed.hasPrefix(#"{"list":[{"int":"0"},{"int":"2"}"#))
        let tight = CELEvaluationOptions(costLimit: 50, timeLimit: .seconds(600))
        guard case .error(let error) = program.evaluate(CELActivation(["xs": numbers]), options: tight) else {
            Issue.record("expected the cost limit to stop evaluation")
            return
        }
        #expect(error.message == "evaluation cost limit exceeded")
        #expect(CELEvaluationOptions().timeLimit == nil)
        #expect(CELEvaluationOptions(timeLimit: .seconds(90) + .nanoseconds(7)).timeLimit == .seconds(90) + .nanoseconds(7))
    }

    @Test func programsEvaluateConcurrently() async {
        let program = CELEnvironment(variables: ["n": .int]).compile("[1, 2, 3].map(x, x * n).filter(y, y > n)").program!
        let results = await withTaskGroup(of: (Int64, String).self) { group in
            for n in Int64(1)...64 {
                group.addTask { (n, program.evaluate(["n": .int(n)]).typed) }
            }
            var collected: [(Int64, String)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == 64)
        for (n, text) in results {
            #expect(text == #"{"list":[{"int":"\#(2 * n)"},{"int":"\#(3 * n)"}]}"#)
        }
    }

    @Test func constantPatternsAreCompiledOnceAndStillValidated() {
        let result = CELEnvironment(variables: ["s": .string]).compile("s.matches('[a-z]+@example\\\\.com')")
        let program = try! #require(result.program)
        #expect(program.evaluate(["s": .string("ann@example.com")]).typed == #"{"bool":true}"#)
        #expect(program.evaluate(["s": .string("ANN@example.com")]).typed == #"{"bool":false}"#)
    }
}
