/// An evaluator node: the planner turns the checked tree into these once, and a program evaluates
/// them many times. Nodes hold only immutable state, so one tree serves concurrent evaluations.
/// Nodes are final classes: a tree of them is shared, not copied, and a call through the
/// class-bound existential costs what a virtual call did.
protocol Interpretable: AnyObject, Sendable {
    /// The node's value in one evaluation.
    func eval(_ frame: inout EvalFrame) -> CELValue

    /// The value when the node is a constant, used for folding and regex precompilation.
    var constantValue: CELValue? { get }
}

extension Interpretable {
    var constantValue: CELValue? { nil }
}

final class ConstNode: Interpretable {
    let value: CELValue
    init(_ value: CELValue) { self.value = value }
    func eval(_ frame: inout EvalFrame) -> CELValue { value }
    var constantValue: CELValue? { value }
}

/// A top-level variable. The first read in an evaluation looks it up by its key; later reads (the
/// same variable used twice, or inside a loop) come from the frame's cache.
final class VariableNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let key: VariableKey
    /// Where the frame keeps the value once read; nil for a variable read afresh each time.
    let cacheSlot: Int?
    init(id: CELExprID, _ name: String, cacheSlot: Int?) {
        self.id = id
        self.key = VariableKey(name)
        self.cacheSlot = cacheSlot
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        guard frame.cachesVariables, let cacheSlot else { return frame.resolve(key) ?? .fail("undeclared reference to '\(key.name)'") }
        if let cached = frame.variables[cacheSlot] { return cached }
        let value = frame.resolve(key) ?? .fail("undeclared reference to '\(key.name)'")
        frame.variables[cacheSlot] = value
        return value
    }
}

/// A dotted name such as `a.b.c`: the longest declared variable prefix wins, the rest are fields.
final class QualifiedNameNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    /// Candidate variable names, longest first, with the fields to select after each.
    let candidates: [(key: VariableKey, fields: [String])]
    /// The value when no candidate is bound, e.g. a type name such as `google.protobuf.Timestamp`.
    let fallback: CELValue?

    init(id: CELExprID, candidates: [(name: String, fields: [String])], fallback: CELValue?) {
        self.id = id
        self.candidates = candidates.map { (VariableKey($0.name), $0.fields) }
        self.fallback = fallback
    }

    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        for candidate in candidates {
            guard var value = frame.resolve(candidate.key) else { continue }
            for field in candidate.fields { value = Access.select(value, field) }
            return value
        }
        return fallback ?? .fail("undeclared reference to '\(candidates.last?.key.name ?? "")'")
    }
}

/// A comprehension variable, stored in a frame slot chosen at plan time.
final class SlotNode: Interpretable {
    let slot: Int
    init(_ slot: Int) { self.slot = slot }
    func eval(_ frame: inout EvalFrame) -> CELValue { frame.slots[slot] }
}
