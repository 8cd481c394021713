// Equality, ordering and membership.

/// `==` and `!=`, without going through a function value.
final class EqualsNode: Interpretable {
    let lhs: Interpretable
    let rhs: Interpretable
    let negated: Bool
    init(_ lhs: Interpretable, _ rhs: Interpretable, negated: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.negated = negated
    }
    func eval(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        if case .error = left { return left }
        let right = rhs.eval(&frame)
        if case .error = right { return right }
        return .bool(left.isEqual(to: right) != negated)
    }
}

/// `<`, `<=`, `>`, `>=` with fast paths for same-kind numbers.
final class CompareNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    enum Relation: Sendable {
        case less, lessEquals, greater, greaterEquals

        @inline(__always)
        func holds(_ order: Int) -> Bool {
            switch self {
            case .less: return order < 0
            case .lessEquals: return order <= 0
            case .greater: return order > 0
            case .greaterEquals: return order >= 0
            }
        }
    }

    let lhs: Interpretable
    let rhs: Interpretable
    let relation: Relation
    let function: String

    init(id: CELExprID, _ lhs: Interpretable, _ rhs: Interpretable, _ relation: Relation, function: String) {
        self.id = id
        self.lhs = lhs
        self.rhs = rhs
        self.relation = relation
        self.function = function
    }

    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        if case .error = left { return left }
        let right = rhs.eval(&frame)
        if case .error = right { return right }
        if case .int(let a) = left, case .int(let b) = right { return .bool(relation.holds(a < b ? -1 : (a > b ? 1 : 0))) }
        switch CELValue.compare(left, right, function) {
        case .success(let order?): return .bool(relation.holds(order))
        case .success(nil): return .bool(false)
        case .failure(let error): return .error(error)
        }
    }
}

/// `x in [constants]`: the list is built once at plan time.
final class InConstantListNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let element: Interpretable
    let list: [CELValue]
    /// The list's elements when all are strings (`country in ["PL", "DE"]`), so that a string is
    /// looked for by comparing bytes, without CEL's equality of any two values.
    let strings: [String]?
    init(id: CELExprID, _ element: Interpretable, _ list: [CELValue]) {
        self.id = id
        self.element = element
        self.list = list
        let strings = list.compactMap { element -> String? in
            if case .string(let text) = element { return text }
            return nil
        }
        self.strings = strings.count == list.count ? strings : nil
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let value = element.eval(&frame)
        if case .error = value { return value }
        if let strings, case .string(let text) = value {
            for candidate in strings where StringBytes.equal(candidate, text) { return .bool(true) }
            return .bool(false)
        }
        for candidate in list where candidate.isEqual(to: value) { return .bool(true) }
        return .bool(false)
    }
}
