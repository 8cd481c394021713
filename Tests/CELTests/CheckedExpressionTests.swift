import CEL
import Diagnostics
import Testing

@Suite struct CheckedExpressionTests {
    let environment = CELEnvironment(variables: [
        "params": .map(.string, .dyn), "record": contactType, "steps": .dyn, "items": .list(.int),
    ])

    private func references(_ source: String) throws -> [String] {
        let checked = try #require(environment.check(source).checked, "\(environment.check(source).diagnostics.map(\.message))")
        return checked.references.map { reference in
            let text = String(decoding: Array(source.utf8)[reference.range.start..<reference.range.end], as: UTF8.self)
            return "\(reference.variable)\(reference.path.map { "/" + $0 }.joined()) @\(text)"
        }
    }

    @Test func referencesNameEachVariableWithTheConstantPathSelectedFromIt() throws {
        let source = #"params.min_score > 1 && params["tier"] == 'x' && record.email.size() > 0 && steps.contacts.status == 'ok'"#
        #expect(try references(source) == [
            "params/min_score @params.min_score",
            #"params/tier @params["tier"]"#,
            "record/email @record.email",
            "steps/contacts/status @steps.contacts.status",
        ])
    }

    @Test func comprehensionVariablesAreNotReferences() throws {
        #expect(try references("items.exists(i, i > params.limit) && record.tags.all(t, t != '')") == [
            "items @items", "params/limit @params.limit", "record/tags @record.tags",
        ])
    }

    @Test func aComputedIndexEndsThePathAndHasCountsAsARead() throws {
        // `has()` is a macro: its node, and so the reference, spans the whole call.
        #expect(try references("has(record.utm.source) && params[record.country] == 1") == [
            "record/utm/source @has(record.utm.source)", "params @params", "record/country @record.country",
        ])
    }

    @Test func fieldsReadAreTheFirstPathComponents() throws {
        let checked = try #require(environment.check("record.email != '' && record.utm.source == 'g' && size(record) > 0").checked)
        #expect(checked.fieldsRead(from: "record") == ["email", "utm"])
        #expect(checked.fieldsRead(from: "params").isEmpty)
    }

    @Test func aDottedVariableIsOneReference() throws {
        let environment = CELEnvironment(variables: ["steps.fetch": .map(.string, .dyn), "record": .dyn])
        let checked = try #require(environment.check("steps.fetch.status == 'ok'").checked)
        #expect(checked.references.map(\.variable) == ["steps.fetch"])
        #expect(checked.references.map(\.path) == [["status"]])
    }

    @Test func checkingGivesTypesAndNoCheckedExpressionOnError() {
        let result = environment.check("record.score + 1")
        #expect(result.checked?.resultType == .int)
        #expect(result.checked?.types[result.parsed.root.id] == .int)
        let failed = environment.check("record.scroe")
        #expect(failed.checked == nil)
        #expect(failed.diagnostics.map(\.code) == [CELDiagnosticCode.unknownField])
    }

    @Test(arguments: [
        "record.score >= 80 && record.country in ['PL', 'DE']",
        "record.tags.filter(t, t.startsWith('v')).size()",
        "params.limit",
        "record.email.lowerAscii() + '/' + string(record.page_views)",
    ])
    func aProgramPlannedFromACheckedExpressionMatchesCompile(source: String) throws {
        let checked = try #require(environment.check(source).checked)
        let planned = environment.program(for: checked)
        let compiled = try #require(environment.compile(source).program)
        let variables: [String: CELValue] = [
            "record": .map(CELMap([
                "score": .int(91), "country": .string("PL"), "tags": .list([.string("vip"), .string("new")]),
                "email": .string("Ann@Example.com"), "page_views": .int(3),
            ])),
            "params": .map(CELMap(["limit": .int(5)])), "steps": .null, "items": .list([]),
        ]
        #expect(planned.evaluate(variables).typed == compiled.evaluate(variables).typed)
    }

    @Test func aTemplateGivesItsCheckedInterpolationsAndRunsFromThem() throws {
        let checked = CELTemplate.checkInterpolations("Hi {{ record.email }}, {{ params.tier }}!", in: environment)
        let template = try #require(checked.template)
        #expect(template.interpolations.map { $0.expression.references.map(\.variable) } == [["record"], ["params"]])
        #expect(template.interpolations.map(\.range) == [SourceRange(start: 5, end: 19), SourceRange(start: 25, end: 38)])
        let runnable = CELTemplate(checked: template, in: environment)
        let rendered = runnable.render([
            "record": .map(CELMap(["email": .string("ann@example.com")])), "params": .map(CELMap(["tier": .string("gold")])),
        ])
        #expect(try rendered.get() == "Hi ann@example.com, gold!")
        #expect(CELTemplate.checkInterpolations("{{ record.scroe }}", in: environment).template == nil)
    }
}
