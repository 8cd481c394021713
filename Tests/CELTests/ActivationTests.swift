import CEL
import Diagnostics
import Testing

/// Run-level values kept apart from the record, as a runtime would hold them.
private final class RunValues: CELVariableResolver {
    let values: [String: CELValue]
    init(_ values: [String: CELValue]) { self.values = values }
    func resolve(_ name: String) -> CELValue? { values[name] }
}

@Suite struct ActivationTests {
    let environment = CELEnvironment(variables: ["record": .dyn, "params": .dyn, "now": .dyn])
    let run: CELActivation = ["params": .map(CELMap(["min": .int(50)])), "record": .string("shadowed")]

    private func program(_ source: String) throws -> CELProgram {
        try #require(environment.compile(source).program)
    }

    @Test func theRecordIsBoundOverSharedRunValues() throws {
        let p = try program("record.score >= params.min")
        let records = [91, 12].map { CELValue.map(CELMap(["score": .int(Int64($0))])) }
        #expect(records.map { p.evaluate(record: $0, in: run).typed } == [#"{"bool":true}"#, #"{"bool":false}"#])
        #expect(p.evaluate(CELRecordActivation(record: records[0], parent: run)).typed == #"{"bool":true}"#)
        #expect(p.evaluate(record: records[1], in: RunValues(run.variables)).typed == #"{"bool":false}"#)
    }

    @Test func aHierarchicalActivationLooksInTheChildFirst() throws {
        let parent = CELActivation(["params": .int(1), "now": .int(100)])
        let child = CELActivation(["params": .int(2)])
        let layered = CELHierarchicalActivation(parent: parent, child: child)
        #expect(try program("params + now").evaluate(layered).typed == #"{"int":"102"}"#)
        #expect(layered.resolve("record") == nil)
    }

    @Test func anUnboundVariableIsAnErrorValue() throws {
        let value = try program("now").evaluate(record: .null, in: CELActivation())
        #expect(value.isError)
    }

    @Test func aRecordBoundUnderAnotherName() throws {
        let p = try #require(CELEnvironment(variables: ["lead": .dyn]).compile("lead.score").program)
        #expect(p.evaluate(record: .map(CELMap(["score": .int(3)])), named: "lead", in: CELActivation()).typed == #"{"int":"3"}"#)
    }
}
