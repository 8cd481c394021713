import CEL
import PlaybookLanguage

/// `transform`: join, set, rename, drop, select, dedupe and aggregate, in that order, record by
/// record; dedupe `last` and aggregate hold their records until the input ends.
struct TransformStage {
    let transform: TransformOperation
    let run: StepRun

    func run() async throws {
        let table = try await joinTable()
        let shape = TransformShape(transform: transform, step: run.step)
        var dedupe = transform.dedupe.map { DedupeState(by: $0.by, keep: $0.keep) }
        var aggregate = transform.aggregate.map { AggregateState(groupBy: $0.groupBy, compute: $0.compute, layout: run.step.outputLayout) }
        try await run.forEachInputBatch { batch in
            var out: [Record] = []
            out.reserveCapacity(batch.count)
            for record in batch {
                guard let shaped = try shape.apply(record, joinTable: table, run: run) else { continue }
                if dedupe != nil {
                    guard let kept = try dedupe!.offer(shaped, run: run) else { continue }
                    if aggregate != nil { try aggregate!.add(kept, run: run) } else { out.append(kept) }
                } else if aggregate != nil {
                    try aggregate!.add(shaped, run: run)
                } else {
                    out.append(shaped)
                }
            }
            await run.emit(out)
        }
        var held = dedupe?.heldRecords() ?? []
        if aggregate != nil {
            for record in held { try aggregate!.add(record, run: run) }
            held = aggregate!.results()
        }
        for start in stride(from: 0, to: held.count, by: run.options.batchSize) {
            await run.emit(Array(held[start..<min(start + run.options.batchSize, held.count)]))
        }
    }

    /// The looked-up step's records by key, read in full before the step's own input. Meanwhile the
    /// step's own input may arrive without waiting, since its producers may feed the looked-up step too.
    private func joinTable() async throws -> JoinTable? {
        guard let join = transform.join, let input = run.joinInput else { return nil }
        for main in run.inputs { main.channel.lift() }
        var table = JoinTable(field: join.rightField)
        while let batch = await input.channel.next() {
            try Task.checkCancellation()
            for record in batch { table.add(record) }
        }
        for main in run.inputs { main.channel.restoreBound() }
        try await run.checkInputsSucceeded(only: input.producer)
        return table
    }
}

/// The records of a join's looked-up step, by the value of their key field. A key found on several
/// records finds the first of them, in the order they arrived.
struct JoinTable {
    /// Records whose key is a whole number (an int, or a uint or double of whole value), by that
    /// number. Most join keys are ids: a number is hashed and compared in a few instructions,
    /// where a `RecordKey` goes through the general hashing and equality of values (about a
    /// quarter of a joined record's time). Keys match exactly as `RecordKey`s do: `1`, `1u` and
    /// `1.0` are one key.
    private var byNumber: [Int64: Record] = [:]
    /// Records with any other key.
    private var records: [RecordKey: Record] = [:]
    /// The field the looked-up records are found by (`right_on`).
    private var keyField: FieldReader

    init(field: String) { keyField = FieldReader(field) }

    mutating func add(_ record: Record) {
        guard let key = keyField.value(in: record), !key.isNull else { return }
        if let number = RecordKey.wholeNumber(key) {
            if byNumber[number] == nil { byNumber[number] = record }
            return
        }
        let recordKey = RecordKey(key)
        if records[recordKey] == nil { records[recordKey] = record }
    }

    func match(_ key: CELValue?) -> Record? {
        guard let key, !key.isNull else { return nil }
        if let number = RecordKey.wholeNumber(key) { return byNumber[number] }
        return records[RecordKey(key)]
    }
}

/// How a transform reshapes one record: join, set, rename, drop and select. With known fields it
/// works on slots, worked out once from the step's layouts; otherwise it works by field name.
struct TransformShape {
    let transform: TransformOperation
    /// The steps on slots, worked out once; nil when the records' fields are not known.
    private let slots: SlotPlan?

    /// How a record with known fields is reshaped, slot by slot. One object, so that each record
    /// takes a single reference to it rather than one to each of its layouts.
    private final class SlotPlan: Sendable {
        /// The step's input layout, which the records arrive on.
        let input: CELRecordSchema
        /// Fields after join and set, in slot order.
        let working: CELRecordSchema
        /// Slot of the join field in `working`.
        let joinSlot: Int?
        /// Slot in `input` of the field a join looks records up by (`left_on`), when the input
        /// has it: read by slot, not found by name in every record.
        let joinKeySlot: Int?
        /// Each set value, worked out here so that no record compares field names.
        let sets: [PlannedSet]
        /// The fields of `working`, declared to extend the layout each set value was planned with
        /// (the fields set above it), so that every value reads the record so far by slot.
        let evaluated: CELRecordSchema
        /// Layout after rename, drop and select, with the `working` slot each field comes from.
        let shaped: CELRecordSchema
        let shapedSources: [Int]
        /// Whether `shaped` keeps every field of `working` in place, so that a record is only laid
        /// out on it, not copied.
        let shapeKeepsSlots: Bool

        init(input: CELRecordSchema, working: CELRecordSchema, joinSlot: Int?, joinKeySlot: Int?, sets: [PlannedSet],
             evaluated: CELRecordSchema, shaped: CELRecordSchema, shapedSources: [Int]) {
            self.input = input
            self.working = working
            self.joinSlot = joinSlot
            self.joinKeySlot = joinKeySlot
            self.sets = sets
            self.evaluated = evaluated
            self.shaped = shaped
            self.shapedSources = shapedSources
            shapeKeepsSlots = shapedSources == Array(working.fieldNames.indices)
        }
    }

    /// A set value, the slot it fills in `working`, and whether it was planned on the input's
    /// layout (so that, while nothing is set yet, it can read the input record itself).
    private struct PlannedSet: Sendable {
        let value: CompiledExpression
        let slot: Int
        let readsInput: Bool
    }

    init(transform: TransformOperation, step: PlanStep) {
        self.transform = transform
        guard let input = step.inputLayout else {
            slots = nil
            return
        }
        var names = input.fieldNames
        func slot(of name: String) -> Int {
            if let existing = names.firstIndex(of: name) { return existing }
            names.append(name)
            return names.count - 1
        }
        let joinSlot = transform.join.map { slot(of: $0.field) }
        let setSlots = transform.set.map { slot(of: $0.field) }
        // The step's own layouts when they fit, so that a record needs no copy to move onto them.
        let working = if names == input.fieldNames {
            input
        } else if let output = step.outputLayout, output.fieldNames == names {
            output
        } else {
            CELRecordSchema(fieldNames: names)
        }
        let sets = zip(transform.set, setSlots).map { set, slot in
            PlannedSet(value: set.value, slot: slot, readsInput: set.value.recordSchema === input)
        }
        var prefixes: [CELRecordSchema] = []
        for set in transform.set {
            guard let planned = set.value.recordSchema, planned !== working, !prefixes.contains(where: { $0 === planned }),
                  names.starts(with: planned.fieldNames) else { continue }
            prefixes.append(planned)
        }
        let evaluated = prefixes.isEmpty ? working : CELRecordSchema(fieldNames: names, prefixes: prefixes)
        let fields = Self.renamedDroppedSelected(names.indices.map { (name: names[$0], value: $0) }, by: transform)
        let shapedNames = fields.map(\.name)
        let shaped = if transform.aggregate == nil, let output = step.outputLayout, output.fieldNames == shapedNames {
            output
        } else if let by = transform.dedupe?.by.recordSchema, by.fieldNames == shapedNames {
            by
        } else if shapedNames == names {
            working
        } else {
            CELRecordSchema(fieldNames: shapedNames)
        }
        slots = SlotPlan(input: input, working: working, joinSlot: joinSlot, joinKeySlot: transform.join.flatMap { input.index(of: $0.leftField) },
                         sets: sets, evaluated: evaluated, shaped: shaped, shapedSources: fields.map(\.value))
    }

    /// The reshaped record; nil when an inner join finds no match or the record was set aside.
    func apply(_ record: Record, joinTable: JoinTable?, run: StepRun) throws(StepFailure) -> Record? {
        guard let plan = slots, let received = record.recordValues else {
            return try applyByName(record, joinTable: joinTable, run: run)
        }
        var values = CELRecordBuilder(schema: plan.working, startingWith: received)
        if let join = transform.join, let joinTable, let joinSlot = plan.joinSlot {
            let key = plan.joinKeySlot.flatMap { record.value(inSlot: $0, ofRecordLaidOutOn: plan.input) } ?? record[join.leftField]
            let match = joinTable.match(key)
            if match == nil, join.kind == .inner { return nil }
            values[joinSlot] = match.map { .map($0) }
        }
        // Whether `values` still holds the record as it came, so that a value planned on the
        // input layout can read the record itself instead of one built around `values`.
        var isAsReceived = plan.joinSlot == nil && record.isRecord(laidOutOn: plan.input)
        for set in plan.sets {
            // Each value sees the fields set above it; those set below are still absent. The
            // record it sees is gone before the value is stored, so that `values` is not copied.
            let result: Result<CELValue, RecordFailure>
            do {
                let seen = isAsReceived && set.readsInput ? record : values.record(laidOutOn: plan.evaluated)
                result = run.evaluate(set.value, record: seen)
            }
            switch result {
            case .success(let value):
                values[set.slot] = value
                isAsReceived = false
            case .failure(let failure):
                try run.setAside(record, failure)
                return nil
            }
        }
        if plan.shapeKeepsSlots { return values.record(laidOutOn: plan.shaped) }
        var shaped = CELRecordBuilder(schema: plan.shaped)
        for (slot, source) in plan.shapedSources.enumerated() { shaped[slot] = values[source] }
        return shaped.record()
    }

    /// The same steps by field name, for records whose fields are not known in advance.
    private func applyByName(_ record: Record, joinTable: JoinTable?, run: StepRun) throws(StepFailure) -> Record? {
        var fields: [(name: String, value: CELValue)] = record.compactMap { entry in
            if case .string(let name) = entry.key { return (name, entry.value) }
            return nil
        }
        func assign(_ name: String, _ value: CELValue?) {
            if let index = fields.firstIndex(where: { $0.name == name }) {
                if let value { fields[index].value = value } else { fields.remove(at: index) }
            } else if let value {
                fields.append((name, value))
            }
        }
        func current() -> Record {
            (try? CELMap(pairs: fields.map { (.string($0.name), $0.value) })) ?? CELMap()
        }
        if let join = transform.join, let joinTable {
            let match = joinTable.match(record[join.leftField])
            if match == nil, join.kind == .inner { return nil }
            assign(join.field, match.map { .map($0) })
        }
        for set in transform.set {
            switch run.evaluate(set.value, record: current()) {
            case .success(let value): assign(set.field, value)
            case .failure(let failure):
                try run.setAside(record, failure)
                return nil
            }
        }
        fields = Self.renamedDroppedSelected(fields, by: transform)
        return current()
    }

    /// Named values after `rename`, `drop` and `select`, as the checker works out the output
    /// fields: renaming onto an existing field replaces it, in the renamed field's place. Applied to
    /// slot numbers once per step, and to values for each record whose fields are not known.
    static func renamedDroppedSelected<Value>(_ fields: [(name: String, value: Value)], by transform: TransformOperation) -> [(name: String, value: Value)] {
        var fields = fields
        for (from, to) in transform.rename {
            guard let index = fields.firstIndex(where: { $0.name == from }) else { continue }
            let value = fields[index].value
            fields.remove(at: index)
            fields.removeAll { $0.name == to }
            fields.insert((to, value), at: min(index, fields.count))
        }
        fields.removeAll { transform.drop.contains($0.name) }
        if let select = transform.select {
            fields = select.compactMap { name in fields.first { $0.name == name } }
        }
        return fields
    }
}

/// `dedupe`: one record per key. With `first` a record passes at once unless its key was seen;
/// with `last` every key's latest record is held until the input ends, then passed on in the order
/// those records arrived.
struct DedupeState {
    let by: CompiledExpression
    let keep: TransformStep.DedupeKeep
    private var seen = Set<RecordKey>()
    private var latest: [RecordKey: (position: Int, record: Record)] = [:]
    private var position = 0

    init(by: CompiledExpression, keep: TransformStep.DedupeKeep) {
        self.by = by
        self.keep = keep
    }

    /// The record to pass on now, if any.
    mutating func offer(_ record: Record, run: StepRun) throws(StepFailure) -> Record? {
        let key: CELValue
        switch run.evaluate(by, record: record) {
        case .success(let value): key = value
        case .failure(let failure):
            try run.setAside(record, failure)
            return nil
        }
        switch keep {
        case .first:
            return seen.insert(RecordKey(key)).inserted ? record : nil
        case .last:
            position += 1
            latest[RecordKey(key)] = (position, record)
            return nil
        }
    }

    /// The records held for `last`, in the order they arrived.
    func heldRecords() -> [Record] {
        latest.values.sorted { $0.position < $1.position }.map(\.record)
    }
}
