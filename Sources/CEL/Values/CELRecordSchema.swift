import Diagnostics

/// The field names of a kind of record, in order, shared by every record of that kind: a record
/// built on it (`CELMap(schema:values:)`) holds only its values, and a program planned with it
/// reads `record.email` from a slot instead of searching by name.
public final class CELRecordSchema: Sendable {
    /// The fields, in slot order.
    public let fieldNames: [String]
    /// Slot by field name, for reads that were not planned (`record[name]`, `has()`); built once.
    private let slots: [String: Int]
    /// Schemas whose fields are this one's first fields, in the same order.
    private let prefixes: [CELRecordSchema]
    /// Each field's name as a key of a JSON object, quoted, escaped and followed by its colon
    /// (`"email":`): made once here rather than for every record written out as JSON.
    public let jsonKeys: [[UInt8]]

    /// A schema with these fields in this order; names must be distinct. A program planned with one
    /// of `prefixes` (each holding this schema's first fields) reads this schema's records by slot
    /// as well: a step that adds fields one after another evaluates each on the record so far
    /// without copying it onto a shorter schema.
    public init(fieldNames: [String], prefixes: [CELRecordSchema] = []) {
        precondition(prefixes.allSatisfy { fieldNames.starts(with: $0.fieldNames) }, "a prefix schema holds the first fields of the schema")
        self.fieldNames = fieldNames
        self.prefixes = prefixes
        var slots: [String: Int] = [:]
        slots.reserveCapacity(fieldNames.count)
        for (slot, name) in fieldNames.enumerated() {
            precondition(slots.updateValue(slot, forKey: name) == nil, "field '\(name)' appears twice in a record schema")
        }
        self.slots = slots
        jsonKeys = fieldNames.map { name in
            var key: [UInt8] = []
            JSONValue.appendQuoted(name, into: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
    }

    /// The slot of a field, or nil when the schema has no such field.
    public func index(of field: String) -> Int? { slots[field] }

    /// Whether a slot planned with `schema` is the same field in this schema: the two are one
    /// schema, have the same fields, or `schema` is one of this one's declared prefixes.
    func readsSlots(of schema: CELRecordSchema) -> Bool {
        self === schema || prefixes.contains { $0 === schema } || fieldNames == schema.fieldNames
    }
}
