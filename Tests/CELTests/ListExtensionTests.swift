import CEL
import Testing

@Suite struct ListExtensionTests {
    @Test func flattenOpensOneLevelByDefault() {
        #expect(evaluate("[[1, 2], [3], []].flatten()").typed == evaluate("[1, 2, 3]").typed)
        #expect(evaluate("[1, [2, [3, 4]]].flatten()").typed == evaluate("[1, 2, [3, 4]]").typed)
    }

    @Test func flattenOpensAsManyLevelsAsAsked() {
        #expect(evaluate("[1, [2, [3, [4]]]].flatten(2)").typed == evaluate("[1, 2, 3, [4]]").typed)
        #expect(evaluate("[[1]].flatten(0)").typed == evaluate("[[1]]").typed)
        let negative = evaluate("[[1]].flatten(-1)")
        guard case .error(let error) = negative else { Issue.record("expected an error, got \(negative)"); return }
        #expect(error.message.contains("must not be negative"))
    }

    @Test func flattenTypeChecksNestedListsAndWebhookBodies() {
        // The element type of a list of lists of strings is string.
        let environment = CELEnvironment(variables: ["tags": .list(.list(.string))])
        #expect(environment.typeCheck("tags.flatten()").resultType == .list(.string))
        #expect(!environment.typeCheck("'a'.flatten()").diagnostics.isEmpty)

        // Every change of every entry of a Meta webhook request, as one list.
        let payload: CELValue = ["entry": [
            ["changes": [["value": ["leadgen_id": "1"]], ["value": ["leadgen_id": "2"]]]],
            ["changes": [["value": ["leadgen_id": "3"]]]],
        ]]
        let ids = evaluate("payload.entry.map(e, e.changes.map(c, c.value.leadgen_id)).flatten()", ["payload": payload])
        #expect(ids.typed == evaluate(#"["1", "2", "3"]"#).typed)
    }
}
