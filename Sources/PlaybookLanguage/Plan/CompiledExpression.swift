import CEL
import Diagnostics

/// An expression ready to evaluate: planned once from the check `validate` runs, evaluated for
/// every record. A class, so that handing it to each record's evaluation retains one object
/// instead of every part of the program and its text.
public final class CompiledExpression: Sendable {
    /// The expression's text and where it is in the file.
    public let source: SourceText
    /// The planned program.
    public let program: CELProgram
    /// The type the checker gave it.
    public let resultType: CELType
    /// The layout `record` was planned with: a record built on this schema (`CELMap(schema:values:)`)
    /// has its fields read from their slots. Nil when the expression sees no record of known fields.
    public let recordSchema: CELRecordSchema?

    public init(source: SourceText, program: CELProgram, resultType: CELType, recordSchema: CELRecordSchema?) {
        self.source = source
        self.program = program
        self.resultType = resultType
        self.recordSchema = recordSchema
    }

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
