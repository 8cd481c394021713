/// The fold all macros expand into. Variables live in frame slots; the accumulator is updated in
/// place so `map` and `filter` build their lists in linear time.
final class ComprehensionNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let iterSlot: Int
    let iterSlot2: Int?
    let accuSlot: Int
    let range: Interpretable
    let accuInit: Interpretable
    let condition: Interpretable
    let step: Interpretable
    let result: Interpretable
    /// False when the loop condition is the constant `true`, so it need not be evaluated.
    let hasCondition: Bool

    init(id: CELExprID, iterSlot: Int, iterSlot2: Int?, accuSlot: Int, range: Interpretable, accuInit: Interpretable,
         condition: Interpretable, step: Interpretable, result: Interpretable) {
        self.id = id
        self.iterSlot = iterSlot
        self.iterSlot2 = iterSlot2
        self.accuSlot = accuSlot
        self.range = range
        self.accuInit = accuInit
        self.condition = condition
        self.step = step
        self.result = result
        if case .bool(true)? = condition.constantValue { hasCondition = false } else { hasCondition = true }
    }

    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let rangeValue = range.eval(&frame)
        let accu = accuInit.eval(&frame)
        // Save the slots so a nested use of the same comprehension (recursion is impossible, but
        // re-entry through the range expression is not) cannot see stale values.
        frame.slots[accuSlot] = accu
        switch rangeValue {
        case .list(let elements):
            for (position, element) in elements.enumerated() {
                if frame.charge(1) { return frame.limitExceeded }
                if let iterSlot2 {
                    frame.slots[iterSlot] = .int(Int64(position))
                    frame.slots[iterSlot2] = element
                } else {
                    frame.slots[iterSlot] = element
                }
                if !iterate(&frame) { break }
            }
        case .map(let map):
            for (key, value) in map {
                if frame.charge(1) { return frame.limitExceeded }
                frame.slots[iterSlot] = key
                if let iterSlot2 { frame.slots[iterSlot2] = value }
                if !iterate(&frame) { break }
            }
        case .error:
            return rangeValue
        default:
            return .fail("expression of type '\(rangeValue.celType.runtimeName)' cannot be the range of a comprehension (must be list or map)")
        }
        let value = result.eval(&frame)
        frame.slots[accuSlot] = .null
        return value
    }

    /// Runs one step; false when the loop condition says stop.
    @inline(__always)
    private func iterate(_ frame: inout EvalFrame) -> Bool {
        if hasCondition, case .bool(false) = condition.eval(&frame) { return false }
        frame.slots[accuSlot] = step.eval(&frame)
        return true
    }
}

/// `@result + [x]` inside `map`/`filter`: appends to the accumulator in place.
final class AppendToAccumulatorNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let accuSlot: Int
    let element: Interpretable
    init(id: CELExprID, accuSlot: Int, element: Interpretable) {
        self.id = id
        self.accuSlot = accuSlot
        self.element = element
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let value = element.eval(&frame)
        if case .error = value { return value }
        guard case .list(var list) = frame.slots[accuSlot] else { return frame.slots[accuSlot] }
        // Take the list out of the slot so the append does not copy it.
        frame.slots[accuSlot] = .null
        if frame.charge(1) { return frame.limitExceeded }
        list.append(value)
        return .list(list)
    }
}

/// `@mapInsert(@result, k, v)` inside `transformMap`.
final class InsertIntoAccumulatorNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let accuSlot: Int
    let key: Interpretable
    let value: Interpretable
    init(id: CELExprID, accuSlot: Int, key: Interpretable, value: Interpretable) {
        self.id = id
        self.accuSlot = accuSlot
        self.key = key
        self.value = value
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let k = key.eval(&frame)
        if case .error = k { return k }
        let v = value.eval(&frame)
        if case .error = v { return v }
        guard case .map(var map) = frame.slots[accuSlot] else { return frame.slots[accuSlot] }
        frame.slots[accuSlot] = .null
        if frame.charge(1) { return frame.limitExceeded }
        do { try map.insert(k, v) } catch { return .error(error) }
        return .map(map)
    }
}

/// `exists` and `all`, recognised by the planner and run without an accumulator: the first element
/// that decides the answer ends the loop; otherwise the first error, if any, is the result (so an
/// error is forgiven when a later element decides, as with `||` and `&&`).
final class QuantifierNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let range: Interpretable
    let iterSlot: Int
    let iterSlot2: Int?
    let predicate: Interpretable
    /// The predicate value that decides the result: `true` for `exists`, `false` for `all`.
    let deciding: Bool

    init(id: CELExprID, range: Interpretable, iterSlot: Int, iterSlot2: Int?, predicate: Interpretable, deciding: Bool) {
        self.id = id
        self.range = range
        self.iterSlot = iterSlot
        self.iterSlot2 = iterSlot2
        self.predicate = predicate
        self.deciding = deciding
    }

    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        var firstError: CELValue?
        @inline(__always)
        func test() -> Bool {
            switch predicate.eval(&frame) {
            case .bool(let b): return b == deciding
            case .error(let e):
                if firstError == nil { firstError = .error(e) }
            case let other:
                if firstError == nil { firstError = CELValue.noOverload(deciding ? Operator.logicalOr : Operator.logicalAnd, .bool(!deciding), other) }
            }
            return false
        }
        switch range.eval(&frame) {
        case .list(let elements):
            for (position, element) in elements.enumerated() {
                if frame.charge(1) { return frame.limitExceeded }
                if let iterSlot2 {
                    frame.slots[iterSlot] = .int(Int64(position))
                    frame.slots[iterSlot2] = element
                } else {
                    frame.slots[iterSlot] = element
                }
                if test() { return .bool(deciding) }
            }
        case .map(let map):
            for (key, value) in map {
                if frame.charge(1) { return frame.limitExceeded }
                frame.slots[iterSlot] = key
                if let iterSlot2 { frame.slots[iterSlot2] = value }
                if test() { return .bool(deciding) }
            }
        case .error(let e):
            return .error(e)
        case let other:
            return .fail("expression of type '\(other.celType.runtimeName)' cannot be the range of a comprehension (must be list or map)")
        }
        return firstError ?? .bool(!deciding)
    }
}
