import CEL
import Diagnostics

/// An expression ready to evaluate: planned once from the check `validate` runs, evaluated for
/// every record.
public struct CompiledExpression: Sendable {
    /// The expression's text and where it is in the file.
    public var source: SourceText
    /// The planned program.
    public var program: CELProgram
    /// The type the checker gave it.
    public var resultType: CELType
}

/// A template ready to render.
public struct CompiledTemplate: Sendable {
    /// The template's text and where it is in the file.
    public var source: SourceText
    /// The parsed template with its planned interpolations.
    public var template: CELTemplate
}
