import Diagnostics

/// Macro expansion: `has`, `all`, `exists`, `exists_one`, `map`, `filter`, the two-variable forms of
/// the comprehensions extension, `cel.bind`, and `optMap`/`optFlatMap`. Each becomes a comprehension,
/// as in cel-go, so later stages only know one looping construct.
extension CELParser {
    static let accumulator = "@result"

    mutating func expandGlobalCall(name: String, nameRange: SourceRange, args: [CELExpr], range: SourceRange) -> CELExpr {
        if name == "has" {
            guard args.count == 1, case .select(let operand, let field, false, false) = args[0].kind else {
                error(CELDiagnosticCode.invalidMacro, CELDiagnosticMessages.hasNeedsSelection, at: range)
                return errorNode(range)
            }
            let node = make(.select(operand: operand, field: field, testOnly: true, optional: false), range)
            nameRanges[node.id] = nameRanges[args[0].id]
            return node
        }
        let node = make(.call(target: nil, function: name, args: args), range)
        nameRanges[node.id] = nameRange
        return node
    }

    mutating func expandMemberCall(target: CELExpr, name: String, nameRange: SourceRange, args: [CELExpr], range: SourceRange) -> CELExpr {
        if let expanded = expandMacro(target: target, name: name, args: args, range: range) { return expanded }
        let node = make(.call(target: target, function: name, args: args), range)
        nameRanges[node.id] = nameRange
        return node
    }

    private mutating func variableName(_ expr: CELExpr, macro: String) -> String? {
        if case .ident(let name) = expr.kind, name != "<error>" { return name }
        error(CELDiagnosticCode.invalidMacro, CELDiagnosticMessages.macroNeedsVariableNames(macro), at: range(of: expr))
        return nil
    }

    private mutating func ident(_ name: String, _ range: SourceRange) -> CELExpr { make(.ident(name), range) }
    private mutating func lit(_ value: CELValue, _ range: SourceRange) -> CELExpr { make(.literal(value), range) }
    private mutating func fn(_ name: String, _ args: [CELExpr], _ range: SourceRange) -> CELExpr {
        make(.call(target: nil, function: name, args: args), range)
    }

    private mutating func comprehension(
        _ iterVar: String, _ iterVar2: String?, range iterRange: CELExpr, accuInit: CELExpr,
        condition: CELExpr, step: CELExpr, result: CELExpr, _ whole: SourceRange
    ) -> CELExpr {
        make(.comprehension(CELExpr.Comprehension(
            iterVar: iterVar, iterVar2: iterVar2, iterRange: iterRange, accuVar: CELParser.accumulator,
            accuInit: accuInit, loopCondition: condition, loopStep: step, result: result)), whole)
    }

    private static let macroNames: Set<String> = [
        "all", "exists", "exists_one", "existsOne", "map", "filter", "transformList", "transformMap", "optMap", "optFlatMap",
    ]

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func expandMacro(target: CELExpr, name: String, args: [CELExpr], range r: SourceRange) -> CELExpr? {
        if case .ident("cel") = target.kind, name == "bind" {
            guard args.count == 3, let variable = variableName(args[0], macro: "cel.bind") else {
                if args.count != 3 { error(CELDiagnosticCode.invalidMacro, CELDiagnosticMessages.bindArguments, at: r) }
                return errorNode(r)
            }
            return bind(variable, args[1], args[2], r)
        }
        guard Self.macroNames.contains(name) else { return nil }
        // The two-variable forms take one more argument; other counts are ordinary method calls.
        switch (name, args.count) {
        case ("all", 2), ("exists", 2), ("exists_one", 2), ("existsOne", 2), ("map", 2), ("map", 3), ("filter", 2),
             ("all", 3), ("exists", 3), ("exists_one", 3), ("existsOne", 3),
             ("transformList", 3), ("transformList", 4), ("transformMap", 3), ("transformMap", 4),
             ("optMap", 2), ("optFlatMap", 2):
            break
        default:
            error(CELDiagnosticCode.invalidMacro, CELDiagnosticMessages.macroArgumentCount(name, args.count), at: r)
            return errorNode(r)
        }
        let twoVariables: Bool
        switch name {
        case "transformList", "transformMap": twoVariables = true
        case "map": twoVariables = false
        case "optMap", "optFlatMap": twoVariables = false
        default: twoVariables = args.count == 3
        }
        guard let first = variableName(args[0], macro: name) else { return errorNode(r) }
        var second: String?
        if twoVariables {
            guard let v = variableName(args[1], macro: name) else { return errorNode(r) }
            second = v
            if v == first {
                error(CELDiagnosticCode.invalidMacro, CELDiagnosticMessages.macroNeedsDistinctVariables(name), at: range(of: args[1]))
                return errorNode(r)
            }
        }
        let body = Array(args.dropFirst(twoVariables ? 2 : 1))
        let accu = { (p: inout CELParser) in p.ident(CELParser.accumulator, r) }

        switch name {
        case "all":
            let condition = fn(Operator.notStrictlyFalse, [accu(&self)], r)
            let step = fn(Operator.logicalAnd, [accu(&self), body[0]], r)
            return comprehension(first, second, range: target, accuInit: lit(.bool(true), r), condition: condition, step: step, result: accu(&self), r)
        case "exists":
            let condition = fn(Operator.notStrictlyFalse, [fn(Operator.logicalNot, [accu(&self)], r)], r)
            let step = fn(Operator.logicalOr, [accu(&self), body[0]], r)
            return comprehension(first, second, range: target, accuInit: lit(.bool(false), r), condition: condition, step: step, result: accu(&self), r)
        case "exists_one", "existsOne":
            let increment = fn(Operator.add, [accu(&self), lit(.int(1), r)], r)
            let step = fn(Operator.conditional, [body[0], increment, accu(&self)], r)
            let result = fn(Operator.equals, [accu(&self), lit(.int(1), r)], r)
            return comprehension(first, second, range: target, accuInit: lit(.int(0), r), condition: lit(.bool(true), r), step: step, result: result, r)
        case "map", "filter", "transformList":
            let filter: CELExpr?
            let transform: CELExpr
            if name == "filter" {
                filter = body[0]
                transform = ident(first, range(of: args[0]))
            } else if body.count == 2 {
                filter = body[0]
                transform = body[1]
            } else {
                filter = nil
                transform = body[0]
            }
            let element = make(.list(elements: [transform], optionalIndices: []), range(of: transform))
            var step = fn(Operator.add, [accu(&self), element], r)
            if let filter { step = fn(Operator.conditional, [filter, step, accu(&self)], r) }
            let initial = make(.list(elements: [], optionalIndices: []), r)
            return comprehension(first, second, range: target, accuInit: initial, condition: lit(.bool(true), r), step: step, result: accu(&self), r)
        case "transformMap":
            let filter: CELExpr? = body.count == 2 ? body[0] : nil
            let transform = body.count == 2 ? body[1] : body[0]
            var step = fn(Function.mapInsert, [accu(&self), ident(first, range(of: args[0])), transform], r)
            if let filter { step = fn(Operator.conditional, [filter, step, accu(&self)], r) }
            let initial = make(.map(entries: []), r)
            return comprehension(first, second, range: target, accuInit: initial, condition: lit(.bool(true), r), step: step, result: accu(&self), r)
        default:
            // optMap / optFlatMap: bind the optional once, then unwrap it only when it has a value.
            let optionalVar = "@opt"
            let hasValue = make(.call(target: ident(optionalVar, r), function: "hasValue", args: []), r)
            let unwrapped = make(.call(target: ident(optionalVar, r), function: "value", args: []), r)
            var mapped = bind(first, unwrapped, body[0], r)
            if name == "optMap" {
                mapped = make(.call(target: ident("optional", r), function: "of", args: [mapped]), r)
            }
            let none = make(.call(target: ident("optional", r), function: "none", args: []), r)
            let choice = fn(Operator.conditional, [hasValue, mapped, none], r)
            return bind(optionalVar, target, choice, r)
        }
    }

    /// `cel.bind(name, value, body)`: a comprehension over nothing whose accumulator is the binding.
    private mutating func bind(_ name: String, _ value: CELExpr, _ body: CELExpr, _ r: SourceRange) -> CELExpr {
        let empty = make(.list(elements: [], optionalIndices: []), r)
        return make(.comprehension(CELExpr.Comprehension(
            iterVar: "#unused", iterVar2: nil, iterRange: empty, accuVar: name, accuInit: value,
            loopCondition: lit(.bool(false), r), loopStep: ident(name, r), result: body)), r)
    }
}

/// Names of internal functions that macros expand into.
enum Function {
    static let mapInsert = "@mapInsert"
}
