/// cel-spec equality: numbers compare by value across int, uint and double; values of different
/// kinds are unequal (not an error); lists and maps compare element by element.
extension CELValue {
    /// `self == other` as a CEL value: a bool, or an error when either side is one.
    static func equals(_ lhs: CELValue, _ rhs: CELValue) -> CELValue {
        if case .error = lhs { return lhs }
        if case .error = rhs { return rhs }
        return .bool(lhs.isEqual(to: rhs))
    }

    /// Structural equality; errors inside lists or maps compare unequal.
    public func isEqual(to other: CELValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return StringBytes.equal(a, b)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.int, _), (.uint, _), (.double, _):
            return CELValue.compareNumbers(self, other) == 0
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].isEqual(to: b[i]) { return false }
            return true
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.entries {
                guard let otherValue = b[key], value.isEqual(to: otherValue) else { return false }
            }
            return true
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.type(let a), .type(let b)): return a.runtimeName == b.runtimeName
        case (.optional(let a), .optional(let b)):
            switch (a, b) {
            case (nil, nil): return true
            case (let x?, let y?): return x.isEqual(to: y)
            default: return false
            }
        default: return false
        }
    }

    /// Orders two numbers of any numeric kind exactly; nil when either is not a number or is NaN.
    static func compareNumbers(_ lhs: CELValue, _ rhs: CELValue) -> Int? {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.uint(let a), .uint(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.int(let a), .uint(let b)):
            if a < 0 { return -1 }
            let ua = UInt64(a)
            return ua < b ? -1 : (ua > b ? 1 : 0)
        case (.uint, .int): return compareNumbers(rhs, lhs).map { -$0 }
        case (.int(let a), .double(let b)): return compareIntDouble(a, b)
        case (.double, .int): return compareNumbers(rhs, lhs).map { -$0 }
        case (.uint(let a), .double(let b)): return compareUIntDouble(a, b)
        case (.double, .uint): return compareNumbers(rhs, lhs).map { -$0 }
        default: return nil
        }
    }

    // cel-spec compares ints and doubles as doubles, accepting the rounding of large ints.
    private static func compareIntDouble(_ a: Int64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        let x = Double(a)
        return x < b ? -1 : (x > b ? 1 : 0)
    }

    private static func compareUIntDouble(_ a: UInt64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        let x = Double(a)
        return x < b ? -1 : (x > b ? 1 : 0)
    }

    /// Orders two values for `<`, `<=`, `>`, `>=`: -1, 0, 1, nil for unordered NaN, or an error value.
    public static func compare(_ lhs: CELValue, _ rhs: CELValue, _ function: String) -> Result<Int?, CELError> {
        switch (lhs, rhs) {
        case (.int, .int), (.int, .uint), (.int, .double), (.uint, .int), (.uint, .uint), (.uint, .double),
             (.double, .int), (.double, .uint), (.double, .double):
            return .success(compareNumbers(lhs, rhs))
        case (.string(let a), .string(let b)):
            // Code-point order, not Unicode canonical order.
            return .success(a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : (a == b ? 0 : 1))
        case (.bytes(let a), .bytes(let b)):
            return .success(a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1))
        case (.bool(let a), .bool(let b)):
            return .success(a == b ? 0 : (!a ? -1 : 1))
        case (.timestamp(let a), .timestamp(let b)):
            return .success(a < b ? -1 : (a == b ? 0 : 1))
        case (.duration(let a), .duration(let b)):
            return .success(a < b ? -1 : (a == b ? 0 : 1))
        default:
            if case .error(let e) = lhs { return .failure(e) }
            if case .error(let e) = rhs { return .failure(e) }
            guard case .error(let e) = CELValue.noOverload(function, lhs, rhs) else { fatalError("unreachable") }
            return .failure(e)
        }
    }
}
