import CEL
import Diagnostics
import Testing

/// The Swift example in docs/expressions.md, kept working.
@Suite struct DocumentationExampleTests {
    @Test func swiftUsageExampleBehavesAsDocumented() throws {
        let contact = CELType.object(name: "contact", fields: ["email": .string, "score": .int, "tags": .list(.string)])
        var environment = CELEnvironment(variables: ["record": contact, "now": .timestamp])
        environment.expectedResultType = .bool

        let compiled = environment.compile("record.scroe >= 80")
        #expect(compiled.diagnostics.count == 1)
        #expect(compiled.diagnostics.first?.code == CELDiagnosticCode.unknownField)
        #expect(compiled.diagnostics.first?.range == SourceRange(start: 7, end: 12))
        #expect(compiled.diagnostics.first?.help == "did you mean 'score'?")

        let program = try #require(environment.compile("record.score >= 80 && 'vip' in record.tags").program)
        let record: CELValue = ["email": "ann@example.com", "score": 91, "tags": ["vip"]]
        #expect(program.evaluate(["record": record]).typed == #"{"bool":true}"#)

        let template = try #require(CELTemplate.compile("Hot lead {{ record.email }}", in: environment).template)
        #expect(try template.render(["record": record]).get() == "Hot lead ann@example.com")

        let checked = environment.typeCheck("record.score > 80")
        #expect(checked.diagnostics.isEmpty)
        #expect(checked.resultType == .bool)
    }

    @Test func checkedExpressionExampleBehavesAsDocumented() throws {
        let contact = CELType.object(name: "contact", fields: ["email": .string, "score": .int, "tags": .list(.string)])
        var environment = CELEnvironment(variables: ["record": contact, "now": .timestamp])
        environment.expectedResultType = .bool

        let checked = try #require(environment.check("record.score >= 80 && 'vip' in record.tags").checked)
        #expect(checked.references.map(\.path) == [["score"], ["tags"]])
        #expect(checked.fieldsRead(from: "record") == ["score", "tags"])

        let schema = CELRecordSchema(fieldNames: ["email", "score", "tags"])
        let slotted = environment.program(for: checked, recordLayouts: ["record": schema])
        let lead = CELValue.map(CELMap(schema: schema, values: ["ann@example.com", 91, nil]))
        let run: CELActivation = ["now": .null]
        let hot = slotted.evaluate(record: lead, in: run)
        guard case .error(let error) = hot else {
            Issue.record("expected an error, got \(hot.rendered)")
            return
        }
        #expect(error.message == "no such key: 'tags'")
        #expect(slotted.sourceRange(of: error) == SourceRange(start: 31, end: 42))

        var building = CELRecordBuilder(schema: schema)
        building[0] = "bo@example.com"
        building[2] = ["new"]
        let bo = CELValue.map(building.record())
        #expect(slotted.evaluate(record: bo, in: ["now": .null]).rendered == "false")
    }
}
