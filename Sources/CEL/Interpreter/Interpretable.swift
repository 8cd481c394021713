/// An evaluator node: the planner turns the checked tree into these once, and a program evaluates
/// them many times. Nodes hold only immutable state, so one tree serves concurrent evaluations.
class Interpretable: @unchecked Sendable {
    func eval(_ frame: EvalFrame) -> CELValue { fatalError("abstract") }

    /// The value when the node is a constant, used for folding and regex precompilation.
    var constantValue: CELValue? { nil }
}

final class ConstNode: Interpretable, @unchecked Sendable {
    let value: CELValue
    init(_ value: CELValue) { self.value = value }
    override func eval(_ frame: EvalFrame) -> CELValue { value }
    override var constantValue: CELValue? { value }
}

/// A top-level variable. The first read in an evaluation looks it up by name; later reads (the same
/// variable used twice, or inside a loop) come from the frame's cache.
final class VariableNode: Interpretable, @unchecked Sendable {
    let name: String
    let cacheSlot: Int
    init(_ name: String, cacheSlot: Int) {
        self.name = name
        self.cacheSlot = cacheSlot
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        if let cached = frame.variables[cacheSlot] { return cached }
        let value = frame.activation.variables[name] ?? .fail("undeclared reference to '\(name)'")
        frame.variables[cacheSlot] = value
        return value
    }
}

/// A dotted name such as `a.b.c`: the longest declared variable prefix wins, the rest are fields.
final class QualifiedNameNode: Interpretable, @unchecked Sendable {
    /// Candidate variable names, longest first, with the fields to select after each.
    let candidates: [(name: String, fields: [String])]
    /// The value when no candidate is bound, e.g. a type name such as `google.protobuf.Timestamp`.
    let fallback: CELValue?

    init(candidates: [(name: String, fields: [String])], fallback: CELValue?) {
        self.candidates = candidates
        self.fallback = fallback
    }

    override func eval(_ frame: EvalFrame) -> CELValue {
        for candidate in candidates {
            guard var value = frame.activation.variables[candidate.name] else { continue }
            for field in candidate.fields { value = Access.select(value, field) }
            return value
        }
        return fallback ?? .fail("undeclared reference to '\(candidates.last?.name ?? "")'")
    }
}

/// A comprehension variable, stored in a frame slot chosen at plan time.
final class SlotNode: Interpretable, @unchecked Sendable {
    let slot: Int
    init(_ slot: Int) { self.slot = slot }
    override func eval(_ frame: EvalFrame) -> CELValue { frame.slots[slot] }
}

final class SelectNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    init(_ operand: Interpretable, _ field: String) {
        self.operand = operand
        self.field = field
    }
    override func eval(_ frame: EvalFrame) -> CELValue { Access.select(operand.eval(frame), field) }
}

/// `has(x.f)`.
final class HasFieldNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    init(_ operand: Interpretable, _ field: String) {
        self.operand = operand
        self.field = field
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        switch operand.eval(frame) {
        case .map(let map): return .bool(map[field] != nil)
        case .error(let e): return .error(e)
        case .optional(nil): return .bool(false)
        case .optional(.some(.map(let map))): return .bool(map[field] != nil)
        case let other: return .fail("type '\(other.celType.runtimeName)' does not support field selection")
        }
    }
}

/// `x.?f`: an optional that is empty when the field is absent.
final class OptionalSelectNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    init(_ operand: Interpretable, _ field: String) {
        self.operand = operand
        self.field = field
    }
    override func eval(_ frame: EvalFrame) -> CELValue { Access.optionalSelect(operand.eval(frame), field) }
}

final class IndexNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let index: Interpretable
    let optional: Bool
    init(_ operand: Interpretable, _ index: Interpretable, optional: Bool) {
        self.operand = operand
        self.index = index
        self.optional = optional
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let container = operand.eval(frame)
        if case .error = container { return container }
        let key = index.eval(frame)
        if case .error = key { return key }
        return optional ? Access.optionalIndex(container, key) : Access.index(container, key)
    }
}

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

/// `==` and `!=`, without going through a function value.
final class EqualsNode: Interpretable, @unchecked Sendable {
    let lhs: Interpretable
    let rhs: Interpretable
    let negated: Bool
    init(_ lhs: Interpretable, _ rhs: Interpretable, negated: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.negated = negated
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let left = lhs.eval(frame)
        if case .error = left { return left }
        let right = rhs.eval(frame)
        if case .error = right { return right }
        return .bool(left.isEqual(to: right) != negated)
    }
}

/// `<`, `<=`, `>`, `>=` with fast paths for same-kind numbers.
final class CompareNode: Interpretable, @unchecked Sendable {
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

    init(_ lhs: Interpretable, _ rhs: Interpretable, _ relation: Relation, function: String) {
        self.lhs = lhs
        self.rhs = rhs
        self.relation = relation
        self.function = function
    }

    override func eval(_ frame: EvalFrame) -> CELValue {
        let left = lhs.eval(frame)
        if case .error = left { return left }
        let right = rhs.eval(frame)
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
final class InConstantListNode: Interpretable, @unchecked Sendable {
    let element: Interpretable
    let list: [CELValue]
    init(_ element: Interpretable, _ list: [CELValue]) {
        self.element = element
        self.list = list
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let value = element.eval(frame)
        if case .error = value { return value }
        for candidate in list where candidate.isEqual(to: value) { return .bool(true) }
        return .bool(false)
    }
}
