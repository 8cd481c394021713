import CEL
import Diagnostics
import Testing

@Suite struct TemplateTests {
    let environment = CELEnvironment(variables: ["record": contactType, "x": .double, "when": .timestamp, "items": .list(.dyn)])

    @Test(arguments: [
        ("Hot lead {{ record.email }} scored {{ record.score }}", "Hot lead ann@example.com scored 91"),
        ("{{ x }}", "0.30000000000000004"),
        ("{{ 2.0 }} {{ 1e21 }}", "2 1e+21"),
        ("{{ when }}", "2024-05-01T12:00:00Z"),
        ("{{ items }}", #"[1, "a", true, null]"#),
        ("{{ {'k': [1]} }}", #"{"k": [1]}"#),
        (#"literal {{ "{{" }} braces }}"#, "literal {{ braces }}"),
        (#"{{ "}}" }}"#, "}}"),
        (#"{{ '''it's }}''' }}"#, "it's }}"),
        (#"{{ 'a\'}}' }}"#, "a'}}"),
        (#"{{ r"C:\" }} and {{ r'\' }}"#, #"C:\ and \"#),
        ("no interpolation", "no interpolation"),
        ("{{ duration('90m') }}", "5400s"),
    ])
    func rendersValuesByDocumentedRules(template: String, expected: String) throws {
        let compiled = CELTemplate.compile(template, in: environment)
        let t = try #require(compiled.template, "\(compiled.diagnostics.map(\.message))")
        let record = CELValue.map(CELMap(["email": .string("ann@example.com"), "score": .int(91)]))
        let when = CELEnvironment().compile("timestamp('2024-05-01T12:00:00Z')").program!.evaluate()
        let items = CELValue.list([.int(1), .string("a"), .bool(true), .null])
        let rendered = t.render(["record": record, "x": .double(0.1 + 0.2), "when": when, "items": items])
        #expect(try rendered.get() == expected)
    }

    @Test(arguments: [
        ("Hi {{ record.⟦scroe⟧ }}", "PB0301"),
        ("Hi ⟦{{⟧ record.email", "PB0320"),
        ("Hi ⟦{{  }}⟧!", "PB0321"),
        ("a {{ 1 + ⟦)⟧ }}", "PB0310"),
    ])
    func diagnosticsUseTemplateOffsets(markedTemplate: String, code: String) {
        let (template, range) = marked(markedTemplate)
        let compiled = CELTemplate.compile(template, in: environment)
        #expect(compiled.template == nil)
        #expect(compiled.diagnostics.first?.code.rawValue == code)
        #expect(compiled.diagnostics.first?.range == range)
    }

    @Test func interpolationsIgnoreTheExpectedResultTypeOfExpressions() {
        var conditions = environment
        conditions.expectedResultType = .bool
        #expect(CELTemplate.compile("{{ record.score }}", in: conditions).template != nil)
    }

    @Test func renderFailsOnAnErrorValue() {
        let t = CELTemplate.compile("{{ 1 / 0 }}", in: environment).template!
        guard case .failure(let error) = t.render([:]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message.contains("division by zero"))
    }
}
