/// Turns a (checked or unchecked) tree into evaluator nodes, once: names are resolved to frame
/// slots or variables, functions to their implementations, constant calls are folded and constant
/// regular expressions compiled.
struct Planner {
    let library: FunctionLibrary
    /// Variables the environment declares, when known; lets `a.b` resolve statically.
    let declaredVariables: Set<String>?
    /// The checker's type of each node; empty when the expression was not checked.
    let types: CELSideTable<CELType>
    /// Field layouts of variables that hold records, for planning `record.email` as a slot read.
    let recordLayouts: [String: CELRecordSchema]
    private var scopes: [(name: String, slot: Int)] = []
    private var accumulatorSlots: [Int] = []
    private(set) var slotCount = 0
    /// Top-level variables read by the program, each given a per-evaluation cache slot.
    private(set) var variableSlots: [String: Int] = [:]
    /// Every top-level name the program may read from the activation.
    private(set) var referencedVariables: Set<String> = []

    init(
        library: FunctionLibrary, declaredVariables: Set<String>?, types: CELSideTable<CELType> = CELSideTable(),
        recordLayouts: [String: CELRecordSchema] = [:]
    ) {
        self.library = library
        self.declaredVariables = declaredVariables
        self.types = types
        self.recordLayouts = recordLayouts
    }

    mutating func plan(_ expr: CELExpr) -> Interpretable {
        switch expr.kind {
        case .literal(let value):
            return ConstNode(value)
        case .ident(let name):
            return planIdent(name, id: expr.id)
        case .select(let operand, let field, let testOnly, let optional):
            if testOnly { return HasFieldNode(id: expr.id, plan(operand), field) }
            if optional { return SelectNode(id: expr.id, plan(operand), field, optional: true) }
            if let path = qualifiedPath(expr), let node = planQualified(path) { return node }
            return SelectNode(id: expr.id, plan(operand), field)
        case .call(let target, let function, let args):
            return planCall(id: expr.id, target: target, function: function, args: args)
        case .list(let elements, let optionalIndices):
            let nodes = elements.map { plan($0) }
            let node = ListNode(id: expr.id, nodes, optionalIndices: Set(optionalIndices))
            // Folded by evaluating the node, so that an error element makes the whole list an error.
            if optionalIndices.isEmpty, constants(nodes) != nil {
                return ConstNode(EvalFrame.evaluateConstant(node, costLimit: .max))
            }
            return node
        case .map(let entries):
            let planned = entries.map { (key: plan($0.key), value: plan($0.value), optional: $0.optional) }
            let node = MapNode(id: expr.id, planned)
            if planned.allSatisfy({ $0.key.constantValue != nil && $0.value.constantValue != nil }) {
                return ConstNode(EvalFrame.evaluateConstant(node, costLimit: .max))
            }
            return node
        case .comprehension(let c):
            return planComprehension(c, id: expr.id)
        }
    }

    // MARK: - Names

    private func local(_ name: String) -> Int? {
        scopes.last(where: { $0.name == name })?.slot
    }

    private mutating func variable(_ name: String, id: CELExprID) -> Interpretable {
        referencedVariables.insert(name)
        // A record is bound ahead of the other variables when evaluated for each record, and found
        // by one comparison of its name: caching it would cost more than reading it. A program
        // that reads nothing else then needs no cache at all.
        if recordLayouts[name] != nil { return VariableNode(id: id, name, cacheSlot: nil) }
        let slot = variableSlots[name] ?? variableSlots.count
        variableSlots[name] = slot
        return VariableNode(id: id, name, cacheSlot: slot)
    }

    private mutating func planIdent(_ name: String, id: CELExprID) -> Interpretable {
        if let slot = local(name) { return SlotNode(slot) }
        if let type = CELType.named(name) {
            if let declared = declaredVariables, !declared.contains(name) { return ConstNode(.type(type)) }
            referencedVariables.insert(name)
            return QualifiedNameNode(id: id, candidates: [(name, [])], fallback: .type(type))
        }
        return variable(name, id: id)
    }

    /// `a.b.c` as ["a", "b", "c"], with each part's node, when it is a chain of plain selections on
    /// a global name.
    private func qualifiedPath(_ expr: CELExpr) -> [(name: String, id: CELExprID)]? {
        switch expr.kind {
        case .ident(let name): return local(name) == nil ? [(name, expr.id)] : nil
        case .select(let operand, let field, false, false): return qualifiedPath(operand).map { $0 + [(field, expr.id)] }
        default: return nil
        }
    }

    private mutating func planQualified(_ path: [(name: String, id: CELExprID)]) -> Interpretable? {
        let names = path.map(\.name)
        var candidates: [(name: String, fields: [String])] = []
        var lengths: [Int] = []
        for length in stride(from: path.count, through: 1, by: -1) {
            let name = names[0..<length].joined(separator: ".")
            if let declared = declaredVariables, !declared.contains(name) { continue }
            candidates.append((name, Array(names[length...])))
            lengths.append(length)
        }
        let fallback = CELType.named(names.joined(separator: ".")).map { CELValue.type($0) }
        if candidates.count == 1, fallback == nil {
            let length = lengths[0]
            let name = candidates[0].name
            var node: Interpretable = variable(name, id: path[length - 1].id)
            for index in length..<path.count {
                let operandID = path[index - 1].id
                if index == length, let schema = recordLayouts[name], let slot = schema.index(of: path[index].name),
                   case .object? = types[operandID] {
                    node = RecordFieldNode(id: path[index].id, node, schema: schema, slot: slot, field: path[index].name)
                } else {
                    node = SelectNode(id: path[index].id, node, path[index].name)
                }
            }
            return node
        }
        let id = path[path.count - 1].id
        if candidates.isEmpty { return ConstNode((fallback ?? .fail("undeclared reference to '\(names[0])'")).located(at: id)) }
        referencedVariables.formUnion(candidates.map(\.name))
        return QualifiedNameNode(id: id, candidates: candidates, fallback: fallback)
    }

    // MARK: - Calls

    private mutating func planCall(id: CELExprID, target: CELExpr?, function: String, args: [CELExpr]) -> Interpretable {
        switch (function, args.count) {
        case (Operator.logicalAnd, 2): return ShortCircuitNode(id: id, plan(args[0]), plan(args[1]), absorbing: false)
        case (Operator.logicalOr, 2): return ShortCircuitNode(id: id, plan(args[0]), plan(args[1]), absorbing: true)
        case (Operator.conditional, 3):
            let condition = plan(args[0])
            let whenTrue = plan(args[1])
            let whenFalse = plan(args[2])
            if case .bool(let b)? = condition.constantValue { return b ? whenTrue : whenFalse }
            return ConditionalNode(id: id, condition, whenTrue, whenFalse)
        case (Operator.notStrictlyFalse, 1): return NotStrictlyFalseNode(plan(args[0]))
        case (Operator.logicalNot, 1):
            let node = NotNode(id: id, plan(args[0]))
            return fold(node, [node.operand])
        case (Operator.less, 2), (Operator.lessEquals, 2), (Operator.greater, 2), (Operator.greaterEquals, 2):
            let relations: [String: CompareNode.Relation] = [
                Operator.less: .less, Operator.lessEquals: .lessEquals, Operator.greater: .greater, Operator.greaterEquals: .greaterEquals,
            ]
            let node = CompareNode(id: id, plan(args[0]), plan(args[1]), relations[function]!, function: function)
            return fold(node, [node.lhs, node.rhs])
        case (Operator.in, 2):
            let element = plan(args[0])
            let container = plan(args[1])
            if case .list(let constants)? = container.constantValue, element.constantValue == nil {
                return InConstantListNode(id: id, element, constants)
            }
            return fold(BinaryCallNode(id: id, element, container, Arithmetic.contains), [element, container])
        case (Operator.equals, 2), (Operator.notEquals, 2):
            let node = EqualsNode(plan(args[0]), plan(args[1]), negated: function == Operator.notEquals)
            return fold(node, [node.lhs, node.rhs])
        case (Operator.index, 2): return IndexNode(id: id, plan(args[0]), plan(args[1]), optional: false)
        case (Operator.optionalIndex, 2): return IndexNode(id: id, plan(args[0]), plan(args[1]), optional: true)
        case (Operator.add, 2):
            if case .ident(let name) = args[0].kind, let slot = local(name), accumulatorSlots.last == slot,
               case .list(let elements, let optionals) = args[1].kind, elements.count == 1, optionals.isEmpty {
                return AppendToAccumulatorNode(id: id, accuSlot: slot, element: plan(elements[0]))
            }
            return fold(AddNode(id: id, plan(args[0]), plan(args[1])))
        case (Function.mapInsert, 3):
            if case .ident(let name) = args[0].kind, let slot = local(name) {
                return InsertIntoAccumulatorNode(id: id, accuSlot: slot, key: plan(args[1]), value: plan(args[2]))
            }
        default:
            break
        }

        var receiver: Interpretable?
        var builtin: Builtin?
        var name = function
        if let target {
            // `math.greatest(…)` parses as a method call on `math`; it is really a namespaced global.
            if let path = qualifiedPath(target)?.map(\.name), declaredVariables.map({ !$0.contains(path[0]) }) ?? true,
               let global = library.global[path.joined(separator: ".") + "." + function] {
                builtin = global
                name = path.joined(separator: ".") + "." + function
            } else {
                receiver = plan(target)
                builtin = library.member[function]
            }
        } else {
            builtin = library.global[function]
        }
        var operands = args.map { plan($0) }
        if let receiver { operands.insert(receiver, at: 0) }
        guard let builtin else {
            return ConstNode(CELValue.fail("unbound function '\(name)'").located(at: id))
        }
        if function == "matches", operands.count == 2, case .string(let pattern)? = operands[1].constantValue {
            switch CompiledRegex.compile(pattern) {
            case .success(let regex): return PrecompiledMatchNode(id: id, operands[0], regex)
            case .failure(let error): return ConstNode(CELValue.error(error.celError).located(at: id))
            }
        }
        if receiver != nil, function == "or" || function == "orValue", operands.count == 2 {
            return OptionalOrNode(id: id, operands[0], operands[1], orValue: function == "orValue")
        }
        var node: Interpretable
        switch operands.count {
        case 1 where builtin.unary != nil: node = UnaryCallNode(id: id, operands[0], builtin.unary!)
        case 2 where builtin.binary != nil: node = BinaryCallNode(id: id, operands[0], operands[1], builtin.binary!)
        default:
            guard let nary = builtin.nary else {
                return ConstNode(CELValue.fail("no matching overload for '\(name)' with \(operands.count) argument\(operands.count == 1 ? "" : "s")").located(at: id))
            }
            node = NaryCallNode(id: id, operands, nary)
        }
        if builtin.charged { node = ChargedCallNode(id: id, node) }
        return builtin.pure ? fold(node, operands) : node
    }

    private func constants(_ nodes: [Interpretable]) -> [CELValue]? {
        var values: [CELValue] = []
        values.reserveCapacity(nodes.count)
        for node in nodes {
            guard let value = node.constantValue else { return nil }
            values.append(value)
        }
        return values
    }

    /// Evaluates a call whose operands are all constants once, now.
    private func fold(_ node: Interpretable, _ operands: [Interpretable]? = nil) -> Interpretable {
        if let operands, constants(operands) == nil { return node }
        if operands == nil {
            if let add = node as? AddNode, add.lhs.constantValue == nil || add.rhs.constantValue == nil { return node }
        }
        let value = EvalFrame.evaluateConstant(node)
        return ConstNode(value)
    }

    // MARK: - Comprehensions

    private mutating func allocateSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }

    /// `exists` and `all` expand to a fold over `@result`; recognise the shape and plan a direct loop.
    private mutating func planQuantifier(_ c: CELExpr.Comprehension, id: CELExprID) -> Interpretable? {
        guard c.accuVar == CELParser.accumulator, case .literal(.bool(let initial)) = c.accuInit.kind,
              case .call(nil, let function, let stepArgs) = c.loopStep.kind, stepArgs.count == 2,
              case .ident(let accumulator) = stepArgs[0].kind, accumulator == c.accuVar,
              case .ident(let result) = c.result.kind, result == c.accuVar,
              (function == Operator.logicalOr && !initial) || (function == Operator.logicalAnd && initial) else { return nil }
        let range = plan(c.iterRange)
        let iterSlot = allocateSlot()
        let iterSlot2 = c.iterVar2 == nil ? nil : allocateSlot()
        let saved = scopes.count
        scopes.append((c.iterVar, iterSlot))
        if let second = c.iterVar2, let iterSlot2 { scopes.append((second, iterSlot2)) }
        let predicate = plan(stepArgs[1])
        scopes.removeSubrange(saved...)
        return QuantifierNode(id: id, range: range, iterSlot: iterSlot, iterSlot2: iterSlot2, predicate: predicate,
                              deciding: function == Operator.logicalOr)
    }

    private mutating func planComprehension(_ c: CELExpr.Comprehension, id: CELExprID) -> Interpretable {
        if let quantifier = planQuantifier(c, id: id) { return quantifier }
        let range = plan(c.iterRange)
        let accuInit = plan(c.accuInit)
        let iterSlot = allocateSlot()
        let iterSlot2 = c.iterVar2 == nil ? nil : allocateSlot()
        let accuSlot = allocateSlot()
        let saved = scopes.count
        scopes.append((c.accuVar, accuSlot))
        scopes.append((c.iterVar, iterSlot))
        if let second = c.iterVar2, let iterSlot2 { scopes.append((second, iterSlot2)) }
        accumulatorSlots.append(accuSlot)
        let condition = plan(c.loopCondition)
        let step = plan(c.loopStep)
        accumulatorSlots.removeLast()
        scopes.removeSubrange(saved...)
        scopes.append((c.accuVar, accuSlot))
        let result = plan(c.result)
        scopes.removeSubrange(saved...)
        return ComprehensionNode(id: id, iterSlot: iterSlot, iterSlot2: iterSlot2, accuSlot: accuSlot, range: range,
                                 accuInit: accuInit, condition: condition, step: step, result: result)
    }
}

/// `a.or(b)` and `a.orValue(b)`: `b` is evaluated only when `a` is empty.
final class OptionalOrNode: Interpretable {
    /// The expression node whose errors this node reports.
    let id: CELExprID
    let lhs: Interpretable
    let rhs: Interpretable
    let orValue: Bool
    init(id: CELExprID, _ lhs: Interpretable, _ rhs: Interpretable, orValue: Bool) {
        self.id = id
        self.lhs = lhs
        self.rhs = rhs
        self.orValue = orValue
    }
    func eval(_ frame: inout EvalFrame) -> CELValue { evaluate(&frame).located(at: id) }

    @inline(__always)
    private func evaluate(_ frame: inout EvalFrame) -> CELValue {
        let left = lhs.eval(&frame)
        switch left {
        case .optional(let inner?): return orValue ? inner : left
        case .optional(nil):
            let right = rhs.eval(&frame)
            if case .error = right { return right }
            if !orValue, case .optional = right {} else if !orValue { return CELValue.noOverload("or", left, right) }
            return right
        case .error: return left
        default: return CELValue.noOverload(orValue ? "orValue" : "or", left)
        }
    }
}
