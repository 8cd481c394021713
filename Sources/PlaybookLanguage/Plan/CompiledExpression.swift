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
    /// The layout `record` was planned with: a record built on this schema (`CELMap(schema:values:)`)
    /// has its fields read from their slots. Nil when the expression sees no record of known fields.
    public var recordSchema: CELRecordSchema?

    /// Where an error this expression's evaluation produced is in the file, when it came from it.
    public func location(of error: CELError, in file: SourceFile) -> SourceRange? {
        program.sourceRange(of: error).map { ScalarSourceMap(source: source, file: file).sourceRange(forValueRange: $0) }
    }
}

/// A template ready to render.
public struct CompiledTemplate: Sendable {
    /// The template's text and where it is in the file.
    public var source: SourceText
    /// The parsed template with its planned interpolations.
    public var template: CELTemplate
    /// The layout `record` was planned with, as for expressions.
    public var recordSchema: CELRecordSchema?
}
