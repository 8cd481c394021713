import Diagnostics

/// The result of type-checking: diagnostics, the expression's type, and a type per node.
struct CheckedExpression: Sendable {
    var diagnostics: [Diagnostic]
    var resultType: CELType
    /// The checked type of every node, keyed by expression id (a side table; the tree is unchanged).
    var types: CELSideTable<CELType>
    /// The declared variable each resolved name refers to, keyed by the node that names it.
    var variableReferences: CELSideTable<String>
}

/// A gradual type checker: declared types are checked statically, `dyn` at run time. It finds
/// unknown variables, functions and record fields, calls with no matching overload and non-bool
/// conditions, each reported at the range of the offending sub-expression.
struct Checker {
    /// Where each node is, for messages; only these of the parsed expression are kept, as copying
    /// the whole of it for every check costs a reference count per part.
    let ranges: CELSideTable<SourceRange>
    let nameRanges: CELSideTable<SourceRange>
    let variables: [String: CELType]
    let signatures = FunctionSignatures.standard
    var scopes: [(name: String, type: CELType)] = []
    var substitution: [String: CELType] = [:]
    var freshCounter = 0
    var types = CELSideTable<CELType>()
    /// Nodes that name a declared variable, with the variable: the reference map's roots.
    var variableReferences = CELSideTable<String>()
    var diagnostics = DiagnosticBag()
    /// Whether to fill the side tables (types, references); a validator only needs the diagnostics
    /// and the result.
    let keepsTypes: Bool
    /// Whether a dotted name (`a.b.c`) can name a variable or a type; when not, selections skip that lookup.
    let resolvesQualifiedNames: Bool

    private init(_ parsed: CELParsedExpression, _ variables: [String: CELType], keepsTypes: Bool, resolvesQualifiedNames: Bool) {
        self.ranges = parsed.ranges
        self.nameRanges = parsed.nameRanges
        self.variables = variables
        self.keepsTypes = keepsTypes
        self.resolvesQualifiedNames = resolvesQualifiedNames
    }

    static func check(
        _ parsed: CELParsedExpression, variables: [String: CELType], resolvesQualifiedNames: Bool, keepingTypes: Bool = false
    ) -> CheckedExpression {
        var checker = Checker(parsed, variables, keepsTypes: keepingTypes, resolvesQualifiedNames: resolvesQualifiedNames)
        let type = checker.check(parsed.root)
        let resolvedTypes = keepingTypes ? checker.types.mapValues { checker.resolve($0) } : CELSideTable()
        return CheckedExpression(diagnostics: checker.diagnostics.diagnostics, resultType: checker.resolve(type), types: resolvedTypes,
                                 variableReferences: checker.variableReferences)
    }

    // MARK: - Diagnostics

    mutating func error(_ code: DiagnosticCode, _ message: String, at id: CELExprID, nameOnly: Bool = false, help: String? = nil) {
        let range = (nameOnly ? nameRanges[id] : nil) ?? ranges[id] ?? .at(0)
        diagnostics.error(code, message, at: range, help: help)
    }

    // MARK: - Walking

    @discardableResult
    mutating func check(_ expr: CELExpr) -> CELType {
        let type = checkKind(expr)
        if keepsTypes { types[expr.id] = type }
        return type
    }

    mutating func checkKind(_ expr: CELExpr) -> CELType {
        switch expr.kind {
        case .literal(let value): return value.celType
        case .ident(let name): return checkIdent(name, expr)
        case .select(let operand, let field, let testOnly, let optional):
            if !testOnly, !optional, resolvesQualifiedNames || isGoogleRooted(operand), let path = qualifiedPath(expr),
               let resolved = resolveQualified(path, expr) { return resolved }
            let operandType = check(operand)
            let fieldType = select(field, on: operandType, expr, optional: optional)
            return testOnly ? .bool : fieldType
        case .call(let target, let function, let args):
            return checkCall(expr, target: target, function: function, args: args)
        case .list(let elements, let optionalIndices):
            var elementType: CELType?
            for (position, element) in elements.enumerated() {
                var t = resolve(check(element), finalize: false)
                if optionalIndices.contains(position) {
                    if case .optional(let inner) = t { t = inner } else if t != .dyn && t != .error {
                        error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.optionalListElementNotOptional(resolve(t)), at: element.id)
                    }
                }
                elementType = join(elementType, t)
            }
            return .list(elementType ?? fresh())
        case .map(let entries):
            var keyType: CELType?
            var valueType: CELType?
            for entry in entries {
                let k = resolve(check(entry.key), finalize: false)
                var v = resolve(check(entry.value), finalize: false)
                switch k {
                case .bool, .int, .uint, .string, .dyn, .error, .typeParam: break
                default:
                    error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.invalidMapKeyType(resolve(k)), at: entry.key.id)
                }
                if entry.optional {
                    if case .optional(let inner) = v { v = inner } else if v != .dyn && v != .error {
                        error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.optionalMapEntryNotOptional(resolve(v)), at: entry.value.id)
                    }
                }
                keyType = join(keyType, k)
                valueType = join(valueType, v)
            }
            return .map(keyType ?? fresh(), valueType ?? fresh())
        case .comprehension(let c):
            return checkComprehension(c)
        }
    }

    /// The common type of two element types; different types give `dyn` (heterogeneous literals are allowed).
    mutating func join(_ a: CELType?, _ b: CELType) -> CELType {
        guard let a else { return b }
        var trial = substitution
        if Checker.unify(a, b, &trial) {
            substitution = trial
            return a
        }
        return .dyn
    }

    func local(_ name: String) -> CELType? { scopes.last(where: { $0.name == name })?.type }

    mutating func checkIdent(_ name: String, _ expr: CELExpr) -> CELType {
        if let type = local(name) { return type }
        if let type = variables[name] {
            variableReferences[expr.id] = name
            return type
        }
        if let type = CELType.named(name) { return .type(type) }
        let candidates = Array(variables.keys) + scopes.map(\.name).filter { !$0.hasPrefix("@") }
        error(CELDiagnosticCode.unknownVariable, CELDiagnosticMessages.unknownVariable(name), at: expr.id,
              help: Suggestions.didYouMean(name, in: candidates))
        return .error
    }

    /// Whether a selection starts at the identifier `google` (as in `google.protobuf.Timestamp`).
    func isGoogleRooted(_ expr: CELExpr) -> Bool {
        switch expr.kind {
        case .ident(let name): return name == "google"
        case .select(let operand, _, _, _): return isGoogleRooted(operand)
        default: return false
        }
    }

    func qualifiedPath(_ expr: CELExpr) -> [(name: String, id: CELExprID)]? {
        switch expr.kind {
        case .ident(let name): return local(name) == nil ? [(name, expr.id)] : nil
        case .select(let operand, let field, false, false): return qualifiedPath(operand).map { $0 + [(field, expr.id)] }
        default: return nil
        }
    }

    /// `a.b.c` where `a.b` (or `a.b.c`) is itself a declared variable or a type name.
    mutating func resolveQualified(_ path: [(name: String, id: CELExprID)], _ expr: CELExpr) -> CELType? {
        guard path.count > 1, resolvesQualifiedNames || path[0].name == "google" else { return nil }
        let names = path.map(\.name)
        if let type = CELType.named(names.joined(separator: ".")), variables[names.joined(separator: ".")] == nil {
            return .type(type)
        }
        for length in stride(from: path.count, through: 2, by: -1) {
            let name = names[0..<length].joined(separator: ".")
            guard var type = variables[name] else { continue }
            types[path[length - 1].id] = type
            variableReferences[path[length - 1].id] = name
            for index in length..<path.count {
                type = select(names[index], on: type, CELExpr(id: path[index].id, kind: .ident(names[index])), optional: false)
                types[path[index].id] = type
            }
            return type
        }
        return nil
    }

    mutating func select(_ field: String, on operandType: CELType, _ expr: CELExpr, optional: Bool) -> CELType {
        let type = resolve(operandType, finalize: false)
        switch type {
        case .object(let name, let fields):
            guard let fieldType = fields[field] else {
                error(CELDiagnosticCode.unknownField, CELDiagnosticMessages.unknownField(field, on: name), at: expr.id, nameOnly: true,
                      help: Suggestions.didYouMean(field, in: fields.keys))
                return .error
            }
            return optional ? .optional(fieldType) : fieldType
        case .map(let key, let value):
            var trial = substitution
            guard Checker.unify(key, .string, &trial) else {
                error(CELDiagnosticCode.noFields, CELDiagnosticMessages.selectOnNonStringKeys(field, keyType: resolve(key)),
                      at: expr.id, nameOnly: true)
                return .error
            }
            substitution = trial
            return optional ? .optional(value) : value
        case .optional(let inner):
            let selected = select(field, on: inner, expr, optional: false)
            if case .optional = selected { return selected }
            return selected == .error ? .error : .optional(selected)
        case .dyn, .typeParam: return optional ? .optional(.dyn) : .dyn
        case .error: return .error
        default:
            error(CELDiagnosticCode.noFields, CELDiagnosticMessages.noFields(resolve(type), selecting: field), at: expr.id, nameOnly: true)
            return .error
        }
    }

    mutating func checkComprehension(_ c: CELExpr.Comprehension) -> CELType {
        let rangeType = resolve(check(c.iterRange), finalize: false)
        var iterType: CELType = .dyn
        var iterType2: CELType = .dyn
        switch rangeType {
        case .list(let element):
            if c.iterVar2 != nil {
                iterType = .int
                iterType2 = element
            } else {
                iterType = element
            }
        case .map(let key, let value):
            iterType = key
            iterType2 = value
        case .object(_, _):
            iterType = .string
            iterType2 = .dyn
        case .dyn, .error, .typeParam: break
        default:
            error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.notIterable(resolve(rangeType)), at: c.iterRange.id)
        }
        let accuType = check(c.accuInit)
        let saved = scopes.count
        scopes.append((c.accuVar, accuType))
        scopes.append((c.iterVar, iterType))
        if let second = c.iterVar2 { scopes.append((second, iterType2)) }
        check(c.loopCondition)
        let stepType = check(c.loopStep)
        var trial = substitution
        if Checker.unify(accuType, stepType, &trial) { substitution = trial }
        scopes.removeSubrange(saved...)
        scopes.append((c.accuVar, accuType))
        let result = check(c.result)
        scopes.removeSubrange(saved...)
        return result
    }
}
