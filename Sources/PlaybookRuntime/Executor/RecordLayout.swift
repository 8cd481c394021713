import CEL
import Synchronization

/// Puts records on a step's layout: a record built by another step (a merge's inputs, a fetch
/// without declared fields) is laid out again, by field name, on the schema the step's expressions
/// were planned with. The slot mapping from each source layout is worked out once.
final class RecordRelayout: Sendable {
    /// The layout records are put on; nil for steps whose records have no known fields, which
    /// take records as they come.
    let target: CELRecordSchema?
    private let mappings = Mutex<[ObjectIdentifier: [Int?]]>([:])

    init(target: CELRecordSchema?) { self.target = target }

    /// `record` on the target layout: itself when it already is, otherwise its fields by name
    /// (fields the target does not have are left out, as a merge keeps only common fields).
    func apply(_ record: Record) -> Record {
        guard let target, !record.isRecord(laidOutOn: target) else { return record }
        var laidOut = CELRecordBuilder(schema: target)
        guard let source = record.schema, let values = record.recordValues else {
            for (slot, name) in target.fieldNames.enumerated() { laidOut[slot] = record[name] }
            return laidOut.record()
        }
        for (slot, sourceSlot) in mapping(from: source).enumerated() {
            if let sourceSlot { laidOut[slot] = values[sourceSlot] }
        }
        return laidOut.record()
    }

    private func mapping(from source: CELRecordSchema) -> [Int?] {
        let key = ObjectIdentifier(source)
        if let known = mappings.withLock({ $0[key] }) { return known }
        let mapping = target!.fieldNames.map { source.index(of: $0) }
        mappings.withLock { $0[key] = mapping }
        return mapping
    }
}
