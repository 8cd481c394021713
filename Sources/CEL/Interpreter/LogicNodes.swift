// Logic with cel-spec's error absorption: `false && error` is false, `true || error` is true.

/// `&&` and `||`: `absorbing` is the value that decides the result on its own (false for `&&`, true
/// for `||`), whichever side it is on, even when the other side is an error.
final class ShortCircuitNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let lhs: Interpretable
    let rhs: Interpretable
    let absorbing: Bool
    let function: String
    init(id: CELExprID, _ lhs: Interpretable, _ rhs: Interpretable, absorbing: Bool) {
        self.id = id
        self.lhs = lhs
        self.rhs = rhs
        self.absorbing = absorbing
        self.function = absorbing ? Operator.logicalOr : Operator.logicalAnd
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        if case .bool(let value) = left, value == absorbing { return left }
        let right = rhs.eval(&frame)
        if case .bool(let value) = right, value == absorbing { return right }
        // Neither side decided: both must be the other boolean for a result.
        if case .bool = left, case .bool = right { return right }
        if case .error = left { return left }
        if case .error = right { return right }
        return CELValue.noOverload(function, left, right)
    }
}

final class ConditionalNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let condition: Interpretable
    let whenTrue: Interpretable
    let whenFalse: Interpretable
    init(id: CELExprID, _ condition: Interpretable, _ whenTrue: Interpretable, _ whenFalse: Interpretable) {
        self.id = id
        self.condition = condition
        self.whenTrue = whenTrue
        self.whenFalse = whenFalse
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        switch condition.eval(&frame) {
        case .bool(true): return whenTrue.eval(&frame)
        case .bool(false): return whenFalse.eval(&frame)
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload(Operator.conditional, other)
        }
    }
}

/// `@not_strictly_false`: lets `all` carry on past an error in case a later element is false.
final class NotStrictlyFalseNode: Interpretable {
    let operand: Interpretable
    init(_ operand: Interpretable) { self.operand = operand }
    func eval(_ frame: inout EvalFrame) -> CELValue {
        if case .bool(false) = operand.eval(&frame) { return .bool(false) }
        return .bool(true)
    }
}

final class NotNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let operand: Interpretable
    init(id: CELExprID, _ operand: Interpretable) {
        self.id = id
        self.operand = operand
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        switch operand.eval(&frame) {
        case .bool(let b): return .bool(!b)
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload(Operator.logicalNot, other)
        }
    }
}
