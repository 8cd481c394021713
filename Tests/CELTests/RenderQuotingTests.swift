import CEL
import Testing

struct RenderQuotingTests {
    /// Strings inside rendered lists and maps are JSON-quoted, control characters as hex escapes.
    @Test func controlCharactersInNestedStringsAreHexEscapes() {
        let value: CELValue = .list(["tab\there", .string("unit\u{1F}sep")])
        #expect(value.rendered == #"["tab\there", "unit\u001fsep"]"#)
    }
}
