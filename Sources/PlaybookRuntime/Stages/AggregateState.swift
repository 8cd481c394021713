import CEL
import PlaybookLanguage

/// `aggregate`: one record per group, with the `group_by` fields and each computed field.
///
/// - `sum` adds ints as ints (overflow is a record error), doubles as doubles, and gives a double
///   once a double is added; `count` is an int; `avg` is a double; `min` and `max` compare as CEL's
///   `<` does.
/// - A null value is left out of `sum`, `avg`, `min` and `max`, as in SQL.
/// - Groups come out in the order their first record arrived. Without `group_by`, zero records
///   give one record: `count` 0, `sum` 0 (0.0 for a double expression), no `avg`, `min` or `max`;
///   with `group_by`, zero records give none.
struct AggregateState {
    let groupBy: [String]
    let compute: [TransformOperation.Computed]
    let layout: CELRecordSchema?
    private var groups: [GroupKey: Int] = [:]
    private var order: [(key: [CELValue?], accumulators: [Accumulator])] = []
    /// Each computed field's function and expression, held by a class: reading them for every
    /// record then takes no copy of the plan's values (each copy retains every part of them).
    private let columns: [Column]
    /// A record's computed values, and its group's accumulators after it, worked out in buffers
    /// kept from one record to the next rather than in new arrays for each.
    private var values: [CELValue?] = []
    private var next: [Accumulator] = []

    private final class Column: Sendable {
        let function: TransformStep.AggregateFunction
        let expression: CompiledExpression?

        init(_ computed: TransformOperation.Computed) {
            function = computed.function
            expression = computed.expression
        }
    }

    init(groupBy: [String], compute: [TransformOperation.Computed], layout: CELRecordSchema?) {
        self.groupBy = groupBy
        self.compute = compute
        self.layout = layout
        columns = compute.map(Column.init)
    }

    /// What one computed field holds so far.
    enum Accumulator {
        case count(Int64)
        case sum(CELValue?)
        case average(total: Double, count: Int)
        case extreme(CELValue?)
    }

    mutating func add(_ record: Record, run: StepRun) throws(StepFailure) {
        // Values first, so that a record error leaves the groups untouched.
        values.removeAll(keepingCapacity: true)
        for column in columns {
            guard let expression = column.expression else { values.append(nil); continue }
            switch run.evaluate(expression, record: record) {
            case .success(let value): values.append(value)
            case .failure(let failure):
                try run.setAside(record, failure)
                return
            }
        }
        let key = GroupKey(values: groupBy.map { RecordKey(record[$0] ?? .null) })
        let position: Int
        if let known = groups[key] {
            position = known
        } else {
            position = order.count
            groups[key] = position
            order.append((groupBy.map { record[$0] }, compute.map(Self.start)))
        }
        // Worked out in full before the group changes, so that a record error leaves it as it was.
        next.removeAll(keepingCapacity: true)
        for index in columns.indices {
            switch Self.accumulate(order[position].accumulators[index], values[index], function: columns[index].function) {
            case .success(let accumulator): next.append(accumulator)
            case .failure(let problem):
                let computed = compute[index]
                try run.setAside(record, RecordFailure(reason: "\(computed.name): \(problem.message)", location: computed.expression.flatMap { run.sourceLocation($0.source.range) }))
                return
            }
        }
        swap(&order[position].accumulators, &next)
    }

    /// The groups' records, in the order each group first appeared.
    func results() -> [Record] {
        var rows = order
        if rows.isEmpty && groupBy.isEmpty { rows = [([], compute.map(Self.start))] }
        let names = groupBy + compute.map(\.name)
        let schema = layout?.fieldNames == names ? layout! : CELRecordSchema(fieldNames: names)
        return rows.map { row in
            var values: [CELValue?] = row.key
            for (index, accumulator) in row.accumulators.enumerated() {
                values.append(Self.result(accumulator, expression: compute[index].expression))
            }
            return Record(schema: schema, values: values)
        }
    }

    private static func start(_ computed: TransformOperation.Computed) -> Accumulator {
        switch computed.function {
        case .count: .count(0)
        case .sum: .sum(nil)
        case .avg: .average(total: 0, count: 0)
        case .min, .max: .extreme(nil)
        }
    }

    private static func accumulate(_ accumulator: Accumulator, _ value: CELValue?, function: TransformStep.AggregateFunction) -> Result<Accumulator, AggregateProblem> {
        switch accumulator {
        case .count(let count):
            // `count: true` has no expression left after planning only when constant; a condition counts when it holds.
            guard let value else { return .success(.count(count + 1)) }
            guard case .bool(let holds) = value else { return .failure(AggregateProblem("count needs true or false, got \(value.rendered)")) }
            return .success(.count(holds ? count + 1 : count))
        case .sum(let total):
            guard let value, !value.isNull else { return .success(accumulator) }
            guard let total else {
                guard value.isNumber else { return .failure(AggregateProblem("cannot sum \(value.celType.runtimeName) '\(value.rendered)'")) }
                return .success(.sum(value))
            }
            switch (total, value) {
            case (.int(let a), .int(let b)):
                let (sum, overflow) = a.addingReportingOverflow(b)
                return overflow ? .failure(AggregateProblem("the sum is larger than an int can hold")) : .success(.sum(.int(sum)))
            case (.uint(let a), .uint(let b)):
                let (sum, overflow) = a.addingReportingOverflow(b)
                return overflow ? .failure(AggregateProblem("the sum is larger than a uint can hold")) : .success(.sum(.uint(sum)))
            default:
                guard let a = total.doubleValue, let b = value.doubleValue else {
                    return .failure(AggregateProblem("cannot sum \(value.celType.runtimeName) '\(value.rendered)'"))
                }
                return .success(.sum(.double(a + b)))
            }
        case .average(let total, let count):
            guard let value, !value.isNull else { return .success(accumulator) }
            guard let number = value.doubleValue else { return .failure(AggregateProblem("cannot average \(value.celType.runtimeName) '\(value.rendered)'")) }
            return .success(.average(total: total + number, count: count + 1))
        case .extreme(let best):
            guard let value, !value.isNull else { return .success(accumulator) }
            guard let best else { return .success(.extreme(value)) }
            switch CELValue.compare(value, best, function == .min ? "_<_" : "_>_") {
            case .success(let order?):
                let better = function == .min ? order < 0 : order > 0
                return .success(.extreme(better ? value : best))
            case .success(nil): return .success(accumulator)
            case .failure(let error): return .failure(AggregateProblem(error.message))
            }
        }
    }

    private static func result(_ accumulator: Accumulator, expression: CompiledExpression?) -> CELValue? {
        switch accumulator {
        case .count(let count): return .int(count)
        case .sum(let total):
            if let total { return total }
            return expression?.resultType == .double ? .double(0) : .int(0)
        case .average(let total, let count): return count == 0 ? nil : .double(total / Double(count))
        case .extreme(let best): return best
        }
    }
}

extension CELValue {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    var isNumber: Bool {
        switch self {
        case .int, .uint, .double: true
        default: false
        }
    }

    var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}

/// Why a value cannot join an aggregate.
struct AggregateProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
