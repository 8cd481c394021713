import Diagnostics

/// Text with `{{ expr }}` interpolations, e.g. `"Hot lead {{ record.email }} scored {{ record.score }}"`.
///
/// - Each interpolation is parsed and checked against the environment when the template is compiled;
///   diagnostic ranges are byte offsets into the template text.
/// - Literal braces: write the string literal as an expression, `{{ "{{" }}` renders `{{`. A `}}`
///   outside an interpolation is ordinary text. Inside an interpolation, quoted strings may contain
///   `}}` freely.
/// - Values render as `CELValue.rendered` does: strings as is, ints plainly, doubles in the shortest form that
///   reads back exactly, timestamps in RFC 3339, durations in seconds, lists and maps JSON-like.
public struct CELTemplate: Sendable {
    /// One piece of a template.
    public enum Segment: Sendable {
        case text(String)
        /// An interpolation: its program and the byte range of the expression within the template.
        case interpolation(CELProgram, range: SourceRange)
    }

    /// Text and interpolations in template order.
    public let segments: [Segment]
    /// The template text.
    public let source: String

    /// Compiles a template (`checkInterpolations` then `init(checked:in:)`); `template` is nil when
    /// any interpolation has an error.
    public static func compile(
        _ source: String, in environment: CELEnvironment, recordLayouts: [String: CELRecordSchema] = [:]
    ) -> CELTemplateCompileResult {
        let checked = checkInterpolations(source, in: environment)
        return CELTemplateCompileResult(
            diagnostics: checked.diagnostics,
            template: checked.template.map { CELTemplate(checked: $0, in: environment, recordLayouts: recordLayouts) })
    }

    /// Parses and checks every interpolation without keeping the checked expressions: the
    /// diagnostics and the variables read, as `checkInterpolations` gives them, but no template.
    public static func checkReads(_ source: String, in environment: CELEnvironment) -> CELTemplateCheckResult {
        scan(source, in: environment, keepingPieces: false)
    }

    /// Parses and checks every interpolation, keeping the checked expressions: build the runnable
    /// template from them with `init(checked:in:)`, without checking again.
    public static func checkInterpolations(_ source: String, in environment: CELEnvironment) -> CELTemplateCheckResult {
        scan(source, in: environment, keepingPieces: true)
    }

    /// Plans the interpolations of a checked template; `environment` must declare the variables it
    /// was checked against.
    public init(checked: CELCheckedTemplate, in environment: CELEnvironment, recordLayouts: [String: CELRecordSchema] = [:]) {
        var environment = environment
        environment.expectedResultType = nil
        self.source = checked.source
        self.segments = checked.pieces.map { piece in
            switch piece {
            case .text(let text): .text(text)
            case .interpolation(let expression, let range):
                .interpolation(environment.program(for: expression, recordLayouts: recordLayouts), range: range)
            }
        }
    }

    private static func scan(_ source: String, in environment: CELEnvironment, keepingPieces: Bool) -> CELTemplateCheckResult {
        // Interpolations render any type as text, whatever the environment expects of expressions.
        var environment = environment
        environment.expectedResultType = nil
        var text = source
        return text.withUTF8 { bytes in
            var pieces: [CELCheckedTemplate.Piece] = []
            var diagnostics: [Diagnostic] = []
            var references: [CELReference] = []
            var parsed = true
            var textStart = 0
            var position = 0
            var failed = false
            func flushText(upTo end: Int) {
                // Checking only needs the diagnostics, not the text pieces.
                if keepingPieces, end > textStart { pieces.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self))) }
            }
            while position + 1 < bytes.count {
                guard bytes[position] == UInt8(ascii: "{"), bytes[position + 1] == UInt8(ascii: "{") else {
                    position += 1
                    continue
                }
                let open = position
                guard let close = CELSource.closingBraces(bytes, from: open + 2) else {
                    diagnostics.append(.error(CELDiagnosticCode.unterminatedInterpolation, CELDiagnosticMessages.unterminatedInterpolation,
                                              at: SourceRange(start: open, end: open + 2),
                                              help: CELDiagnosticMessages.unterminatedInterpolationHelp))
                    failed = true
                    parsed = false
                    break
                }
                flushText(upTo: open)
                let exprStart = open + 2
                let exprText = String(decoding: bytes[exprStart..<close], as: UTF8.self)
                // The lexer skips ASCII white space only, so that is what makes an interpolation empty.
                if bytes[exprStart..<close].allSatisfy(Lexer.isBlank) {
                    diagnostics.append(.error(CELDiagnosticCode.emptyInterpolation, CELDiagnosticMessages.emptyInterpolation,
                                              at: SourceRange(start: open, end: close + 2)))
                    failed = true
                } else if !keepingPieces {
                    let checked = environment.typeCheck(exprText)
                    diagnostics += checked.diagnostics.map { $0.shifted(by: exprStart) }
                    if checked.hasErrors { failed = true }
                    if !checked.parsed { parsed = false }
                    references += checked.references.map { $0.shifted(by: exprStart) }
                } else {
                    let checked = environment.check(exprText)
                    diagnostics += checked.diagnostics.map { $0.shifted(by: exprStart) }
                    if checked.parsed.hasErrors { parsed = false }
                    references += checked.references.map { $0.shifted(by: exprStart) }
                    if let expression = checked.checked {
                        pieces.append(.interpolation(expression, range: SourceRange(start: exprStart, end: close)))
                    } else {
                        failed = true
                    }
                }
                position = close + 2
                textStart = position
            }
            flushText(upTo: bytes.count)
            let template = !keepingPieces || failed || diagnostics.contains { $0.severity == .error }
                ? nil : CELCheckedTemplate(source: source, pieces: pieces)
            return CELTemplateCheckResult(diagnostics: diagnostics, template: template, references: references, parsed: parsed)
        }
    }

    /// Renders the template; the first interpolation that evaluates to an error fails the render.
    public func render(_ activation: any CELVariableResolver, options: CELEvaluationOptions = .default) -> Result<String, CELError> {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .interpolation(let program, _):
                let value = program.evaluate(activation, options: options)
                if case .error(let error) = value { return .failure(error) }
                out += Render.text(value)
            }
        }
        return .success(out)
    }

    /// Renders with variables given as a dictionary.
    public func render(_ variables: [String: CELValue]) -> Result<String, CELError> {
        render(CELActivation(variables))
    }
}

/// A template whose interpolations are parsed and checked, not yet planned.
public struct CELCheckedTemplate: Sendable {
    /// One piece of a checked template.
    public enum Piece: Sendable {
        /// Text outside interpolations.
        case text(String)
        /// An interpolation: its checked expression and the byte range of the expression within the template.
        case interpolation(CELCheckedExpression, range: SourceRange)
    }

    /// The template text.
    public let source: String
    /// Text and interpolations in template order.
    public let pieces: [Piece]

    /// The checked interpolations with the byte range of each within the template.
    public var interpolations: [(expression: CELCheckedExpression, range: SourceRange)] {
        pieces.compactMap { piece in
            if case .interpolation(let expression, let range) = piece { return (expression, range) }
            return nil
        }
    }
}

/// What `CELTemplate.checkInterpolations` produces.
public struct CELTemplateCheckResult: Sendable {
    /// Problems, with ranges relative to the template text.
    public var diagnostics: [Diagnostic]
    /// The checked template, when there were no errors.
    public var template: CELCheckedTemplate?
    /// The uses of declared variables in every interpolation that parsed, with ranges relative to
    /// the template text.
    public var references: [CELReference] = []
    /// Whether every interpolation parsed (and was closed), so `references` names every variable read.
    public var parsed = true
}

/// What `CELTemplate.compile` produces.
public struct CELTemplateCompileResult: Sendable {
    /// Problems, with ranges relative to the template text.
    public var diagnostics: [Diagnostic]
    /// The compiled template, when there were no errors.
    public var template: CELTemplate?
}

extension Diagnostic {
    /// The same diagnostic with every range moved by `offset` bytes, for text embedded in a larger text.
    public func shifted(by offset: Int) -> Diagnostic {
        func move(_ r: SourceRange) -> SourceRange { SourceRange(start: r.start + offset, end: r.end + offset) }
        var copy = self
        copy.range = move(range)
        copy.notes = notes.map { DiagnosticNote($0.message, at: $0.range.map(move)) }
        copy.fixIts = fixIts.map { FixIt($0.message, edits: $0.edits.map { FixIt.Edit(range: move($0.range), replacement: $0.replacement) }) }
        return copy
    }
}
