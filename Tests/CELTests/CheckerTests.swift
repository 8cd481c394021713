import CEL
import Diagnostics
import Testing

@Suite struct CheckerTests {
    let environment = CELEnvironment(variables: [
        "record": contactType, "params": .map(.string, .dyn), "now": .timestamp, "names": .list(.string),
    ])

    @Test(arguments: [
        ("record.⟦scroe⟧ >= 80", "PB0301", "did you mean 'score'?"),
        ("record.utm.⟦sorce⟧ == 'google'", "PB0301", "did you mean 'source'?"),
        ("has(record.⟦emial⟧)", "PB0301", "did you mean 'email'?"),
        ("⟦recrod⟧.score", "PB0302", "did you mean 'record'?"),
        ("record.email.⟦lowerAsci⟧()", "PB0303", "did you mean 'lowerAscii'?"),
        ("⟦sise⟧(names)", "PB0303", "did you mean 'size'?"),
        ("math.⟦gratest⟧(1, 2)", "PB0303", "did you mean 'math.greatest'?"),
        ("⟦record.score + 1.5⟧ > 2.0", "PB0304", "ints and doubles do not mix in arithmetic; convert with double(…) or int(…)"),
        ("⟦record.email⟧ ? 1 : 2", "PB0305", nil),
        ("record.score > 1 && ⟦record.email⟧", "PB0305", nil),
        ("names.exists(n, ⟦n⟧)", "PB0305", nil),
        ("record.score.⟦value⟧", "PB0306", nil),
        ("⟦record.email == 3⟧", "PB0304", "convert one side so both have the same type"),
        ("⟦size(record.score)⟧", "PB0304", nil),
        ("record.email.matches(⟦'('⟧)", "PB0316", nil),
        ("now - duration(⟦'7d'⟧)", "PB0314", "use the units h, m, s, ms, us, ns, e.g. '1h30m' (there is no unit for days: a day is '24h')"),
        ("timestamp(⟦'2024-13-01T00:00:00Z'⟧) < now", "PB0314", "write RFC 3339, e.g. '2024-05-01T12:00:00Z'"),
    ] as [(String, String, String?)])
    func errorsPointAtTheOffendingSubexpression(markedSource: String, code: String, help: String?) {
        let (source, range) = marked(markedSource)
        let result = environment.compile(source)
        #expect(result.program == nil)
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.code.rawValue == code)
        #expect(diagnostic?.range == range)
        #expect(diagnostic?.help == help)
    }

    @Test(arguments: [
        ("record.score >= 80", CELType.bool),
        ("record.email.trim().lowerAscii()", .string),
        ("record.page_views * 2 + (record.opened_last_email ? 10 : 0)", .int),
        ("record.tags.filter(t, t.startsWith('v'))", .list(.string)),
        ("record.tags.map(t, size(t))", .list(.int)),
        ("{'a': record.score}", .map(.string, .int)),
        ("params.min_score", .dyn),
        ("now - duration('24h')", .timestamp),
        ("record.?utm.source", .optional(.string)),
        ("dyn(record.email) + 1", .int),
        ("dyn(record.email) + dyn(1)", .dyn),
        ("record.tags.transformMap(i, t, t)", .map(.int, .string)),
    ])
    func inferredTypes(source: String, type: CELType) {
        let result = environment.compile(source)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.resultType == type)
    }

    @Test func dynIsCheckedAtRunTime() {
        let result = environment.compile("params.min_score + 1")
        let program = try! #require(result.program)
        let params = CELValue.map(CELMap(["min_score": .string("x")]))
        #expect(program.evaluate(["params": params]).isError)
    }

    @Test func severalCheckErrorsAreAllReported() {
        let result = environment.compile("record.scroe > 1 && record.emial == ''")
        #expect(result.diagnostics.map(\.code.rawValue) == ["PB0301", "PB0301"])
    }

    @Test func expectedResultTypeIsEnforced() {
        var env = environment
        env.expectedResultType = .bool
        let result = env.compile("record.score")
        #expect(result.diagnostics.map(\.code.rawValue) == ["PB0305"])
        #expect(result.diagnostics.first?.range == SourceRange(start: 0, end: 12))
        #expect(env.compile("record.score > 1").diagnostics.isEmpty)
    }

    @Test func uncheckedCompilationDefersErrorsToRunTime() {
        let result = environment.unchecked.compile("record.scroe")
        let program = try! #require(result.program)
        #expect(program.evaluate(["record": .map(CELMap(["score": .int(1)]))]).isError)
    }

    @Test func catalogueDescribesEveryCodeTheCompilerUses() {
        for code in ["PB0301", "PB0302", "PB0303", "PB0304", "PB0305", "PB0306", "PB0310", "PB0311", "PB0312", "PB0313", "PB0314", "PB0315", "PB0320", "PB0321"] {
            #expect(celDiagnosticCatalogue[DiagnosticCode(code)] != nil, "\(code)")
        }
    }
}
