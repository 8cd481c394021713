import Diagnostics

/// Works out the fields of the records each step outputs, in step order, and reports field names
/// that do not exist on the records a step receives (`rename`, `drop`, `select`, `group_by`, join
/// keys, `match_on`).
struct RecordTypes {
    let playbook: Playbook
    /// Each connection's connector, by connection name.
    let connectors: ConnectorsByConnection
    let graph: StepGraph
    /// The type of an expression's value given the record type it sees; `.dyn` when unknown.
    /// The third argument is the step whose records these are, which messages name. Without it
    /// (structural checks only) every computed value is `.dyn`.
    var expressionType: ((Expression, ValueType, Step) -> ValueType)?

    private func type(of expression: Expression, seeing record: ValueType, in step: Step) -> ValueType {
        expressionType?(expression, record, step) ?? .dyn
    }

    /// An open record: any field may be read, each of type `dyn`.
    static let openRecord: ValueType = .map(.dyn)

    /// Output record types by step, plus the record type each step receives as input.
    /// By step position, as in `playbook.steps`.
    struct Result: Sendable {
        var outputs: [ValueType]
        var inputs: [ValueType]
    }

    /// How messages name the records a step receives, such as `the records from 'contacts'`.
    static func recordName(of step: Step) -> String {
        switch step.inputs.count {
        case 0: "record"
        case 1: "the records from '" + step.inputs[0].description + "'"
        default: "the records from " + step.inputs.map { "'\($0.description)'" }.joined(separator: " and ")
        }
    }

    func run(into bag: inout DiagnosticBag) -> Result {
        // Worked out by step position, as the graph gives its order.
        let steps = playbook.steps
        var outputs = [ValueType?](repeating: nil, count: steps.count)
        var inputs = [ValueType](repeating: Self.openRecord, count: steps.count)
        let order = graph.orderByPosition ?? Array(steps.indices)
        func records(of input: Int) -> ValueType {
            input < 0 ? Self.openRecord : outputs[input] ?? Self.openRecord
        }
        for position in order {
            let step = steps[position]
            let inputPositions = graph.inputPositions(of: position)
            // Most steps read one other step: its records pass through as they are.
            let input = inputPositions.count == 1 ? records(of: inputPositions.first!) : Self.merge(inputPositions.map(records))
            inputs[position] = input
            outputs[position] = output(of: step, input: input, outputs: outputs, into: &bag)
        }
        return Result(outputs: outputs.map { $0 ?? Self.openRecord }, inputs: inputs)
    }

    private func output(
        of step: Step, input: ValueType, outputs: [ValueType?], into bag: inout DiagnosticBag
    ) -> ValueType {
        switch step.kind {
        case .fetch(let fetch):
            switch fetch.source {
            case .connection(let connectionName, let resourceName):
                guard let connector = connectors[connectionName.value] else { return Self.openRecord }
                // Freely named resources (generic HTTP, files) have the fields the playbook declares, if any.
                guard !connector.acceptsAnyResource, let resource = connector.resource(named: resourceName.value),
                      !resource.fields.isEmpty else {
                    return Self.declaredRecord(fetch.declaredFields)
                }
                return resource.requestedRecordType(params: fetch.params.map { ($0.name.value, $0.value.value) }) ?? resource.recordType
            case .file, .webhook:
                return Self.declaredRecord(fetch.declaredFields)
            }
        case .transform(let transform):
            return transformed(input, by: transform, in: step, outputs: outputs, into: &bag)
        case .segment:
            return input
        case .sync(let sync):
            // With `fields:`, what is written (and matched on) is those fields, not the incoming record.
            let writtenTypes = sync.fields.map { type(of: $0.value, seeing: input, in: step) }
            let written: ValueType = sync.fields.isEmpty
                ? input
                : .object(zip(sync.fields, writtenTypes).map { ValueType.Field($0.field.value, $1) })
            let connector = connectors[sync.connection.value]
            let resource = connector?.resource(named: sync.resource.value)
            var writtenNamesKnown = true
            if let connector, let resource, !connector.acceptsAnyResource, !resource.fields.isEmpty, resource.writable {
                let checks = SyncFieldChecks(sync: sync, resource: resource, connector: connector)
                if !sync.fields.isEmpty {
                    writtenNamesKnown = checks.checkWritten(types: writtenTypes, into: &bag)
                } else if [.upsert, .insert, .update].contains(sync.mode.value) {
                    checks.checkIncoming(input, records: Self.recordName(of: step), into: &bag)
                }
            }
            // A name the platform cannot match on is reported by the sync checks, and a misspelt
            // written field by the field checks; once is enough.
            let matchable = resource?.matchFields ?? []
            if let matchOn = sync.matchOn, writtenNamesKnown, matchable.isEmpty || matchable.contains(matchOn.value) {
                checkField(matchOn, in: written, purpose: "match on", owner: sync.fields.isEmpty ? "the input records" : "the written fields", into: &bag)
            }
            return input
        case .notify:
            return input
        }
    }

    private func transformed(
        _ input: ValueType, by transform: TransformStep, in step: Step, outputs: [ValueType?], into bag: inout DiagnosticBag
    ) -> ValueType {
        var record = input
        if let join = transform.join {
            let other = playbook.position(of: join.with.step).flatMap { outputs[$0] } ?? Self.openRecord
            checkField(join.leftField, in: record, purpose: "join on", into: &bag)
            checkField(join.rightField, in: other, purpose: "join on", owner: "'\(join.with.description)'", into: &bag)
            Self.set(join.field, to: other, in: &record)
        }
        for (field, value) in transform.set {
            Self.set(field.value, to: type(of: value, seeing: record, in: step), in: &record)
        }
        for (from, to) in transform.rename {
            if checkField(from, in: record, purpose: "rename", into: &bag), case .object(var fields) = record,
               let index = fields.position(ofField: from.value) {
                // Renaming onto an existing field replaces it.
                let renamed = ValueType.Field(to.value, fields[index].type, fields[index].summary)
                fields.remove(at: index)
                fields.removeFields(named: to.value)
                fields.insert(renamed, at: min(index, fields.count))
                record = .object(fields)
            }
        }
        for field in transform.drop {
            if checkField(field, in: record, purpose: "drop", into: &bag) {
                Self.modifyFields(of: &record) { fields in fields.removeFields(named: field.value) }
            }
        }
        if let select = transform.select {
            var allKnown = true
            for field in select where !checkField(field, in: record, purpose: "select", into: &bag) { allKnown = false }
            if case .object(let fields) = record {
                // After a misspelt name the records' fields are not known: later checks would only add noise.
                record = allKnown ? .object(select.map(\.value).compactMap { fields.field(named: $0) }) : Self.openRecord
            }
        }
        if let dedupe = transform.dedupe { _ = type(of: dedupe.by, seeing: record, in: step) }
        if let aggregate = transform.aggregate {
            var fields: [ValueType.Field] = []
            for group in aggregate.groupBy {
                checkField(group, in: record, purpose: "group by", into: &bag)
                fields.append(ValueType.Field(group.value, Self.fieldType(group.value, in: record)))
            }
            for computed in aggregate.compute {
                let computedType: ValueType = switch computed.function {
                case .count:
                    computed.expression.map { _ = type(of: $0, seeing: record, in: step); return .int } ?? .int
                case .avg: computed.expression.map { _ = type(of: $0, seeing: record, in: step); return .double } ?? .double
                case .sum, .min, .max: computed.expression.map { type(of: $0, seeing: record, in: step) } ?? .dyn
                }
                fields.append(ValueType.Field(computed.name.value, computedType))
            }
            record = .object(fields)
        }
        return record
    }

    /// Reports a field missing from a record with known fields. Returns true when the field exists or
    /// cannot be known.
    @discardableResult
    private func checkField(
        _ field: Located<String>, in record: ValueType, purpose: String, owner: String = "the input records",
        into bag: inout DiagnosticBag
    ) -> Bool {
        guard case .object(let fields) = record else { return true }
        if fields.position(ofField: field.value) != nil { return true }
        let names = fields.map(\.name)
        bag.unknownName(
            LanguageDiagnosticCode.unknownRecordField, LanguageMessage.unknownRecordField(field.value, purpose: purpose, owner: owner),
            name: field.value, at: field.range, candidates: names, otherwise: LanguageMessage.recordFields(names)
        )
        return false
    }

    static func declaredRecord(_ declared: [DeclaredField]?) -> ValueType {
        guard let declared else { return openRecord }
        return .object(declared.map { ValueType.Field($0.name.value, $0.type) })
    }

    static func fieldType(_ name: String, in record: ValueType) -> ValueType {
        if case .object(let fields) = record { return fields.field(named: name)?.type ?? .dyn }
        if case .map(let value) = record { return value }
        return .dyn
    }

    /// Sets a field's type, adding the field if needed, changing the record in place.
    static func set(_ name: String, to type: ValueType, in record: inout ValueType) {
        modifyFields(of: &record) { fields in
            if let index = fields.position(ofField: name) {
                fields[index].type = type
            } else {
                fields.append(ValueType.Field(name, type))
            }
        }
    }

    /// Changes an object record's fields in place: the record lets go of its array first, so the
    /// array is copied only when another step's record still shares it.
    static func modifyFields(of record: inout ValueType, _ change: (inout [ValueType.Field]) -> Void) {
        guard case .object(var fields) = record else { return }
        record = .dyn
        change(&fields)
        record = .object(fields)
    }

    /// The records of several inputs: the fields all of them have (typed where they agree).
    static func merge(_ types: [ValueType]) -> ValueType {
        guard let first = types.first else { return openRecord }
        guard types.count > 1 else { return first }
        var common: [ValueType.Field] = []
        guard case .object(let firstFields) = first else { return openRecord }
        for field in firstFields {
            var type: ValueType? = field.type
            for other in types.dropFirst() {
                guard case .object(let fields) = other, let match = fields.field(named: field.name) else {
                    type = nil
                    break
                }
                if match.type != type { type = .dyn }
            }
            if let type { common.append(ValueType.Field(field.name, type, field.summary)) }
        }
        return types.allSatisfy({ if case .object = $0 { true } else { false } }) ? .object(common) : openRecord
    }
}
