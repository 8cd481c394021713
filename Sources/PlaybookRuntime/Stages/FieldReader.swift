import CEL

/// Reads one field of records that mostly share a layout: found by name once for each layout met,
/// then read by slot. Finding a field by name costs about 500 instructions a record (its place in
/// the layout looked up, the map copied), which steps that read a field of every record paid.
struct FieldReader {
    let name: String
    /// The layout last met that has the field, with the field's slot. A struct rather than a
    /// tuple: a type holding an optional tuple is copied and freed through the runtime's generic
    /// tuple routines, a cost a step holding a reader paid per batch.
    private var layout: Layout?

    private struct Layout {
        let schema: CELRecordSchema
        let slot: Int
    }

    init(_ name: String) { self.name = name }

    /// The field's value in `record`; nil when the record lacks it.
    mutating func value(in record: Record) -> CELValue? {
        if let layout, let value = record.value(inSlot: layout.slot, ofRecordLaidOutOn: layout.schema) { return value }
        if let schema = record.schema, let slot = schema.index(of: name) { layout = Layout(schema: schema, slot: slot) }
        return record[name]
    }
}
