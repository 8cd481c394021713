import Diagnostics

/// Stable diagnostic codes of the expression language. Codes are never reused.
public enum CELDiagnosticCode {
    /// A field that the record type does not declare.
    public static let unknownField: DiagnosticCode = "PB0301"
    /// A variable that is not declared in the environment.
    public static let unknownVariable: DiagnosticCode = "PB0302"
    /// A function that does not exist.
    public static let unknownFunction: DiagnosticCode = "PB0303"
    /// A function or operator applied to argument types it has no overload for.
    public static let noMatchingOverload: DiagnosticCode = "PB0304"
    /// A condition (`? :`, `&&`, `||`, `!`, macro predicate) that is not a bool.
    public static let nonBoolCondition: DiagnosticCode = "PB0305"
    /// Field selection on a value that has no fields (an int, a list…).
    public static let noFields: DiagnosticCode = "PB0306"
    /// The expression's result has the wrong type for where it is used.
    public static let resultTypeMismatch: DiagnosticCode = "PB0307"
    /// A syntax error.
    public static let syntaxError: DiagnosticCode = "PB0310"
    /// The expression is nested too deeply or is too long.
    public static let limitExceeded: DiagnosticCode = "PB0311"
    /// `Name{field: value}` message construction, which playbooks do not support.
    public static let messageConstruction: DiagnosticCode = "PB0312"
    /// A reserved word used as a name.
    public static let reservedWord: DiagnosticCode = "PB0313"
    /// A literal that is malformed or out of range (bad escape, integer too large).
    public static let invalidLiteral: DiagnosticCode = "PB0314"
    /// A macro called with the wrong arguments, e.g. `exists(x.y, …)` instead of a variable name.
    public static let invalidMacro: DiagnosticCode = "PB0315"
    /// A `matches` pattern that RE2 does not accept: invalid, or a construct such as lookahead that
    /// RE2 leaves out so that matching stays linear in the text.
    public static let invalidRegularExpression: DiagnosticCode = "PB0316"
    /// A template interpolation `{{` without its closing `}}`.
    public static let unterminatedInterpolation: DiagnosticCode = "PB0320"
    /// A template interpolation with no expression inside.
    public static let emptyInterpolation: DiagnosticCode = "PB0321"
}

/// The catalogue of every expression-language diagnostic, with a title and an explanation.
public let celDiagnosticCatalogue = DiagnosticCatalogue([
    DiagnosticDescriptor(CELDiagnosticCode.unknownField, .error, "unknown field",
        "The record type does not declare this field. Check the spelling against the fields the resource declares."),
    DiagnosticDescriptor(CELDiagnosticCode.unknownVariable, .error, "unknown variable",
        "The name is not a variable available here. Use one of the declared variables, or quote text as a string literal."),
    DiagnosticDescriptor(CELDiagnosticCode.unknownFunction, .error, "unknown function",
        "No function or method has this name. See docs/expressions.md for the functions that exist."),
    DiagnosticDescriptor(CELDiagnosticCode.noMatchingOverload, .error, "no matching overload",
        "The function or operator exists but not for these argument types, e.g. adding an int to a double. Convert one side with int(), double() or string()."),
    DiagnosticDescriptor(CELDiagnosticCode.nonBoolCondition, .error, "condition is not a bool",
        "Conditions of `? :`, `&&`, `||`, `!` and of macros such as `exists` must be true or false. Compare the value, e.g. `x != \"\"`."),
    DiagnosticDescriptor(CELDiagnosticCode.noFields, .error, "value has no fields",
        "Only maps and records have fields; this value is a number, string, list or similar."),
    DiagnosticDescriptor(CELDiagnosticCode.resultTypeMismatch, .error, "result type mismatch",
        "The expression produces a type other than the one this place needs, e.g. a string where a bool condition is expected."),
    DiagnosticDescriptor(CELDiagnosticCode.syntaxError, .error, "syntax error",
        "The expression is not valid CEL. The message says what was expected where."),
    DiagnosticDescriptor(CELDiagnosticCode.limitExceeded, .error, "expression too complex",
        "The expression is nested more than 100 levels deep or is longer than 100,000 bytes. Split it into smaller steps."),
    DiagnosticDescriptor(CELDiagnosticCode.messageConstruction, .error, "message construction not supported",
        "`Name{field: value}` builds protocol-buffer messages, which playbooks do not have. Use a map literal `{\"field\": value}`."),
    DiagnosticDescriptor(CELDiagnosticCode.reservedWord, .error, "reserved word",
        "Words such as `if`, `for` and `return` are reserved and cannot name a variable or function; `in`, `true`, `false` and `null` cannot be a field name after a dot either. Quote a field name with backticks."),
    DiagnosticDescriptor(CELDiagnosticCode.invalidLiteral, .error, "invalid literal",
        "A number is too large for its type or is not written as CEL writes numbers (`1.` for `1.0`, `0X1F` for `0x1F`), a string contains an invalid escape sequence, or a timestamp or duration written as text is malformed or out of range."),
    DiagnosticDescriptor(CELDiagnosticCode.invalidMacro, .error, "invalid macro call",
        "Macros such as `exists`, `all`, `map` and `has` need specific arguments, e.g. a variable name first: `list.exists(x, x > 1)`."),
    DiagnosticDescriptor(CELDiagnosticCode.invalidRegularExpression, .error, "invalid regular expression",
        "Patterns are RE2 syntax, which matches in time linear in the text. RE2 leaves out what needs backtracking: lookahead `(?=…)` and `(?!…)`, lookbehind `(?<=…)` and `(?<!…)`, backreferences `\\1`, atomic groups and possessive repetition; and it has no `\\Z`. See docs/expressions.md."),
    DiagnosticDescriptor(CELDiagnosticCode.unterminatedInterpolation, .error, "unterminated interpolation",
        "A `{{` in a template has no matching `}}`. Write `{{ \"{{\" }}` for literal braces."),
    DiagnosticDescriptor(CELDiagnosticCode.emptyInterpolation, .error, "empty interpolation",
        "A `{{ }}` in a template holds no expression."),
])
