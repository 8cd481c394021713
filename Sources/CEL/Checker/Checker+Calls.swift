import Diagnostics

/// Checking calls: operators with special rules, overload resolution, and literal arguments.
extension Checker {
    // MARK: - Calls

    mutating func requireBool(_ expr: CELExpr, _ type: CELType, _ what: @autoclosure () -> String) {
        var trial = substitution
        if !Checker.unify(type, .bool, &trial) {
            error(CELDiagnosticCode.nonBoolCondition, CELDiagnosticMessages.notBool(what(), resolve(type)), at: expr.id)
        }
    }

    /// Whether `function` may be one of the operators with rules of their own (`&&`, `||`, `!`, `? :`,
    /// `==`, `!=`, `@not_strictly_false`), told by its first two bytes so other calls skip the
    /// comparisons.
    static func mayBeSpecialOperator(_ function: String) -> Bool {
        var function = function
        return function.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            if first == UInt8(ascii: "!") || first == UInt8(ascii: "@") { return true }
            guard first == UInt8(ascii: "_"), bytes.count > 1 else { return false }
            switch bytes[1] {
            case UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "!"): return true
            default: return false
            }
        }
    }

    /// `math.greatest` and `math.least`, which take any number of numeric arguments. Every call is
    /// tested, so lengths are compared first.
    static func isExtremeFunction(_ name: String) -> Bool {
        switch name.utf8.count {
        case 13: name == "math.greatest"
        case 10: name == "math.least"
        default: false
        }
    }

    /// Membership and map lookup compare numbers by value, so `1.0 in [1]` and `{1: x}[1u]` are fine.
    static func comparesNumbersByValue(_ name: String) -> Bool {
        switch name.utf8.count {
        case 3: name == Operator.in
        case 4: name == Operator.index
        case 5: name == Operator.optionalIndex
        default: false
        }
    }

    mutating func checkCall(_ expr: CELExpr, target: CELExpr?, function: String, args: [CELExpr]) -> CELType {
        switch Self.mayBeSpecialOperator(function) ? function : "" {
        case Operator.logicalAnd, Operator.logicalOr:
            for arg in args { requireBool(arg, check(arg), CELDiagnosticMessages.operandOf(Operator.display(function))) }
            return .bool
        case Operator.logicalNot:
            requireBool(args[0], check(args[0]), CELDiagnosticMessages.operandOf("!"))
            return .bool
        case Operator.notStrictlyFalse:
            check(args[0])
            return .bool
        case Operator.conditional:
            requireBool(args[0], check(args[0]), CELDiagnosticMessages.conditionOfTernary)
            let a = resolve(check(args[1]), finalize: false)
            let b = resolve(check(args[2]), finalize: false)
            if a == .null { return b }
            if b == .null { return a }
            var trial = substitution
            if Checker.unify(a, b, &trial) {
                substitution = trial
                return a == .dyn ? b : a
            }
            error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.conditionalBranchesDiffer(resolve(a), resolve(b)), at: expr.id,
                  help: CELDiagnosticMessages.conditionalBranchesDifferHelp)
            return .error
        case Operator.equals, Operator.notEquals:
            let a = resolve(check(args[0]), finalize: false)
            let b = resolve(check(args[1]), finalize: false)
            var trial = substitution
            let comparable = Checker.unify(a, b, &trial) || (Checker.isNumeric(a) && Checker.isNumeric(b)) || a == .null || b == .null
            if comparable {
                substitution = trial
            } else {
                error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.comparisonAlwaysSame(resolve(a), resolve(b), equals: function == Operator.equals), at: expr.id,
                      help: CELDiagnosticMessages.comparisonAlwaysSameHelp)
            }
            return .bool
        default:
            break
        }

        var argTypes: [CELType] = []
        argTypes.reserveCapacity(args.count + 1)
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
                error(CELDiagnosticCode.unknownFunction, CELDiagnosticMessages.unknownFunction(name), at: expr.id, nameOnly: true,
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
                error(CELDiagnosticCode.unknownFunction, CELDiagnosticMessages.functionCalledAsMethod(function), at: expr.id, nameOnly: true,
                      help: CELDiagnosticMessages.functionCalledAsMethodHelp(function))
            } else if !isMember, signatures.member[function] != nil {
                error(CELDiagnosticCode.unknownFunction, CELDiagnosticMessages.methodCalledAsFunction(function), at: expr.id, nameOnly: true)
            } else {
                error(CELDiagnosticCode.unknownFunction, CELDiagnosticMessages.unknownFunction(name), at: expr.id, nameOnly: true,
                      help: Suggestions.didYouMean(name, in: signatures.callableNames))
            }
            return .error
        }
        if Self.isExtremeFunction(name) { return checkExtreme(name, argTypes, expr) }
        checkConstantArguments(name, args)
        return resolveOverload(name, overloads, argTypes, expr)
    }

    mutating func resolveOverload(_ name: String, _ overloads: [Overload], _ argTypes: [CELType], _ expr: CELExpr) -> CELType {
        for type in argTypes { if case .error = type { return .error } }
        // Usually exactly one overload fits; the others are kept only when several do (a `dyn` argument).
        var firstMatch: (result: CELType, substitution: [String: CELType])?
        var otherResults: [CELType] = []
        freshCounter += 1
        // Generic overloads get their type parameters renamed per call; the name is built only if needed.
        var suffix: String?
        let numbersMix = Self.comparesNumbersByValue(name)
        var argHeads = TypeHeads()
        for type in argTypes { argHeads.append(TypeHead(walk(type))) }
        for overload in overloads where overload.params.count == argTypes.count && overload.mayAccept(argHeads, numbersMix: numbersMix) {
            var trial = substitution
            var ok = true
            if overload.isGeneric, suffix == nil { suffix = "#\(freshCounter)" }
            for (param, arg) in zip(overload.params, argTypes) {
                let parameter = overload.isGeneric ? instantiate(param, suffix!) : param
                if !Checker.unify(parameter, arg, &trial, numbersMix: numbersMix) {
                    ok = false
                    break
                }
            }
            guard ok else { continue }
            let result = overload.isGeneric ? instantiate(overload.result, suffix!) : overload.result
            if firstMatch == nil { firstMatch = (result, trial) } else { otherResults.append(result) }
        }
        guard let first = firstMatch else {
            let shown = argTypes.map { resolve($0).description }.joined(separator: ", ")
            let display = Operator.display(name)
            let isOperator = display != name
            error(CELDiagnosticCode.noMatchingOverload,
                  CELDiagnosticMessages.noMatchingOverload(display, shown), at: expr.id,
                  help: isOperator && shown.contains("int") && shown.contains("double")
                      ? CELDiagnosticMessages.mixedNumbersHelp : nil)
            return .error
        }
        if otherResults.isEmpty {
            substitution = first.substitution
            return first.result
        }
        // Several overloads fit (an argument is dyn): the result is their common type, if any.
        let results = ([first.result] + otherResults).map { resolve($0, finalize: true) }
        return results.allSatisfy { $0 == results[0] } ? results[0] : .dyn
    }

    /// Literal arguments that can only fail at run time are checked now: regular expressions,
    /// timestamps and durations written as text.
    mutating func checkConstantArguments(_ name: String, _ args: [CELExpr]) {
        guard let last = args.last, case .literal(.string(let text)) = last.kind else { return }
        switch name {
        case "matches":
            if case .failure(let failure) = CompiledRegex.compile(text) {
                error(CELDiagnosticCode.invalidRegularExpression, failure.message, at: last.id, help: failure.help)
            }
        case "timestamp" where args.count == 1:
            guard let nanos = TimeFormat.parseTimestamp(text) else {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.invalidTimestamp(text), at: last.id,
                      help: CELDiagnosticMessages.invalidTimestampHelp)
                return
            }
            if CELTimestamp.checked(nanos: nanos).isError {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.timestampOutOfRange(text), at: last.id,
                      help: CELDiagnosticMessages.timestampRangeHelp)
            }
        case "duration" where args.count == 1:
            guard let nanos = TimeFormat.parseDuration(text) else {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.invalidDuration(text), at: last.id,
                      help: CELDiagnosticMessages.invalidDurationHelp)
                return
            }
            if CELDuration.checked(nanos: nanos).isError {
                error(CELDiagnosticCode.invalidLiteral, CELDiagnosticMessages.durationOutOfRange(text), at: last.id,
                      help: CELDiagnosticMessages.durationRangeHelp)
            }
        default:
            break
        }
    }

    mutating func checkExtreme(_ name: String, _ argTypes: [CELType], _ expr: CELExpr) -> CELType {
        var types = argTypes.map { resolve($0, finalize: false) }
        if types.count == 1, case .list(let element) = types[0] { types = [element] }
        guard !types.isEmpty else {
            error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.needsAnArgument(name), at: expr.id)
            return .error
        }
        for (index, type) in types.enumerated() where !(Checker.isNumeric(type) || type == .dyn || type == .error) {
            let shown = resolve(type)
            error(CELDiagnosticCode.noMatchingOverload, CELDiagnosticMessages.takesNumbers(name, shown, argument: index + 1), at: expr.id)
            return .error
        }
        return types.allSatisfy { $0 == types[0] } ? types[0] : .dyn
    }
}
