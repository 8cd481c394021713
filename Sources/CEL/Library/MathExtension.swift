import Foundation

/// The math extension: `math.greatest`, `math.least`, rounding, `abs`, `sign`, classification and
/// bitwise operations.
extension FunctionLibrary {
    mutating func registerMath() {
        global("math.greatest", unary: { MathFunctions.extreme([$0], greatest: true) },
               nary: { MathFunctions.extreme($0, greatest: true) })
        global("math.least", unary: { MathFunctions.extreme([$0], greatest: false) },
               nary: { MathFunctions.extreme($0, greatest: false) })
        global("math.ceil", unary: MathFunctions.doubleOnly("math.ceil") { $0.rounded(.up) })
        global("math.floor", unary: MathFunctions.doubleOnly("math.floor") { $0.rounded(.down) })
        global("math.round", unary: MathFunctions.doubleOnly("math.round") { $0.rounded(.toNearestOrAwayFromZero) })
        global("math.trunc", unary: MathFunctions.doubleOnly("math.trunc") { $0.rounded(.towardZero) })
        // A playbook extension: the sum of a list of numbers of one kind (0 for an empty list), for
        // totals such as Meta's conversions, which are a list of actions.
        global("math.sum", unary: MathFunctions.sum)
        global("math.sqrt", unary: { value in
            switch value {
            case .double(let d): return .double(d.squareRoot())
            case .int(let i): return .double(Double(i).squareRoot())
            case .uint(let u): return .double(Double(u).squareRoot())
            default: return CELValue.noOverload("math.sqrt", value)
            }
        })
        global("math.abs", unary: { value in
            switch value {
            case .int(let i): return i == Int64.min ? .fail("integer overflow") : .int(abs(i))
            case .uint: return value
            case .double(let d): return .double(abs(d))
            default: return CELValue.noOverload("math.abs", value)
            }
        })
        global("math.sign", unary: { value in
            switch value {
            case .int(let i): return .int(i.signum())
            case .uint(let u): return .uint(u == 0 ? 0 : 1)
            case .double(let d): return .double(d.isNaN ? d : (d > 0 ? 1 : (d < 0 ? -1 : 0)))
            default: return CELValue.noOverload("math.sign", value)
            }
        })
        global("math.isInf", unary: MathFunctions.classify("math.isInf") { $0.isInfinite })
        global("math.isNaN", unary: MathFunctions.classify("math.isNaN") { $0.isNaN })
        global("math.isFinite", unary: MathFunctions.classify("math.isFinite") { $0.isFinite })
        global("math.bitAnd", binary: MathFunctions.bitwise("math.bitAnd", &, &))
        global("math.bitOr", binary: MathFunctions.bitwise("math.bitOr", |, |))
        global("math.bitXor", binary: MathFunctions.bitwise("math.bitXor", ^, ^))
        global("math.bitNot", unary: { value in
            switch value {
            case .int(let i): return .int(~i)
            case .uint(let u): return .uint(~u)
            default: return CELValue.noOverload("math.bitNot", value)
            }
        })
        global("math.bitShiftLeft", binary: { MathFunctions.shift($0, $1, left: true) })
        global("math.bitShiftRight", binary: { MathFunctions.shift($0, $1, left: false) })
    }
}

enum MathFunctions {
    /// Greatest or least of numbers given as arguments or as one list; mixed kinds compare by value.
    @Sendable static func sum(_ value: CELValue) -> CELValue {
        guard case .list(let elements) = value else { return CELValue.noOverload("math.sum", value) }
        switch elements.first {
        case nil: return .int(0)
        case .int?:
            var total: Int64 = 0
            for element in elements {
                guard case .int(let number) = element else { return CELValue.noOverload("math.sum", element) }
                let (sum, overflow) = total.addingReportingOverflow(number)
                if overflow { return .fail("integer overflow") }
                total = sum
            }
            return .int(total)
        case .uint?:
            var total: UInt64 = 0
            for element in elements {
                guard case .uint(let number) = element else { return CELValue.noOverload("math.sum", element) }
                let (sum, overflow) = total.addingReportingOverflow(number)
                if overflow { return .fail("unsigned integer overflow") }
                total = sum
            }
            return .uint(total)
        case .double?:
            var total = 0.0
            for element in elements {
                guard case .double(let number) = element else { return CELValue.noOverload("math.sum", element) }
                total += number
            }
            return .double(total)
        case let other?:
            return CELValue.noOverload("math.sum", other)
        }
    }

    static func extreme(_ args: [CELValue], greatest: Bool) -> CELValue {
        let name = greatest ? "math.greatest" : "math.least"
        var values = args
        if args.count == 1, case .list(let list) = args[0] { values = list }
        guard !values.isEmpty else { return .fail("\(name)() needs at least one argument") }
        var best: CELValue?
        for value in values {
            switch value {
            case .int, .uint, .double: break
            default: return CELValue.noOverload(name, value)
            }
            guard let current = best else {
                best = value
                continue
            }
            if let order = CELValue.compareNumbers(value, current), greatest ? order > 0 : order < 0 {
                best = value
            }
        }
        return best!
    }

    static func doubleOnly(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> UnaryFunction {
        { value in
            guard case .double(let d) = value else { return CELValue.noOverload(name, value) }
            return .double(f(d))
        }
    }

    static func classify(_ name: String, _ f: @escaping @Sendable (Double) -> Bool) -> UnaryFunction {
        { value in
            guard case .double(let d) = value else { return CELValue.noOverload(name, value) }
            return .bool(f(d))
        }
    }

    static func bitwise(
        _ name: String, _ ints: @escaping @Sendable (Int64, Int64) -> Int64, _ uints: @escaping @Sendable (UInt64, UInt64) -> UInt64
    ) -> BinaryFunction {
        { a, b in
            switch (a, b) {
            case (.int(let x), .int(let y)): return .int(ints(x, y))
            case (.uint(let x), .uint(let y)): return .uint(uints(x, y))
            default: return CELValue.noOverload(name, a, b)
            }
        }
    }

    /// Shifts of 64 bits or more give 0; right shifts of ints are logical, as in cel-go.
    static func shift(_ value: CELValue, _ amount: CELValue, left: Bool) -> CELValue {
        let name = left ? "math.bitShiftLeft" : "math.bitShiftRight"
        guard case .int(let n) = amount else { return CELValue.noOverload(name, value, amount) }
        guard n >= 0 else { return .fail("\(name): negative shift \(n)") }
        switch value {
        case .int(let i):
            if n >= 64 { return .int(0) }
            return .int(left ? i << n : Int64(bitPattern: UInt64(bitPattern: i) >> UInt64(n)))
        case .uint(let u):
            if n >= 64 { return .uint(0) }
            return .uint(left ? u << UInt64(n) : u >> UInt64(n))
        default:
            return CELValue.noOverload(name, value, amount)
        }
    }
}
