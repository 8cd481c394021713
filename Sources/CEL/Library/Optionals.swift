/// Optional values: `optional.of`, `optional.none`, `optional.ofNonZeroValue`, `hasValue`, `value`,
/// `orValue`, `or`. (`optMap` and `optFlatMap` are macros.)
extension FunctionLibrary {
    mutating func registerOptionals() {
        global("optional.of", unary: { .optional($0) })
        global("optional.none", nary: { args in args.isEmpty ? .optional(nil) : .fail("optional.none() takes no arguments") })
        global("optional.ofNonZeroValue", unary: { $0.isZeroValue ? .optional(nil) : .optional($0) })
        member("hasValue", unary: { value in
            guard case .optional(let inner) = value else { return CELValue.noOverload("hasValue", value) }
            return .bool(inner != nil)
        })
        member("value", unary: { value in
            guard case .optional(let inner) = value else { return CELValue.noOverload("value", value) }
            return inner ?? .fail("optional.none() has no value")
        })
        member("orValue", binary: { value, fallback in
            guard case .optional(let inner) = value else { return CELValue.noOverload("orValue", value, fallback) }
            return inner ?? fallback
        })
        member("or", binary: { value, other in
            guard case .optional(let inner) = value, case .optional = other else { return CELValue.noOverload("or", value, other) }
            return inner == nil ? other : value
        })
    }
}

extension CELValue {
    /// Whether the value is its type's zero: 0, "", false, null, empty list or map, zero duration…
    var isZeroValue: Bool {
        switch self {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .uint(let u): return u == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .bytes(let b): return b.isEmpty
        case .list(let l): return l.isEmpty
        case .map(let m): return m.isEmpty
        case .timestamp(let t): return t.nanos == 0
        case .duration(let d): return d.nanos == 0
        case .optional(let inner): return inner == nil
        case .type, .error: return false
        }
    }
}
