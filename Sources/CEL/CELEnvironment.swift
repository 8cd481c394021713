import Diagnostics

/// Where expressions are compiled: the variables they may use, with their types.
///
/// ```swift
/// let env = CELEnvironment(variables: ["record": .object(name: "contact", fields: ["score": .int])])
/// let result = env.compile("record.score >= 80")
/// if let program = result.program {
///     let value = program.evaluate(["record": .map(CELMap(["score": .int(91)]))])   // .bool(true)
/// }
/// ```
public struct CELEnvironment: Sendable {
    /// Declared variables and their types. Names may be dotted (`steps.fetch`).
    public var variables: [String: CELType] {
        didSet { hasDottedVariables = Self.anyDotted(variables) }
    }
    /// Whether a declared name has a dot, so that `a.b.c` may name a variable rather than select
    /// fields; worked out once per environment, not per expression.
    private(set) var hasDottedVariables: Bool
    /// Whether `compile` type-checks; without checking, every name and function is resolved at run time.
    public var checksTypes: Bool
    /// The type the whole expression must have, if any (e.g. `.bool` for a `where:` condition).
    public var expectedResultType: CELType?

    /// An environment declaring `variables`; checking is on unless `checksTypes` is false.
    public init(variables: [String: CELType] = [:], checksTypes: Bool = true, expectedResultType: CELType? = nil) {
        self.variables = variables
        self.checksTypes = checksTypes
        self.expectedResultType = expectedResultType
        self.hasDottedVariables = Self.anyDotted(variables)
    }

    private static func anyDotted(_ variables: [String: CELType]) -> Bool {
        variables.keys.contains { name in
            var name = name
            return name.withUTF8 { $0.contains(UInt8(ascii: ".")) }
        }
    }

    /// Parses, checks (unless disabled) and plans an expression. Never throws: problems are
    /// diagnostics with byte ranges relative to `source`; `program` is nil when there are errors.
    public func compile(_ source: String) -> CELCompileResult {
        let checked = check(source)
        guard !checked.hasErrors else {
            return CELCompileResult(diagnostics: checked.diagnostics, resultType: checked.resultType, program: nil, parsed: checked.parsed)
        }
        var planner = Planner(library: .standard, declaredVariables: checksTypes ? Set(variables.keys) : nil)
        let root = planner.plan(checked.parsed.root)
        let program = CELProgram(root: root, slotCount: planner.slotCount, variableCount: planner.variableSlots.count,
                                 source: source, referencedVariables: planner.referencedVariables)
        return CELCompileResult(diagnostics: checked.diagnostics, resultType: checked.resultType, program: program, parsed: checked.parsed)
    }

    /// Parses and checks (unless disabled) without planning: what a validator needs, at a fraction of
    /// the cost of `compile`.
    public func check(_ source: String) -> CELCompileResult {
        let parsed = CELParser.parse(source)
        let checked = check(parsed, source: source)
        return CELCompileResult(diagnostics: checked.diagnostics, resultType: checked.resultType, program: nil, parsed: parsed)
    }

    /// The diagnostics and type of an expression, without its syntax tree: what a validator needs.
    /// Gives what `check` gives; a plain path such as `record.email` is typed without being parsed.
    public func typeCheck(_ source: String) -> CELTypeCheckResult {
        if let type = PathCheck.type(of: source, in: self) { return CELTypeCheckResult(diagnostics: [], resultType: type) }
        return check(CELParser.parse(source), source: source)
    }

    /// Checks a parsed expression (unless checking is disabled); syntax errors stop it.
    private func check(_ parsed: CELParsedExpression, source: String) -> CELTypeCheckResult {
        if parsed.hasErrors {
            var diagnostics = parsed.diagnostics
            // `{{ x }}` belongs in text fields; in an expression field it is a nested map literal.
            if source.trimmingPrefix(while: \.isWhitespace).hasPrefix("{{"), diagnostics[0].help == nil {
                diagnostics[0].help = "this field holds a bare expression; write it without {{ }}, which is only for text templates"
            }
            return CELTypeCheckResult(diagnostics: diagnostics, resultType: nil)
        }
        var diagnostics = parsed.diagnostics
        var resultType: CELType?
        if checksTypes {
            let checked = Checker.check(parsed, variables: variables, resolvesQualifiedNames: hasDottedVariables)
            diagnostics += checked.diagnostics
            resultType = checked.resultType
            if let expected = expectedResultType, let actual = resultType, checked.diagnostics.isEmpty,
               !Checker.isAssignable(actual, to: expected) {
                diagnostics.append(.error(
                    expected == .bool ? CELDiagnosticCode.nonBoolCondition : CELDiagnosticCode.resultTypeMismatch,
                    "expression has type '\(actual)' but '\(expected)' is expected", at: parsed.range(of: parsed.root.id)))
            }
        }
        return CELTypeCheckResult(diagnostics: diagnostics, resultType: resultType)
    }

    /// This environment with checking turned off.
    public var unchecked: CELEnvironment {
        var copy = self
        copy.checksTypes = false
        return copy
    }
}

/// What `CELEnvironment.typeCheck` produces.
public struct CELTypeCheckResult: Sendable {
    /// Errors and warnings, with ranges relative to the checked source.
    public var diagnostics: [Diagnostic]
    /// The checked type of the expression; nil when unchecked or when parsing failed.
    public var resultType: CELType?

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// What `CELEnvironment.compile` produces.
public struct CELCompileResult: Sendable {
    /// Errors and warnings, with ranges relative to the compiled source.
    public var diagnostics: [Diagnostic]
    /// The checked type of the expression; nil when unchecked or when parsing failed.
    public var resultType: CELType?
    /// The program, when there were no errors.
    public var program: CELProgram?
    /// The syntax tree, for tools that want to inspect it.
    public var parsed: CELParsedExpression

    /// Whether any diagnostic is an error (then `program` is nil).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// A compiled expression: plan once, evaluate many times, from any number of threads at once.
public struct CELProgram: Sendable {
    let root: Interpretable
    let slotCount: Int
    let variableCount: Int
    /// The source text the program was compiled from.
    public let source: String
    /// The variables the program may read, e.g. to find which steps an expression depends on.
    /// Unchecked programs list every candidate of a dotted name (`a.b.c`, `a.b`, `a`).
    public let referencedVariables: Set<String>

    /// Evaluates with the given variables. Failures are `.error` values, never thrown.
    public func evaluate(_ activation: CELActivation, options: CELEvaluationOptions = .default) -> CELValue {
        let frame = EvalFrame(activation: activation, slotCount: slotCount, variableCount: variableCount, costLimit: options.costLimit)
        return root.eval(frame)
    }

    /// Evaluates with variables given as a dictionary.
    public func evaluate(_ variables: [String: CELValue] = [:], options: CELEvaluationOptions = .default) -> CELValue {
        evaluate(CELActivation(variables), options: options)
    }
}
