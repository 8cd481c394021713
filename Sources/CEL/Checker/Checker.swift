import Diagnostics

/// The result of type-checking: diagnostics, the expression's type, and a type per node.
struct CheckedExpression: Sendable {
    var diagnostics: [Diagnostic]
    var resultType: CELType
    /// The checked type of every node, keyed by expression id (a side table; the tree is unchanged).
    var types: [ExprID: CELType]
}

/// A gradual type checker: declared types are checked statically, `dyn` at run time. It finds
/// unknown variables, functions and record fields, calls with no matching overload and non-bool
/// conditions, each reported at the range of the offending sub-expression.
struct Checker {
    private let parsed: ParsedExpression
    private let variables: [String: CELType]
    private let signatures = FunctionSignatures.standard
    private var scopes: [(name: String, type: CELType)] = []
    private var substitution: [String: CELType] = [:]
    private var freshCounter = 0
    private var types: [ExprID: CELType] = [:]
    private var diagnostics = DiagnosticBag()

    private init(_ parsed: ParsedExpression, _ variables: [String: CELType]) {
        self.parsed = parsed
        self.variables = variables
    }

    static func check(_ parsed: ParsedExpression, variables: [String: CELType]) -> CheckedExpression {
        var checker = Checker(parsed, variables)
        let type = checker.check(parsed.root)
        let resolvedTypes = checker.types.mapValues { checker.resolve($0) }
        return CheckedExpression(diagnostics: checker.diagnostics.diagnostics, resultType: checker.resolve(type), types: resolvedTypes)
    }

    // MARK: - Types

    private mutating func fresh() -> CELType {
        freshCounter += 1
        return .typeParam("_\(freshCounter)")
    }

    /// Applies the substitution; unbound type variables become `dyn`.
    func resolve(_ type: CELType, finalize: Bool = true) -> CELType {
        switch type {
        case .typeParam(let name):
            if let bound = substitution[name] { return resolve(bound, finalize: finalize) }
            return finalize ? .dyn : type
        case .list(let e): return .list(resolve(e, finalize: finalize))
        case .map(let k, let v): return .map(resolve(k, finalize: finalize), resolve(v, finalize: finalize))
        case .optional(let t): return .optional(resolve(t, finalize: finalize))
        case .type(let t): return .type(resolve(t, finalize: finalize))
        default: return type
        }
    }

    /// Whether `a` and `b` can be the same type, binding type variables in `subst` as needed.
    /// `dyn` and `error` match anything; ints, uints and doubles do not mix.
    static func unify(_ a: CELType, _ b: CELType, _ subst: inout [String: CELType], numbersMix: Bool = false) -> Bool {
        func walk(_ t: CELType) -> CELType {
            if case .typeParam(let n) = t, let bound = subst[n] { return walk(bound) }
            return t
        }
        let x = walk(a)
        let y = walk(b)
        switch (x, y) {
        case (.typeParam(let n), .typeParam(let m)) where n == m: return true
        case (.typeParam(let n), _):
            subst[n] = y
            return true
        case (_, .typeParam(let n)):
            subst[n] = x
            return true
        case (.dyn, _), (_, .dyn), (.error, _), (_, .error): return true
        case (.list(let e1), .list(let e2)): return unify(e1, e2, &subst, numbersMix: numbersMix)
        case (.map(let k1, let v1), .map(let k2, let v2)): return unify(k1, k2, &subst, numbersMix: numbersMix) && unify(v1, v2, &subst)
        case (.object, .map(let k, let v)), (.map(let k, let v), .object):
            // A record is a map with string keys at run time.
            return unify(k, .string, &subst) && unify(v, .dyn, &subst)
        case (.object(let n1, _), .object(let n2, _)): return n1 == n2
        case (.optional(let t1), .optional(let t2)): return unify(t1, t2, &subst)
        case (.type(let t1), .type(let t2)): return unify(t1, t2, &subst) || true
        default: return x == y || (numbersMix && isNumeric(x) && isNumeric(y))
        }
    }

    /// Whether a value of type `actual` may be used where `expected` is required.
    static func isAssignable(_ actual: CELType, to expected: CELType) -> Bool {
        var subst: [String: CELType] = [:]
        return unify(actual, expected, &subst)
    }

    private static func isNumeric(_ t: CELType) -> Bool { t == .int || t == .uint || t == .double }

    /// Renames a signature's type parameters apart for one call.
    private func instantiate(_ type: CELType, _ suffix: String) -> CELType {
        switch type {
        case .typeParam(let n): return .typeParam(n + suffix)
        case .list(let e): return .list(instantiate(e, suffix))
        case .map(let k, let v): return .map(instantiate(k, suffix), instantiate(v, suffix))
        case .optional(let t): return .optional(instantiate(t, suffix))
        case .type(let t): return .type(instantiate(t, suffix))
        default: return type
        }
    }

    // MARK: - Diagnostics

    private mutating func error(_ code: DiagnosticCode, _ message: String, at id: ExprID, nameOnly: Bool = false, help: String? = nil) {
        let range = nameOnly ? parsed.nameRange(of: id) : parsed.range(of: id)
        diagnostics.error(code, message, at: range, help: help)
    }

    // MARK: - Walking

    @discardableResult
    private mutating func check(_ expr: Expr) -> CELType {
        let type = checkKind(expr)
        types[expr.id] = type
        return type
    }

    private mutating func checkKind(_ expr: Expr) -> CELType {
        switch expr.kind {
        case .literal(let value): return value.celType
        case .ident(let name): return checkIdent(name, expr)
        case .select(let operand, let field, let testOnly, let optional):
            if !testOnly, !optional, let path = qualifiedPath(expr), let resolved = resolveQualified(path, expr) { return resolved }
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
                        error(CELDiagnosticCode.noMatchingOverload, "an optional list element ('?') must be optional, not '\(resolve(t))'", at: element.id)
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
                    error(CELDiagnosticCode.noMatchingOverload, "map keys must be bool, int, uint or string, not '\(resolve(k))'", at: entry.key.id)
                }
                if entry.optional {
                    if case .optional(let inner) = v { v = inner } else if v != .dyn && v != .error {
                        error(CELDiagnosticCode.noMatchingOverload, "an optional map entry ('?') needs an optional value, not '\(resolve(v))'", at: entry.value.id)
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
    private mutating func join(_ a: CELType?, _ b: CELType) -> CELType {
        guard let a else { return b }
        var trial = substitution
        if Checker.unify(a, b, &trial) {
            substitution = trial
            return a
        }
        return .dyn
    }

    private func local(_ name: String) -> CELType? { scopes.last(where: { $0.name == name })?.type }

    private mutating func checkIdent(_ name: String, _ expr: Expr) -> CELType {
        if let type = local(name) { return type }
        if let type = variables[name] { return type }
        if let type = CELType.named(name) { return .type(type) }
        let candidates = Array(variables.keys) + scopes.map(\.name).filter { !$0.hasPrefix("@") }
        error(CELDiagnosticCode.unknownVariable, "unknown variable '\(name)'", at: expr.id,
              help: Suggestions.didYouMean(name, in: candidates))
        return .error
    }

    private func qualifiedPath(_ expr: Expr) -> [(name: String, id: ExprID)]? {
        switch expr.kind {
        case .ident(let name): return local(name) == nil ? [(name, expr.id)] : nil
        case .select(let operand, let field, false, false): return qualifiedPath(operand).map { $0 + [(field, expr.id)] }
        default: return nil
        }
    }

    /// `a.b.c` where `a.b` (or `a.b.c`) is itself a declared variable or a type name.
    private mutating func resolveQualified(_ path: [(name: String, id: ExprID)], _ expr: Expr) -> CELType? {
        guard path.count > 1 else { return nil }
        let names = path.map(\.name)
        if let type = CELType.named(names.joined(separator: ".")), variables[names.joined(separator: ".")] == nil {
            return .type(type)
        }
        for length in stride(from: path.count, through: 2, by: -1) {
            let name = names[0..<length].joined(separator: ".")
            guard var type = variables[name] else { continue }
            types[path[length - 1].id] = type
            for index in length..<path.count {
                type = select(names[index], on: type, Expr(id: path[index].id, kind: .ident(names[index])), optional: false)
                types[path[index].id] = type
            }
            return type
        }
        return nil
    }

    private mutating func select(_ field: String, on operandType: CELType, _ expr: Expr, optional: Bool) -> CELType {
        let type = resolve(operandType, finalize: false)
        switch type {
        case .object(let name, let fields):
            guard let fieldType = fields[field] else {
                error(CELDiagnosticCode.unknownField, "unknown field '\(field)' on \(name)", at: expr.id, nameOnly: true,
                      help: Suggestions.didYouMean(field, in: fields.keys))
                return .error
            }
            return optional ? .optional(fieldType) : fieldType
        case .map(let key, let value):
            var trial = substitution
            guard Checker.unify(key, .string, &trial) else {
                error(CELDiagnosticCode.noFields, "cannot select field '\(field)' on a map with \(resolve(key)) keys; use [ ] indexing",
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
            error(CELDiagnosticCode.noFields, "type '\(resolve(type))' has no fields (selecting '\(field)')", at: expr.id, nameOnly: true)
            return .error
        }
    }

    private mutating func checkComprehension(_ c: Expr.Comprehension) -> CELType {
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
            error(CELDiagnosticCode.noMatchingOverload, "cannot iterate over a value of type '\(resolve(rangeType))'; expected a list or map", at: c.iterRange.id)
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

    // MARK: - Calls

    private mutating func requireBool(_ expr: Expr, _ type: CELType, _ what: String) {
        var trial = substitution
        if !Checker.unify(type, .bool, &trial) {
            error(CELDiagnosticCode.nonBoolCondition, "\(what) must be a bool, not '\(resolve(type))'", at: expr.id)
        }
    }

    private mutating func checkCall(_ expr: Expr, target: Expr?, function: String, args: [Expr]) -> CELType {
        switch function {
        case Operator.logicalAnd, Operator.logicalOr:
            for arg in args { requireBool(arg, check(arg), "operand of '\(Operator.display(function))'") }
            return .bool
        case Operator.logicalNot:
            requireBool(args[0], check(args[0]), "operand of '!'")
            return .bool
        case Operator.notStrictlyFalse:
            check(args[0])
            return .bool
        case Operator.conditional:
            requireBool(args[0], check(args[0]), "condition of '? :'")
            let a = resolve(check(args[1]), finalize: false)
            let b = resolve(check(args[2]), finalize: false)
            if a == .null { return b }
            if b == .null { return a }
            var trial = substitution
            if Checker.unify(a, b, &trial) {
                substitution = trial
                return a == .dyn ? b : a
            }
            error(CELDiagnosticCode.noMatchingOverload, "the branches of '? :' have different types, '\(resolve(a))' and '\(resolve(b))'", at: expr.id,
                  help: "convert one branch, e.g. with string() or double(), or wrap both in dyn()")
            return .error
        case Operator.equals, Operator.notEquals:
            let a = resolve(check(args[0]), finalize: false)
            let b = resolve(check(args[1]), finalize: false)
            var trial = substitution
            let comparable = Checker.unify(a, b, &trial) || (Checker.isNumeric(a) && Checker.isNumeric(b)) || a == .null || b == .null
            if comparable {
                substitution = trial
            } else {
                error(CELDiagnosticCode.noMatchingOverload, "comparing '\(resolve(a))' with '\(resolve(b))' is always \(function == Operator.equals ? "false" : "true")", at: expr.id,
                      help: "convert one side so both have the same type")
            }
            return .bool
        default:
            break
        }

        var argTypes: [CELType] = []
        var name = function
        var overloads: [Overload]?
        var isMember = false
        if let target {
            if let path = qualifiedPath(target), variables[path[0].name] == nil, local(path[0].name) == nil,
               let global = signatures.global[path.map(\.name).joined(separator: ".") + "." + function] {
                name = path.map(\.name).joined(separator: ".") + "." + function
                overloads = global
            } else if let path = qualifiedPath(target), path.count == 1, variables[path[0].name] == nil, local(path[0].name) == nil,
                      FunctionSignatures.namespaces.contains(path[0].name) {
                // `math.gratest(…)`: a misspelt namespaced function, not a method on a variable `math`.
                name = path[0].name + "." + function
                for arg in args { check(arg) }
                error(CELDiagnosticCode.unknownFunction, "unknown function '\(name)'", at: expr.id, nameOnly: true,
                      help: Suggestions.didYouMean(name, in: signatures.callableNames))
                return .error
            } else {
                argTypes.append(check(target))
                overloads = signatures.member[function]
                isMember = true
            }
        } else {
            overloads = signatures.global[function]
        }
        for arg in args { argTypes.append(check(arg)) }
        guard let overloads else {
            if isMember, signatures.global[function] != nil {
                error(CELDiagnosticCode.unknownFunction, "'\(function)' is a function, not a method", at: expr.id, nameOnly: true,
                      help: "call it as \(function)(…)")
            } else if !isMember, signatures.member[function] != nil {
                error(CELDiagnosticCode.unknownFunction, "'\(function)' is a method; call it on a value, e.g. x.\(function)(…)", at: expr.id, nameOnly: true)
            } else {
                error(CELDiagnosticCode.unknownFunction, "unknown function '\(name)'", at: expr.id, nameOnly: true,
                      help: Suggestions.didYouMean(name, in: signatures.callableNames))
            }
            return .error
        }
        if name == "math.greatest" || name == "math.least" { return checkExtreme(name, argTypes, expr) }
        checkConstantArguments(name, args)
        return resolveOverload(name, overloads, argTypes, expr)
    }

    private mutating func resolveOverload(_ name: String, _ overloads: [Overload], _ argTypes: [CELType], _ expr: Expr) -> CELType {
        if argTypes.contains(.error) { return .error }
        var matches: [(result: CELType, substitution: [String: CELType])] = []
        freshCounter += 1
        let suffix = "#\(freshCounter)"
        for overload in overloads where overload.params.count == argTypes.count {
            var trial = substitution
            var ok = true
            // Membership and map lookup compare numbers by value, so `1.0 in [1]` and `{1: x}[1u]` are fine.
            let numbersMix = name == Operator.in || name == Operator.index || name == Operator.optionalIndex
            for (param, arg) in zip(overload.params, argTypes) where !Checker.unify(instantiate(param, suffix), arg, &trial, numbersMix: numbersMix) {
                ok = false
                break
            }
            if ok { matches.append((instantiate(overload.result, suffix), trial)) }
        }
        guard let first = matches.first else {
            let shown = argTypes.map { resolve($0).description }.joined(separator: ", ")
            let display = Operator.display(name)
            let isOperator = display != name
            error(CELDiagnosticCode.noMatchingOverload,
                  "no matching overload for '\(display)' applied to (\(shown))", at: expr.id,
                  help: isOperator && shown.contains("int") && shown.contains("double")
                      ? "ints and doubles do not mix in arithmetic; convert with double(…) or int(…)" : nil)
            return .error
        }
        if matches.count == 1 {
            substitution = first.substitution
            return first.result
        }
        // Several overloads fit (an argument is dyn): the result is their common type, if any.
        let results = matches.map { resolve($0.result, finalize: true) }
        return results.allSatisfy { $0 == results[0] } ? results[0] : .dyn
    }

    /// Literal arguments that can only fail at run time are checked now: regular expressions,
    /// timestamps and durations written as text.
    private mutating func checkConstantArguments(_ name: String, _ args: [Expr]) {
        guard let last = args.last, case .literal(.string(let text)) = last.kind else { return }
        switch name {
        case "matches":
            if case .failure(let failure) = CompiledRegex.compile(text) {
                error(CELDiagnosticCode.invalidLiteral, failure.message, at: last.id)
            }
        case "timestamp" where args.count == 1:
            if TimeFormat.parseTimestamp(text) == nil {
                error(CELDiagnosticCode.invalidLiteral, "invalid timestamp '\(text)'", at: last.id,
                      help: "write RFC 3339, e.g. '2024-05-01T12:00:00Z'")
            }
        case "duration" where args.count == 1:
            if TimeFormat.parseDuration(text) == nil {
                error(CELDiagnosticCode.invalidLiteral, "invalid duration '\(text)'", at: last.id,
                      help: "use the units h, m, s, ms, us, ns, e.g. '1h30m' (there is no unit for days: a day is '24h')")
            }
        default:
            break
        }
    }

    private mutating func checkExtreme(_ name: String, _ argTypes: [CELType], _ expr: Expr) -> CELType {
        var types = argTypes.map { resolve($0, finalize: false) }
        if types.count == 1, case .list(let element) = types[0] { types = [element] }
        guard !types.isEmpty else {
            error(CELDiagnosticCode.noMatchingOverload, "\(name)() needs at least one argument", at: expr.id)
            return .error
        }
        for (index, type) in types.enumerated() where !(Checker.isNumeric(type) || type == .dyn || type == .error) {
            let shown = resolve(type)
            error(CELDiagnosticCode.noMatchingOverload, "\(name)() takes numbers, not '\(shown)' (argument \(index + 1))", at: expr.id)
            return .error
        }
        return types.allSatisfy { $0 == types[0] } ? types[0] : .dyn
    }
}
