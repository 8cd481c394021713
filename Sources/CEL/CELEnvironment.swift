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

    /// Parses, checks (unless disabled) and plans an expression: `check` then `program(for:)`. Never
    /// throws: problems are diagnostics with byte ranges relative to `source`; `program` is nil when
    /// there are errors.
    public func compile(_ source: String, recordLayouts: [String: CELRecordSchema] = [:]) -> CELCompileResult {
        let result = check(source)
        return CELCompileResult(
            diagnostics: result.diagnostics, resultType: result.resultType,
            program: result.checked.map { program(for: $0, recordLayouts: recordLayouts) }, parsed: result.parsed, checked: result.checked)
    }

    /// Parses and checks (unless disabled) without planning: diagnostics, the result type and, when
    /// there are no errors, the checked expression, which `program(for:)` plans without checking again.
    public func check(_ source: String) -> CELCheckResult {
        let parsed = CELParser.parse(source)
        let result = check(parsed, source: source, keepingTypes: true)
        let references = parsed.hasErrors ? [] : ReferenceMap.collect(parsed.root, variables: result.variableReferences, ranges: parsed.ranges)
        var checked: CELCheckedExpression?
        if !result.hasErrors {
            checked = CELCheckedExpression(
                parsed: parsed, types: result.types, resultType: result.resultType ?? .dyn, references: references,
                isTypeChecked: checksTypes)
        }
        return CELCheckResult(
            diagnostics: result.diagnostics, resultType: result.resultType, checked: checked, parsed: parsed, references: references)
    }

    /// Plans a checked expression into a program, without checking it again. `recordLayouts` names
    /// the variables whose values will be records built on a schema (`CELMap(schema:values:)`);
    /// `record.email` on such a variable, checked as an object type, is planned as a slot read that
    /// falls back to a lookup by name when the value turns out to be laid out otherwise.
    ///
    /// `checked` must come from `check` on an environment declaring the same variables.
    public func program(for checked: CELCheckedExpression, recordLayouts: [String: CELRecordSchema] = [:]) -> CELProgram {
        var planner = Planner(
            library: .standard, declaredVariables: checked.isTypeChecked ? Set(variables.keys) : nil, types: checked.types,
            recordLayouts: checked.isTypeChecked ? recordLayouts : [:])
        let root = planner.plan(checked.root)
        return CELProgram(root: root, slotCount: planner.slotCount, variableCount: planner.variableSlots.count,
                          source: checked.source, referencedVariables: planner.referencedVariables, ranges: checked.parsed.ranges)
    }

    /// The diagnostics, type and references of an expression, without keeping its syntax tree: what
    /// a validator needs. Gives the diagnostics, type and references `check` gives.
    public func typeCheck(_ source: String) -> CELTypeCheckResult {
        let parsed = CELParser.parse(source)
        let result = check(parsed, source: source, keepingTypes: false)
        let references = parsed.hasErrors ? [] : ReferenceMap.collect(parsed.root, variables: result.variableReferences, ranges: parsed.ranges)
        return CELTypeCheckResult(diagnostics: result.diagnostics, resultType: result.resultType, references: references, parsed: !parsed.hasErrors)
    }

    /// What checking a parsed expression found.
    private struct CheckOutcome {
        var diagnostics: [Diagnostic]
        var resultType: CELType?
        var types = CELSideTable<CELType>()
        var variableReferences = CELSideTable<String>()
        var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Checks a parsed expression (unless checking is disabled); syntax errors stop it.
    private func check(_ parsed: CELParsedExpression, source: String, keepingTypes: Bool) -> CheckOutcome {
        if parsed.hasErrors {
            var diagnostics = parsed.diagnostics
            // `{{ x }}` belongs in text fields; in an expression field it is a nested map literal.
            if source.trimmingPrefix(while: \.isWhitespace).hasPrefix("{{"), diagnostics[0].help == nil {
                diagnostics[0].help = CELDiagnosticMessages.templateBracesInExpressionHelp
            }
            return CheckOutcome(diagnostics: diagnostics, resultType: nil)
        }
        var outcome = CheckOutcome(diagnostics: parsed.diagnostics, resultType: nil)
        if checksTypes {
            let checked = Checker.check(parsed, variables: variables, resolvesQualifiedNames: hasDottedVariables, keepingTypes: keepingTypes)
            outcome.diagnostics += checked.diagnostics
            outcome.resultType = checked.resultType
            outcome.types = checked.types
            outcome.variableReferences = checked.variableReferences
            if let expected = expectedResultType, let actual = outcome.resultType, checked.diagnostics.isEmpty,
               !Checker.isAssignable(actual, to: expected) {
                outcome.diagnostics.append(.error(
                    expected == .bool ? CELDiagnosticCode.nonBoolCondition : CELDiagnosticCode.resultTypeMismatch,
                    CELDiagnosticMessages.resultType(actual, expected: expected), at: parsed.range(of: parsed.root.id)))
            }
        }
        return outcome
    }

    /// The names of every function an expression can call, such as `size` and `math.abs`, for editors
    /// that complete and document them.
    public static var callableFunctionNames: [String] { FunctionSignatures.standard.callableNames.sorted() }

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
    /// The uses of declared variables the checker resolved, as `CELCheckResult.references`.
    public var references: [CELReference] = []
    /// Whether the expression parsed, so that `references` names every variable it reads.
    public var parsed = true

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// What `CELEnvironment.check` produces.
public struct CELCheckResult: Sendable {
    /// Errors and warnings, with ranges relative to the checked source.
    public var diagnostics: [Diagnostic]
    /// The checked type of the expression; nil when unchecked or when parsing failed.
    public var resultType: CELType?
    /// The checked expression, when there were no errors; plan it with `CELEnvironment.program(for:)`.
    public var checked: CELCheckedExpression?
    /// The syntax tree, for tools that want to inspect it (partial when parsing failed).
    public var parsed: CELParsedExpression
    /// The uses of declared variables the checker resolved, as in `CELCheckedExpression.references`;
    /// also when checking reported errors elsewhere in the expression, empty when it did not parse.
    public var references: [CELReference]

    /// Whether any diagnostic is an error (then `checked` is nil).
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
    /// The checked expression, when there were no errors.
    public var checked: CELCheckedExpression?

    /// Whether any diagnostic is an error (then `program` is nil).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// A compiled expression: plan once, evaluate many times, from any number of threads at once.
public struct CELProgram: Sendable {
    let root: Interpretable
    let slotCount: Int
    let variableCount: Int
    /// The field read when the whole expression is one field of a variable (`record.quantity`), so
    /// that evaluating it for a record given by name reads the field without setting up a frame.
    private let fieldOfVariable: (variable: String, read: RecordFieldNode)?
    /// The source text the program was compiled from.
    public let source: String
    /// The variables the program may read, e.g. to find which steps an expression depends on.
    /// Unchecked programs list every candidate of a dotted name (`a.b.c`, `a.b`, `a`).
    public let referencedVariables: Set<String>
    /// Where each node is in `source`, to place run-time errors.
    let ranges: CELSideTable<SourceRange>

    init(root: Interpretable, slotCount: Int, variableCount: Int, source: String, referencedVariables: Set<String>, ranges: CELSideTable<SourceRange>) {
        self.root = root
        self.slotCount = slotCount
        self.variableCount = variableCount
        self.source = source
        self.referencedVariables = referencedVariables
        self.ranges = ranges
        if let read = root as? RecordFieldNode, let variable = read.operand as? VariableNode {
            fieldOfVariable = (variable.key.name, read)
        } else {
            fieldOfVariable = nil
        }
    }

    /// The byte range within `source` of the node that produced `error`: the call for a function's
    /// error (`1 / record.zero` as a whole for a division by zero), the selection for a missing
    /// field. Nil when the error did not come from this program.
    public func sourceRange(of error: CELError) -> SourceRange? {
        error.exprID.flatMap { ranges[$0] }
    }

    /// Evaluates with the given variables. Failures are `.error` values, never thrown.
    public func evaluate(_ activation: CELActivation, options: CELEvaluationOptions = .default) -> CELValue {
        activation.table.withLookup { run(table: $0, options: options) }
    }

    /// Evaluates with variables given as a dictionary.
    public func evaluate(_ variables: [String: CELValue] = [:], options: CELEvaluationOptions = .default) -> CELValue {
        withUnsafePointer(to: variables) { run(dictionary: $0, options: options) }
    }

    /// Evaluates with variables from any resolver.
    public func evaluate(_ activation: any CELVariableResolver, options: CELEvaluationOptions = .default) -> CELValue {
        withUnsafePointer(to: activation) { run(resolver: $0, options: options) }
    }

    /// Evaluates with a record over run-level variables.
    public func evaluate(_ activation: CELRecordActivation, options: CELEvaluationOptions = .default) -> CELValue {
        evaluate(record: activation.record, named: activation.name, in: activation.parent, options: options)
    }

    /// Evaluates with `record` bound to `name` and every other variable from `runVariables` (shared by
    /// every record of a run), without building a dictionary or an activation per record.
    public func evaluate(
        record: CELValue, named name: String = "record", in runVariables: any CELVariableResolver,
        options: CELEvaluationOptions = .default
    ) -> CELValue {
        if let field = field(of: record, named: name) { return field }
        return withUnsafePointer(to: runVariables) { run(resolver: $0, recordName: name, record: record, options: options) }
    }

    /// Evaluates with `record` bound to `name` and every other variable from a dictionary activation.
    public func evaluate(
        record: CELValue, named name: String = "record", in runVariables: CELActivation, options: CELEvaluationOptions = .default
    ) -> CELValue {
        if let field = field(of: record, named: name) { return field }
        return runVariables.table.withLookup { run(table: $0, recordName: name, record: record, options: options) }
    }

    /// The program's value when all it does is read one field of the record (`record.quantity`):
    /// that read alone, as the frame would do it; nil for any other program.
    @inline(__always)
    private func field(of record: CELValue, named name: String) -> CELValue? {
        guard let fieldOfVariable, fieldOfVariable.variable == name, !record.isError else { return nil }
        return fieldOfVariable.read.select(from: record)
    }

    private func run(
        table: VariableLookup? = nil, resolver: UnsafePointer<any CELVariableResolver>? = nil, dictionary: UnsafePointer<[String: CELValue]>? = nil,
        recordName: String? = nil, record: CELValue = .null, options: CELEvaluationOptions
    ) -> CELValue {
        EvalFrame.evaluate(root, table: table, resolver: resolver, dictionary: dictionary, recordName: recordName, record: record, slotCount: slotCount, variableCount: variableCount,
                           costLimit: options.costLimit, deadline: options.deadlineFromNow)
    }
}
