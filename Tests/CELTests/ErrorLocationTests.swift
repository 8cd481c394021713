import CEL
import Diagnostics
import Testing

@Suite struct ErrorLocationTests {
    let environment = CELEnvironment(variables: ["record": .dyn, "items": .list(.dyn)])

    @Test(arguments: [
        "record.a + ⟦1 / record.zero⟧",
        "⟦record.missing⟧ == 1",
        "record.a > 0 && ⟦int('x')⟧ > 1",
        "⟦items[5]⟧",
        "items.all(i, ⟦i / 0⟧ > 1)",
        "⟦unknown⟧ + 1",
    ])
    func aRuntimeErrorMapsToTheNodeThatProducedIt(text: String) throws {
        let (source, range) = marked(text)
        let program = try #require(environment.unchecked.compile(source).program)
        let value = program.evaluate([
            "record": .map(CELMap(["a": .int(1), "zero": .int(0)])), "items": .list([.int(1)]),
        ])
        guard case .error(let error) = value else {
            Issue.record("expected an error, got \(value.rendered)")
            return
        }
        #expect(program.sourceRange(of: error) == range, "\(error.message)")
    }

    @Test func anErrorFromElsewhereHasNoPlace() throws {
        let program = try #require(environment.compile("1 + 1").program)
        #expect(program.sourceRange(of: CELError("elsewhere")) == nil)
    }
}
