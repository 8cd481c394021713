import CEL
import Testing

/// Corner cases where cel-spec (and cel-go) are stricter than a lenient reading would be.
@Suite struct SpecCornerCaseTests {
    @Test(arguments: [
        ("size([1/0])", "division by zero"),
        ("[1, 2/0][0]", "division by zero"),
        ("[1, x / 0][0]", "division by zero"),
        ("{'a': 1/0}.size()", "division by zero"),
        ("{'a': 1, 'b': x / 0}['a']", "division by zero"),
        ("{1/0: 'a'}.size()", "division by zero"),
        ("1 in [1, 1/0]", "division by zero"),
    ])
    func errorInListOrMapLiteralMakesTheLiteralAnError(source: String, messageFragment: String) {
        for checked in [true, false] {
            guard case .error(let error) = evaluate(source, ["x": .int(1)], checked: checked) else {
                Issue.record("expected an error from \(source)")
                continue
            }
            #expect(error.message.contains(messageFragment))
        }
    }
}
