/// Arithmetic with cel-spec's rules: 64-bit ints and uints that error on overflow, IEEE doubles,
/// and timestamp/duration arithmetic with range checks. Mixed int/double arithmetic has no overload.
enum Arithmetic {
    static func add(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .fail("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? .fail("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.duration(let x), .duration(let y)): return CELDuration.checked(nanos: x.nanos + y.nanos)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            return CELTimestamp.checked(nanos: t.nanos + d.nanos)
        default: return CELValue.noOverload(Operator.add, a, b)
        }
    }

    static func subtract(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .fail("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? .fail("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.duration(let x), .duration(let y)): return CELDuration.checked(nanos: x.nanos - y.nanos)
        case (.timestamp(let t), .duration(let d)): return CELTimestamp.checked(nanos: t.nanos - d.nanos)
        case (.timestamp(let x), .timestamp(let y)):
            return CELDuration.checked(nanos: x.nanos - y.nanos)
        default: return CELValue.noOverload(Operator.subtract, a, b)
        }
    }

    static func multiply(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .fail("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? .fail("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: return CELValue.noOverload(Operator.multiply, a, b)
        }
    }

    static func divide(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .fail("division by zero") }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? .fail("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            return y == 0 ? .fail("division by zero") : .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: return CELValue.noOverload(Operator.divide, a, b)
        }
    }

    static func modulo(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return .fail("modulus by zero") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return o ? .fail("integer overflow") : .int(r)
        case (.uint(let x), .uint(let y)):
            return y == 0 ? .fail("modulus by zero") : .uint(x % y)
        default: return CELValue.noOverload(Operator.modulo, a, b)
        }
    }

    static func negate(_ a: CELValue) -> CELValue {
        switch a {
        case .int(let x):
            return x == Int64.min ? .fail("integer overflow") : .int(-x)
        case .double(let x): return .double(-x)
        case .duration(let d): return CELDuration.checked(nanos: -d.nanos)
        default: return CELValue.noOverload(Operator.negate, a)
        }
    }

    static func not(_ a: CELValue) -> CELValue {
        if case .bool(let b) = a { return .bool(!b) }
        return CELValue.noOverload(Operator.logicalNot, a)
    }

    static func ordering(_ function: String, _ test: @escaping @Sendable (Int) -> Bool) -> BinaryFunction {
        { a, b in
            switch CELValue.compare(a, b, function) {
            case .success(let order?): return .bool(test(order))
            case .success(nil): return .bool(false)
            case .failure(let error): return .error(error)
            }
        }
    }

    /// `x in list` and `key in map`.
    static func contains(_ element: CELValue, _ container: CELValue) -> CELValue {
        switch container {
        case .list(let list):
            return .bool(list.contains { $0.isEqual(to: element) })
        case .map(let map):
            return .bool(map.contains(element))
        default:
            return CELValue.noOverload(Operator.in, element, container)
        }
    }
}
