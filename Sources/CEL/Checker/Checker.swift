import Diagnostics

struct CheckedExpression {
    var diagnostics: [Diagnostic]
    var resultType: CELType
    var types: [ExprID: CELType]
}

enum Checker {
    static func check(_ parsed: ParsedExpression, variables: [String: CELType]) -> CheckedExpression {
        CheckedExpression(diagnostics: [], resultType: .dyn, types: [:])
    }
    static func isAssignable(_ a: CELType, to b: CELType) -> Bool { true }
}
