/// A record's values by slot, nil where a field is absent, held after a small header in one
/// allocation.
///
/// Not an array: an array of `CELValue?` is freed by the runtime's general routine, which asks the
/// element type, element by element, whether there is anything to free and how (half of the 9 % of
/// a file job's instructions that freeing values took). Here each value is freed by code made for
/// `CELValue?`, and the values share their allocation with the header.
///
/// A storage is written only while one owner holds it (`CELRecordBuilder` copies it first
/// otherwise) and only read once shared, like an array's buffer: so the types that share it across
/// tasks are `@unchecked Sendable`. (`ManagedBuffer` itself is declared never `Sendable`.)
@usableFromInline
final class RecordStorage: ManagedBuffer<RecordStorage.Header, CELValue?> {
    @usableFromInline
    struct Header {
        /// The layout its values are read by; changed only while unshared.
        @usableFromInline var schema: CELRecordSchema
        @usableFromInline let count: Int
    }

    /// A storage of `count` values: those of `first` (at most `count`), then absent ones.
    @usableFromInline
    static func make(schema: CELRecordSchema, count: Int, startingWith first: RecordStorage? = nil) -> RecordStorage {
        let storage = unsafeDowncast(create(minimumCapacity: count) { _ in Header(schema: schema, count: count) }, to: RecordStorage.self)
        storage.withUnsafeMutablePointerToElements { values in
            var slot = 0
            if let first {
                // One value at a time: copying the run in one call would go through the runtime's
                // general copy, as freeing an array does.
                first.withUnsafeMutablePointers { header, firstValues in
                    precondition(header.pointee.count <= count, "a record cannot start with more values than it has slots")
                    while slot < header.pointee.count {
                        (values + slot).initialize(to: firstValues[slot])
                        slot += 1
                    }
                }
            }
            (values + slot).initialize(repeating: nil, count: count - slot)
        }
        return storage
    }

    deinit {
        withUnsafeMutablePointers { header, values in
            for slot in 0..<header.pointee.count { _ = (values + slot).move() }
        }
    }

    // The header is read through its pointer: the `header` property of a class is checked for
    // exclusive access at run time on every read, which cost more than the read.
    @inlinable
    var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    @inlinable
    var schema: CELRecordSchema {
        get { withUnsafeMutablePointerToHeader { $0.pointee.schema } }
        set { withUnsafeMutablePointerToHeader { $0.pointee.schema = newValue } }
    }

    /// Whether the storage is laid out on `schema` itself; compared in place, without taking a
    /// reference to the schema, which every record of a step shares across cores.
    func isLaidOut(on schema: CELRecordSchema) -> Bool {
        withUnsafeMutablePointerToHeader { $0.pointee.schema === schema }
    }

    /// Whether a slot planned with `schema` is the same field here (`CELRecordSchema.readsSlots`).
    func readsSlots(of schema: CELRecordSchema) -> Bool {
        withUnsafeMutablePointerToHeader { $0.pointee.schema.readsSlots(of: schema) }
    }

    @inlinable
    subscript(slot: Int) -> CELValue? {
        get {
            withUnsafeMutablePointers { header, values in
                precondition(slot >= 0 && slot < header.pointee.count, "record slot out of range")
                return values[slot]
            }
        }
        set {
            withUnsafeMutablePointers { header, values in
                precondition(slot >= 0 && slot < header.pointee.count, "record slot out of range")
                values[slot] = newValue
            }
        }
    }

    /// A storage with the same schema and values.
    @usableFromInline
    func copy() -> RecordStorage {
        RecordStorage.make(schema: schema, count: count, startingWith: self)
    }
}

/// The values of a record laid out by a schema, by slot (nil where the field is absent), read in
/// place: `CELMap.recordValues`.
public struct CELRecordValues: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let storage: RecordStorage

    @usableFromInline
    init(storage: RecordStorage) { self.storage = storage }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }

    @inlinable
    public subscript(slot: Int) -> CELValue? { storage[slot] }
}

/// Builds a record laid out by a schema, slot by slot, in the storage the record will keep.
///
/// Like an array, it copies its values before a write when a record made from it still holds them,
/// so a record handed out is never changed afterwards.
public struct CELRecordBuilder {
    @usableFromInline var storage: RecordStorage
    /// Whether a record made from `storage` may still hold it; until then no write needs to ask.
    @usableFromInline var handedOut = false

    /// A record on `schema` with every field absent.
    public init(schema: CELRecordSchema) {
        storage = RecordStorage.make(schema: schema, count: schema.fieldNames.count)
    }

    /// A record on `schema` whose first slots hold `values` and the rest are absent; `schema` has at
    /// least as many fields.
    public init(schema: CELRecordSchema, startingWith values: CELRecordValues) {
        storage = RecordStorage.make(schema: schema, count: schema.fieldNames.count, startingWith: values.storage)
    }

    /// The number of slots (the schema's fields).
    @inlinable public var count: Int { storage.count }

    /// The value in `slot`, nil when the field is absent.
    @inlinable
    public subscript(slot: Int) -> CELValue? {
        get { storage[slot] }
        set {
            if handedOut { takeBack() }
            storage[slot] = newValue
        }
    }

    /// Makes `storage` this builder's alone again, copying it when a record made from it is still
    /// about.
    @usableFromInline
    mutating func takeBack() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        handedOut = false
    }

    /// The record, laid out by the schema the builder was made with.
    @inlinable
    public mutating func record() -> CELMap {
        handedOut = true
        return CELMap(storage: storage)
    }

    /// The record, laid out by `schema` instead, which has as many fields: the same ones (a layout
    /// that declares prefixes, or a later step's own), or the same values under new names.
    public mutating func record(laidOutOn schema: CELRecordSchema) -> CELMap {
        if !storage.isLaidOut(on: schema) {
            precondition(schema.fieldNames.count == storage.count, "a record keeps its number of fields when laid out again")
            if handedOut { takeBack() }
            storage.schema = schema
        }
        handedOut = true
        return CELMap(storage: storage)
    }
}
