import Diagnostics

/// Warns when a sync writes to a resource the playbook reads incrementally: every record written
/// becomes a changed record, so the next run reads it again and writes it again, run after run.
///
/// A segment before the sync that filters on a field the playbook writes is taken as the fix (it
/// lets through only the records whose value changes), so it silences the warning.
struct WriteBackChecks {
    let playbook: Playbook
    let graph: StepGraph
    let connectors: ConnectorsByConnection
    /// The record fields each step's conditions read, by step position; nil when expressions were not checked.
    let fieldsInConditions: [Int: Set<String>]?

    /// Cursor fields that hold when a record was made: a write that changes a record does not move them.
    private static let creationCursors: Set<String> = ["created_at", "submitted_at", "sent_at"]

    func run(into bag: inout DiagnosticBag) {
        // Whether a filter ends the loop is known only from the fields its conditions read.
        guard let fieldsInConditions else { return }
        let incrementalReads = playbook.steps.compactMap { step -> (step: Step, connection: ConnectionName, resource: String, cursor: Located<String>)? in
            guard case .fetch(let fetch) = step.kind, let cursor = fetch.incrementalCursor,
                  case .connection(let connection, let resource) = fetch.source else { return nil }
            // A cursor the resource cannot use is reported as such; the read it would make is not known.
            if let connector = connectors[connection.value], !connector.acceptsAnyResource,
               connector.resources.first(where: { $0.name == resource.value })?.cursorFields.contains(cursor.value) != true {
                return nil
            }
            return (step, connection.value, resource.value, cursor)
        }
        guard !incrementalReads.isEmpty else { return }
        for (position, step) in playbook.steps.enumerated() {
            guard case .sync(let sync) = step.kind else { continue }
            // A creation time moves only for new records, which only `insert` makes from records already there.
            guard let read = incrementalReads.first(where: {
                $0.connection == sync.connection.value && $0.resource == sync.resource.value
                    && (!Self.creationCursors.contains($0.cursor.value) || sync.mode.value == .insert)
            }) else { continue }
            if filtersOnWrittenField(before: position, sync: sync, fieldsInConditions: fieldsInConditions) { continue }
            bag.warning(
                LanguageDiagnosticCode.incrementalWriteBack,
                .incrementalWriteBack(connection: sync.connection.value, resource: sync.resource.value, reader: read.step.id.value, cursor: read.cursor.value),
                at: sync.resource.range,
                notes: [DiagnosticNote(LanguageMessage.incrementalReadNote(read.step.id.value, cursor: read.cursor.value), at: read.cursor.range)]
            )
        }
    }

    /// Whether a step on the way to the sync filters on a field the sync writes: one of its
    /// `fields:`, or a field set by a transform before it.
    private func filtersOnWrittenField(before syncPosition: Int, sync: SyncStep, fieldsInConditions: [Int: Set<String>]) -> Bool {
        var written = Set(sync.fields.map(\.field.value))
        var filtered = Set<String>()
        var seen: Set<Int> = [syncPosition]
        var pending = Array(graph.inputPositions(of: syncPosition))
        while let position = pending.popLast() {
            guard position >= 0, seen.insert(position).inserted else { continue }
            if case .transform(let transform) = playbook.steps[position].kind {
                written.formUnion(transform.set.map(\.field.value))
            }
            filtered.formUnion(fieldsInConditions[position] ?? [])
            pending += graph.inputPositions(of: position)
        }
        return !written.isDisjoint(with: filtered)
    }
}
