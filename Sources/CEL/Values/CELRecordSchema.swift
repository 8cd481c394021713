/// The field names of a kind of record, in order, shared by every record of that kind: a record
/// built on it (`CELMap(schema:values:)`) holds only its values, and a program planned with it
/// reads `record.email` from a slot instead of searching by name.
public final class CELRecordSchema: Sendable {
    /// The fields, in slot order.
    public let fieldNames: [String]
    /// Slot by field name, for reads that were not planned (`record[name]`, `has()`); built once.
    private let slots: [String: Int]

    /// A schema with these fields in this order; names must be distinct.
    public init(fieldNames: [String]) {
        self.fieldNames = fieldNames
        var slots: [String: Int] = [:]
        slots.reserveCapacity(fieldNames.count)
        for (slot, name) in fieldNames.enumerated() {
            precondition(slots.updateValue(slot, forKey: name) == nil, "field '\(name)' appears twice in a record schema")
        }
        self.slots = slots
    }

    /// The slot of a field, or nil when the schema has no such field.
    public func index(of field: String) -> Int? { slots[field] }
}
