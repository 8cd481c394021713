import Diagnostics

/// Warns when an expression reads a field that a platform leaves out of records without a value
/// (a HubSpot contact without a job title), in a step that fails on a bad record: reading an
/// absent field is an error, so the first such record would fail the whole run.
///
/// A read the same expression guards (`has(record.job_title)`, `"job_title" in record`,
/// `record.?job_title`) is safe, and a step with `on_record_error: skip` sets such records aside.
struct AbsentFieldChecks {
    let playbook: Playbook
    let graph: StepGraph
    let connectors: ConnectorsByConnection
    /// The record fields each expression reads as values, by where its text starts.
    let reads: [Int: RecordValueReads]
    let file: SourceFile

    /// Where a field that may be absent comes from, for the message.
    private struct Origin {
        var connector: String
        var resource: String
    }

    func run(into bag: inout DiagnosticBag) {
        guard !reads.isEmpty else { return }
        let steps = playbook.steps
        var outputs = [[String: Origin]](repeating: [:], count: steps.count)
        for position in graph.orderByPosition ?? Array(steps.indices) {
            let step = steps[position]
            let inputs = graph.inputPositions(of: position)
            var fields: [String: Origin]
            if inputs.count == 1, let only = inputs.first, only >= 0 {
                // Most steps read one step: its fields as they are, without building a new table.
                fields = outputs[only]
            } else {
                fields = [:]
                for input in inputs where input >= 0 { fields.merge(outputs[input]) { first, _ in first } }
            }
            outputs[position] = output(of: step, input: fields, into: &bag)
        }
    }

    /// The fields that may be absent from the step's records, warning about the step's reads of
    /// the fields that may be absent from its input.
    private func output(of step: Step, input: [String: Origin], into bag: inout DiagnosticBag) -> [String: Origin] {
        let warns = step.onRecordError == .fail
        func check(_ start: Int, _ absent: [String: Origin]) {
            guard warns, !absent.isEmpty, let read = reads[start] else { return }
            warn(read, absent: absent, into: &bag)
        }
        switch step.kind {
        case .fetch(let fetch):
            guard case .connection(let connection, let resourceName) = fetch.source, let connector = connectors[connection.value],
                  !connector.acceptsAnyResource, let resource = connector.resource(named: resourceName.value) else { return [:] }
            let origin = Origin(connector: connector.title, resource: resource.name)
            return Dictionary(resource.mayBeAbsentFields.map { ($0, origin) }, uniquingKeysWith: { first, _ in first })
        case .transform(let transform):
            var absent = input
            for (field, value) in transform.set {
                check(value.source.range.start, absent)
                absent[field.value] = nil
            }
            for (from, to) in transform.rename {
                // Renaming onto an existing field replaces it.
                absent[to.value] = absent[from.value]
                absent[from.value] = nil
            }
            for field in transform.drop { absent[field.value] = nil }
            if let select = transform.select {
                let kept = Set(select.map(\.value))
                absent = absent.filter { kept.contains($0.key) }
            }
            if let dedupe = transform.dedupe { check(dedupe.by.source.range.start, absent) }
            if let aggregate = transform.aggregate {
                for computed in aggregate.compute {
                    if let expression = computed.expression { check(expression.source.range.start, absent) }
                }
                return [:]
            }
            return absent
        case .segment(let segment):
            if let filter = segment.filter { check(filter.source.range.start, input) }
            for (_, condition) in segment.segments { check(condition.source.range.start, input) }
            return input
        case .sync(let sync):
            for (_, value) in sync.fields { check(value.source.range.start, input) }
            for tag in sync.tags { check(tag.source.range.start, input) }
            return input
        case .notify(let notify):
            for template in [notify.message, notify.subject, notify.to].compactMap({ $0 }) { check(template.source.range.start, input) }
            if let oncePer = notify.oncePer { check(oncePer.source.range.start, input) }
            return input
        }
    }

    private func warn(_ read: RecordValueReads, absent: [String: Origin], into bag: inout DiagnosticBag) {
        var warned = Set<String>()
        var map: ScalarSourceMap?
        for (field, range) in read.fields {
            guard let origin = absent[field], warned.insert(field).inserted else { continue }
            if map == nil { map = ScalarSourceMap(source: read.source, file: file) }
            bag.warning(
                LanguageDiagnosticCode.fieldMayBeAbsent,
                .fieldMayBeAbsent(field, connector: origin.connector, resource: origin.resource),
                at: map!.sourceRange(forValueRange: range)
            )
        }
    }
}
