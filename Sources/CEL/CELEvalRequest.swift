import Diagnostics

/// One evaluation request as `playbook eval` receives it, and its answer; kept here, not in the
/// command, so the encoding is tested with the language.
///
/// Request (one JSON object per line): `{"expr": "…", "vars": {…}, "typed": false, "check": true}`.
/// `vars` are plain JSON unless `typed` is true, in which case they use the typed encoding of
/// `CELValue(typedJSON:)`. With `check` false the expression is evaluated without the type checker.
///
/// Response: `{"type": "<CEL type name>", "value": <typed value>}` or `{"error": "<message>"}`.
public struct CELEvalRequest: Sendable {
    /// The CEL source to evaluate.
    public var expression: String
    /// Variables by name.
    public var variables: [String: CELValue]
    /// Whether to type-check before evaluating.
    public var check: Bool

    /// A request built in code rather than decoded from JSON.
    public init(expression: String, variables: [String: CELValue] = [:], check: Bool = true) {
        self.expression = expression
        self.variables = variables
        self.check = check
    }

    /// Decodes a JSON-lines request.
    public init(jsonLine: String) throws(CELError) {
        let json = try JSONValue.parse(jsonLine)
        guard case .string(let expression)? = json["expr"] else { throw CELError("request needs an \"expr\" string") }
        var typed = false
        if let value = json["typed"] {
            guard case .bool(let flag) = value else { throw CELError("\"typed\" must be true or false") }
            typed = flag
        }
        var check = true
        if let value = json["check"] {
            guard case .bool(let flag) = value else { throw CELError("\"check\" must be true or false") }
            check = flag
        }
        var variables: [String: CELValue] = [:]
        if let vars = json["vars"] {
            guard case .object(let members) = vars else { throw CELError("\"vars\" must be an object") }
            for (name, value) in members {
                variables[name] = typed ? try CELValue(typedJSON: value) : CELValue(plainJSON: value)
            }
        }
        self.init(expression: expression, variables: variables, check: check)
    }

    /// Compiles and evaluates. Variables are declared with types inferred from their values, so
    /// `x + 1.5` with an int `x` is reported before evaluation.
    public func run() -> CELEvalResponse {
        let declared = variables.mapValues(CELType.inferred(from:))
        let compiled = CELEnvironment(variables: declared, checksTypes: check).compile(expression)
        guard let program = compiled.program else {
            return .failure(diagnostics: compiled.diagnostics, message: CELEvalRequest.describe(compiled.diagnostics, in: expression))
        }
        let value = program.evaluate(variables)
        if case .error(let error) = value { return .failure(diagnostics: [], message: error.message) }
        return .value(value)
    }

    /// `1:8: error[PB0301]: unknown field 'scroe' on record (did you mean 'score'?)`, one per line.
    public static func describe(_ diagnostics: [Diagnostic], in source: String) -> String {
        let file = SourceFile(path: "<expr>", text: source)
        return diagnostics.map { diagnostic in
            let location = file.location(of: diagnostic.range.start)
            var text = "\(location.line):\(location.column): \(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)"
            if let help = diagnostic.help { text += " (\(help))" }
            return text
        }.joined(separator: "\n")
    }
}

/// The answer to a `CELEvalRequest`.
public enum CELEvalResponse: Sendable {
    case value(CELValue)
    case failure(diagnostics: [Diagnostic], message: String)

    /// The JSON-lines encoding: `{"type":…,"value":…}` or `{"error":…}`.
    public var json: JSONValue {
        switch self {
        case .value(let value): return .object([("type", .string(value.celType.runtimeName)), ("value", value.typedJSON)])
        case .failure(_, let message): return .object([("error", .string(message))])
        }
    }
}

extension CELType {
    /// A static type describing a value: lists and maps take their element types when all elements
    /// agree, else `dyn`. Maps stay maps (not records), so `has(x.field)` on data without that
    /// field is `false` rather than a check error.
    public static func inferred(from value: CELValue) -> CELType {
        func common(_ types: [CELType]) -> CELType {
            guard let first = types.first else { return .dyn }
            return types.allSatisfy { $0 == first } ? first : .dyn
        }
        switch value {
        case .list(let elements):
            return .list(common(elements.map(inferred(from:))))
        case .map(let map):
            return .map(common(map.keys.map(inferred(from:))), common(map.entries.map { inferred(from: $0.value) }))
        case .optional(let inner):
            return .optional(inner.map(inferred(from:)) ?? .dyn)
        case .null:
            // A null may stand for anything; do not pin the variable to the null type.
            return .dyn
        case .type:
            return .type(.dyn)
        default:
            return value.celType
        }
    }
}
