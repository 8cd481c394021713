// Field selection, `has()` and indexing, including the optional forms `.?` and `[?]`.

/// `x.f`, or with `optional` `x.?f`: an optional that is empty when the field is absent.
final class SelectNode: Interpretable, @unchecked Sendable {
    let operand: Interpretable
    let field: String
    let optional: Bool
    init(_ operand: Interpretable, _ field: String, optional: Bool = false) {
        self.operand = operand
        self.field = field
        self.optional = optional
    }
    override func eval(_ frame: EvalFrame) -> CELValue {
        let value = operand.eval(frame)
        return optional ? Access.optionalSelect(value, field) : Access.select(value, field)
    }
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
