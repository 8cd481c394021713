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
        guard let source = record.schema, let values = record.recordValues else {
            return Record(schema: target, values: target.fieldNames.map { record[$0] })
        }
        let mapping = mapping(from: source)
        return Record(schema: target, values: mapping.map { $0.flatMap { values[$0] } })
    }

    private func mapping(from source: CELRecordSchema) -> [Int?] {
        let key = ObjectIdentifier(source)
        if let known = mappings.withLock({ $0[key] }) { return known }
        let mapping = target!.fieldNames.map { source.index(of: $0) }
        mappings.withLock { $0[key] = mapping }
        return mapping
    }
}
