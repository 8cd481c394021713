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
