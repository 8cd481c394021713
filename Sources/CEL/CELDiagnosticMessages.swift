/// The texts of the expression language's diagnostics, in one place: where a problem is found, the
/// code names the message; the wording lives here.
enum CELDiagnosticMessages {
    /// Help for a parse error in an expression field that starts with `{{`.
    static let templateBracesInExpressionHelp =
        "this field holds a bare expression; write it without {{ }}, which is only for text templates"

    /// An expression whose type is not the one its place needs.
    static func resultType(_ actual: CELType, expected: CELType) -> String {
        "expression has type '\(actual)' but '\(expected)' is expected"
    }

    /// A template's `{{` without its `}}`.
    static let unterminatedInterpolation = "'{{' has no matching '}}'"
    /// How to write literal braces in a template.
    static let unterminatedInterpolationHelp = "write {{ \"{{\" }} for literal braces"
    /// A template's `{{ }}` with nothing inside.
    static let emptyInterpolation = "'{{ }}' holds no expression"
}
