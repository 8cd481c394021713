// Field selection, `has()` and indexing, including the optional forms `.?` and `[?]`.
import Synchronization

/// `x.f`, or with `optional` `x.?f`: an optional that is empty when the field is absent.
final class SelectNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let operand: Interpretable
    let field: String
    let optional: Bool
    /// Where the field was in the last map read, tried first: maps built alike keep their keys in
    /// the same order. Shared by the evaluations of every thread; a stale hint only costs a search.
    private let lastPosition = Atomic<Int>(-1)

    init(id: CELExprID, _ operand: Interpretable, _ field: String, optional: Bool = false) {
        self.id = id
        self.operand = operand
        self.field = field
        self.optional = optional
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let value = operand.eval(&frame)
        if !optional, case .map(let map) = value {
            let hint = lastPosition.load(ordering: .relaxed)
            guard let found = map.value(ofField: field, hint: hint) else { return .fail("no such key: '\(field)'") }
            if found.position != hint, found.position >= 0 { lastPosition.store(found.position, ordering: .relaxed) }
            return found.value
        }
        return optional ? Access.optionalSelect(value, field) : Access.select(value, field)
    }
}

/// `has(x.f)`.
final class HasFieldNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let operand: Interpretable
    let field: String
    init(id: CELExprID, _ operand: Interpretable, _ field: String) {
        self.id = id
        self.operand = operand
        self.field = field
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        switch operand.eval(&frame) {
        case .map(let map): return .bool(map[field] != nil)
        case .error(let e): return .error(e)
        case .optional(nil): return .bool(false)
        case .optional(.some(.map(let map))): return .bool(map[field] != nil)
        case let other: return .fail("type '\(other.celType.runtimeName)' does not support field selection")
        }
    }
}

final class IndexNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let operand: Interpretable
    let index: Interpretable
    let optional: Bool
    init(id: CELExprID, _ operand: Interpretable, _ index: Interpretable, optional: Bool) {
        self.id = id
        self.operand = operand
        self.index = index
        self.optional = optional
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let container = operand.eval(&frame)
        if case .error = container { return container }
        let key = index.eval(&frame)
        if case .error = key { return key }
        return optional ? Access.optionalIndex(container, key) : Access.index(container, key)
    }
}

/// `record.email` planned against a record layout: a slot read when the value is a record laid out
/// by the planned schema (or one with the same fields), the ordinary field lookup otherwise.
final class RecordFieldNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let operand: Interpretable
    let schema: CELRecordSchema
    let slot: Int
    let field: String
    init(id: CELExprID, _ operand: Interpretable, schema: CELRecordSchema, slot: Int, field: String) {
        self.id = id
        self.operand = operand
        self.schema = schema
        self.slot = slot
        self.field = field
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { select(from: operand.eval(&frame)) }

    /// The field of `value`, the operand's value: from its slot when it is a record laid out as
    /// planned, otherwise by name.
    @inline(__always)
    func select(from value: CELValue) -> CELValue {
        if case .map(let map) = value, let slotValue = map.slot(slot, laidOutAs: schema) {
            return (slotValue ?? .fail("no such key: '\(field)'")).located(at: id)
        }
        return Access.select(value, field).located(at: id)
    }
}
