/// Type variables, unification and assignability.
extension Checker {
    // MARK: - Types

    mutating func fresh() -> CELType {
        freshCounter += 1
        return .typeParam("_\(freshCounter)")
    }

    /// The type a type variable is bound to, following chains of bindings; other types as they are.
    func walk(_ type: CELType) -> CELType {
        var type = type
        while case .typeParam(let name) = type, let bound = substitution[name] { type = bound }
        return type
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

    static func isNumeric(_ t: CELType) -> Bool { t == .int || t == .uint || t == .double }

    /// Renames a signature's type parameters apart for one call.
    func instantiate(_ type: CELType, _ suffix: String) -> CELType {
        switch type {
        case .typeParam(let n): return .typeParam(n + suffix)
        case .list(let e): return .list(instantiate(e, suffix))
        case .map(let k, let v): return .map(instantiate(k, suffix), instantiate(v, suffix))
        case .optional(let t): return .optional(instantiate(t, suffix))
        case .type(let t): return .type(instantiate(t, suffix))
        default: return type
        }
    }
}
