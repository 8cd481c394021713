// Logic with cel-spec's error absorption: `false && error` is false, `true || error` is true.

final class AndNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable
    let rhs: Interpretable
    init(_ lhs: Interpretable, _ rhs: Interpretable) {
        self.lhs = lhs
        self.rhs = rhs
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let left = lhs.eval(frame)
        if case .bool(false) = left { return left }
        let right = rhs.eval(frame)
        if case .bool(false) = right { return right }
        // Neither side is false: the result is true only if both are true.
        if case .bool(true) = left, case .bool(true) = right { return right }
        if case .error = left { return left }
        if case .error = right { return right }
        return CELValue.noOverload(Operator.logicalAnd, left, right)
    }
}

final class OrNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable
    let rhs: Interpretable
    init(_ lhs: Interpretable, _ rhs: Interpretable) {
        self.lhs = lhs
        self.rhs = rhs
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let left = lhs.eval(frame)
        if case .bool(true) = left { return left }
        let right = rhs.eval(frame)
        if case .bool(true) = right { return right }
        if case .bool(false) = left, case .bool(false) = right { return right }
        if case .error = left { return left }
        if case .error = right { return right }
        return CELValue.noOverload(Operator.logicalOr, left, right)
    }
}

final class ConditionalNode: Interpretable, @unchecked Sendable {
    let condition: Interpretable
    let whenTrue: Interpretable
    let whenFalse: Interpretable
    init(_ condition: Interpretable, _ whenTrue: Interpretable, _ whenFalse: Interpretable) {
        self.condition = condition
        self.whenTrue = whenTrue
        self.whenFalse = whenFalse
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        switch condition.eval(frame) {
        case .bool(true): return whenTrue.eval(frame)
        case .bool(false): return whenFalse.eval(frame)
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload(Operator.conditional, other)
        }
    }
}

/// `@not_strictly_false`: lets `all` carry on past an error in case a later element is false.
final class NotStrictlyFalseNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    init(_ operand: Interpretable) { self.operand = operand }
    override func eval(_ frame: EvalFrame) -> CELValue {
        if case .bool(false) = operand.eval(frame) { return .bool(false) }
        return .bool(true)
    }
}

final class NotNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    init(_ operand: Interpretable) { self.operand = operand }
    override func eval(_ frame: EvalFrame) -> CELValue {
        switch operand.eval(frame) {
        case .bool(let b): return .bool(!b)
        case .error(let e): return .error(e)
        case let other: return CELValue.noOverload(Operator.logicalNot, other)
        }
    }
}
