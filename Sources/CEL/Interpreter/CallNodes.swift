typealias UnaryFunction = @Sendable (CELValue) -> CELValue
typealias BinaryFunction = @Sendable (CELValue, CELValue) -> CELValue
typealias NaryFunction = @Sendable ([CELValue]) -> CELValue

/// Strict calls: an error argument is the result, without calling the function.
final class UnaryCallNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let argument: Interpretable
    let function: UnaryFunction
    init(id: CELExprID, _ argument: Interpretable, _ function: @escaping UnaryFunction) {
        self.id = id
        self.argument = argument
        self.function = function
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let value = argument.eval(&frame)
        if case .error = value { return value }
        return function(value)
    }
}

final class BinaryCallNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let lhs: Interpretable
    let rhs: Interpretable
    let function: BinaryFunction
    init(id: CELExprID, _ lhs: Interpretable, _ rhs: Interpretable, _ function: @escaping BinaryFunction) {
        self.id = id
        self.lhs = lhs
        self.rhs = rhs
        self.function = function
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        if case .error = left { return left }
        let right = rhs.eval(&frame)
        if case .error = right { return right }
        return function(left, right)
    }
}

final class NaryCallNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let arguments: [Interpretable]
    let function: NaryFunction
    init(id: CELExprID, _ arguments: [Interpretable], _ function: @escaping NaryFunction) {
        self.id = id
        self.arguments = arguments
        self.function = function
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        var values: [CELValue] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            let value = argument.eval(&frame)
            if case .error = value { return value }
            values.append(value)
        }
        return function(values)
    }
}

/// `+` on strings, bytes and lists charges the size of what it builds against the cost limit.
final class AddNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let lhs: Interpretable
    let rhs: Interpretable
    init(id: CELExprID, _ lhs: Interpretable, _ rhs: Interpretable) {
        self.id = id
        self.lhs = lhs
        self.rhs = rhs
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        if case .error = left { return left }
        let right = rhs.eval(&frame)
        if case .error = right { return right }
        switch (left, right) {
        case (.string(let a), .string(let b)):
            if frame.charge(a.utf8.count + b.utf8.count) { return frame.limitExceeded }
            return .string(a + b)
        case (.list(let a), .list(let b)):
            if frame.charge(a.count + b.count) { return frame.limitExceeded }
            return .list(a + b)
        case (.bytes(let a), .bytes(let b)):
            if frame.charge(a.count + b.count) { return frame.limitExceeded }
            return .bytes(a + b)
        default:
            return Arithmetic.add(left, right)
        }
    }
}

/// A function whose result size is charged against the cost limit (string and list builders).
final class ChargedCallNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let inner: Interpretable
    init(id: CELExprID, _ inner: Interpretable) {
        self.id = id
        self.inner = inner
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let value = inner.eval(&frame)
        let size: Int
        switch value {
        case .string(let s): size = s.utf8.count
        case .bytes(let b): size = b.count
        case .list(let l): size = l.count
        default: size = 0
        }
        return frame.charge(size) ? frame.limitExceeded : value
    }
}

final class ListNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let elements: [Interpretable]
    /// Positions written `?x`: included only when the optional has a value.
    let optionalIndices: Set<Int>
    init(id: CELExprID, _ elements: [Interpretable], optionalIndices: Set<Int>) {
        self.id = id
        self.elements = elements
        self.optionalIndices = optionalIndices
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        var values: [CELValue] = []
        values.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            let value = element.eval(&frame)
            if case .error = value { return value }
            if optionalIndices.contains(position) {
                switch value {
                case .optional(nil): continue
                case .optional(let inner?): values.append(inner)
                default: return .fail("optional list element must be an optional value, got \(value.celType.runtimeName)")
                }
            } else {
                values.append(value)
            }
        }
        return .list(values)
    }
}

final class MapNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let entries: [(key: Interpretable, value: Interpretable, optional: Bool)]
    init(id: CELExprID, _ entries: [(key: Interpretable, value: Interpretable, optional: Bool)]) {
        self.id = id
        self.entries = entries
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        var map = CELMap()
        for entry in entries {
            let key = entry.key.eval(&frame)
            if case .error = key { return key }
            var value = entry.value.eval(&frame)
            if case .error = value { return value }
            if entry.optional {
                switch value {
                case .optional(nil): continue
                case .optional(let inner?): value = inner
                default: return .fail("optional map entry must be an optional value, got \(value.celType.runtimeName)")
                }
            }
            do { try map.insert(key, value) } catch { return .error(error) }
        }
        return .map(map)
    }
}
