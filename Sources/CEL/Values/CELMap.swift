/// A CEL map: keys are bool, int, uint or string; int, uint and integral double keys that are equal
/// as numbers find the same entry. Iteration follows insertion order so results are deterministic.
///
/// Small maps (most records) are searched linearly, which beats hashing for a dozen short keys;
/// larger ones get a hash index.
///
/// A map can also hold a record laid out by a `CELRecordSchema`: its values sit in slots in the
/// schema's field order, so building one hashes nothing and a planned `record.email` reads one
/// slot. It is still a map to every function: absent slots are not entries, and entries come in
/// schema order.
public struct CELMap: Sendable {
    /// Entries in insertion order; empty for a record.
    private var storage: [(key: CELValue, value: CELValue)] = []
    /// Nil for a small map, searched linearly; otherwise its hash index or its record layout. One
    /// optional beside the entries keeps the commonest read, a field of a small map, as it was
    /// before records existed, and the map two words wide.
    private var extra: Extra?

    // Unchecked for the record's storage, which is never written once shared (see `RecordStorage`).
    private enum Extra: @unchecked Sendable {
        /// Position by key, once there are more than `linearLimit` entries.
        case index([Key: Int])
        /// A record's values, with their schema.
        case record(RecordStorage)
    }

    private static let linearLimit = 12

    /// Normalised key: numbers compare by value, so `1`, `1u` and `1.0` are one key.
    enum Key: Hashable, Sendable {
        case bool(Bool)
        case int(Int64)
        case bigUInt(UInt64)
        case string(String)

        /// The key for storing `value`, or nil when the type cannot be a map key.
        init?(storing value: CELValue) {
            switch value {
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .bigUInt(u)
            case .string(let s): self = .string(s)
            default: return nil
            }
        }

        /// The key for looking up `value`; integral doubles find numeric keys too.
        init?(lookup value: CELValue) {
            if case .double(let d) = value {
                if let i = Int64(exactly: d) { self = .int(i); return }
                if let u = UInt64(exactly: d) { self = .bigUInt(u); return }
                return nil
            }
            self.init(storing: value)
        }

        /// Equality by code points for strings, as CEL defines it.
        func matches(_ other: Key) -> Bool {
            switch (self, other) {
            case (.string(let a), .string(let b)): return StringBytes.equal(a, b)
            default: return self == other
            }
        }
    }

    /// An empty map.
    public init() {}

    /// A map from key/value pairs; fails on an unsupported key type or a repeated key.
    public init(pairs: [(CELValue, CELValue)]) throws(CELError) {
        storage.reserveCapacity(pairs.count)
        for (key, value) in pairs { try insert(key, value) }
    }

    /// A map with string keys, in key order.
    public init(_ dictionary: [String: CELValue]) {
        for key in dictionary.keys.sorted() { try? insert(.string(key), dictionary[key]!) }
    }

    /// A record laid out by `schema`: `values[i]` is the field `schema.fieldNames[i]`, nil when the
    /// record lacks it. `values` must have one element per field.
    public init(schema: CELRecordSchema, values: [CELValue?]) {
        precondition(values.count == schema.fieldNames.count, "a record needs one value (or nil) per schema field")
        let storage = RecordStorage.make(schema: schema, count: values.count)
        for slot in values.indices { storage[slot] = values[slot] }
        extra = .record(storage)
    }

    /// The record a `CELRecordBuilder` built.
    @usableFromInline
    init(storage: RecordStorage) {
        extra = .record(storage)
    }

    private var record: RecordStorage? {
        if case .record(let record)? = extra { return record }
        return nil
    }

    /// The number of entries.
    public var count: Int {
        if let record { return CELRecordValues(storage: record).count { $0 != nil } }
        return storage.count
    }

    /// Whether the map has no entries.
    public var isEmpty: Bool { count == 0 }

    /// The entries in order (insertion order, or schema order for a record).
    public var entries: [(key: CELValue, value: CELValue)] { record == nil ? storage : Array(self) }

    /// The keys in order.
    public var keys: [CELValue] { map(\.key) }

    /// The schema when the map holds a record.
    public var schema: CELRecordSchema? { record?.schema }

    /// Whether the map is a record laid out on `schema` itself. Unlike comparing `schema`, this
    /// takes no reference to the schema, which every record of a step shares: counting references
    /// to one object from both cores, record after record, costs more than the comparison.
    public func isRecord(laidOutOn schema: CELRecordSchema) -> Bool {
        guard case .record(let record)? = extra else { return false }
        return record.isLaidOut(on: schema)
    }

    /// A record's values in schema order, nil where a field is absent; nil when the map is not a
    /// record.
    public var recordValues: CELRecordValues? { record.map(CELRecordValues.init(storage:)) }

    /// The value in `slot` of a record laid out on `schema` itself, read in place: `.some(nil)`
    /// when the record lacks the field, `nil` when the map is not such a record. For a step that
    /// reads one field of every record of a batch: one look at the map instead of three (is it
    /// laid out so, its values, the slot), and no reference taken to the schema.
    public func value(inSlot slot: Int, ofRecordLaidOutOn schema: CELRecordSchema) -> CELValue?? {
        guard case .record(let record)? = extra, record.isLaidOut(on: schema) else { return nil }
        return .some(record[slot])
    }

    private func position(of key: Key) -> Int? {
        if case .index(let index)? = extra { return index[key] }
        for (offset, entry) in storage.enumerated() {
            if let stored = Key(storing: entry.key), stored.matches(key) { return offset }
        }
        return nil
    }

    /// Adds an entry; a key that is already present or cannot be a key is an error. A record
    /// becomes an ordinary map first.
    public mutating func insert(_ key: CELValue, _ value: CELValue) throws(CELError) {
        guard let normalised = Key(storing: key) else {
            throw CELError("unsupported key type '\(key.celType.runtimeName)' in map")
        }
        if record != nil {
            storage = entries
            extra = nil
            if storage.count > CELMap.linearLimit { extra = .index(Self.index(of: storage)) }
        }
        guard position(of: normalised) == nil else { throw CELError("Failed with repeated key: \(key.debugText)") }
        storage.append((key, value))
        if case .index(var index)? = extra {
            // Release the stored copy so that the insertion does not copy the index.
            extra = nil
            index[normalised] = storage.count - 1
            extra = .index(index)
        } else if storage.count > CELMap.linearLimit {
            extra = .index(Self.index(of: storage))
        }
    }

    private static func index(of entries: [(key: CELValue, value: CELValue)]) -> [Key: Int] {
        var built: [Key: Int] = [:]
        built.reserveCapacity(entries.count * 2)
        for (offset, entry) in entries.enumerated() { built[Key(storing: entry.key)!] = offset }
        return built
    }

    /// The value for a key, or nil when absent (also for keys of a type maps cannot hold).
    public subscript(key: CELValue) -> CELValue? {
        if record != nil {
            guard case .string(let field) = key else { return nil }
            return self[field]
        }
        guard let normalised = Key(lookup: key), let found = position(of: normalised) else { return nil }
        return storage[found].value
    }

    /// Fast path for field selection.
    public subscript(field: String) -> CELValue? {
        if let extra {
            switch extra {
            case .index(let index):
                guard let found = index[.string(field)] else { return nil }
                return storage[found].value
            case .record(let record):
                guard let slot = record.schema.index(of: field) else { return nil }
                return record[slot]
            }
        }
        for index in storage.indices {
            if case .string(let name) = storage[index].key, StringBytes.equal(name, field) { return storage[index].value }
        }
        return nil
    }

    /// The value of a field and the position it was found at in a small map's entries (-1 for
    /// other maps), trying `hint` first: a caller that reads the same field of many maps built
    /// alike (records decoded from one source) finds it at once.
    @inline(__always)
    func value(ofField field: String, hint: Int) -> (value: CELValue, position: Int)? {
        guard extra == nil else { return self[field].map { ($0, -1) } }
        if hint >= 0, hint < storage.count, case .string(let name) = storage[hint].key, StringBytes.equal(name, field) {
            return (storage[hint].value, hint)
        }
        for index in storage.indices {
            if case .string(let name) = storage[index].key, StringBytes.equal(name, field) { return (storage[index].value, index) }
        }
        return nil
    }

    /// The value in `slot` when the map is a record laid out like `schema` (the same schema, one
    /// with the same field names, or one `schema` is a declared prefix of); `.none` when it is
    /// not, `.some(nil)` when the field is absent.
    @inline(__always)
    func slot(_ slot: Int, laidOutAs schema: CELRecordSchema) -> CELValue?? {
        guard case .record(let record)? = extra else { return .none }
        guard record.readsSlots(of: schema) else { return .none }
        return .some(record[slot])
    }

    /// Whether `key` is present.
    func contains(_ key: CELValue) -> Bool { self[key] != nil }
}

extension CELMap: Sequence {
    /// Entries in order, skipping a record's absent fields.
    public struct Iterator: IteratorProtocol {
        private let map: CELMap
        private var position = 0

        init(_ map: CELMap) { self.map = map }

        /// The next entry.
        public mutating func next() -> (key: CELValue, value: CELValue)? {
            if let record = map.record {
                while position < record.count {
                    position += 1
                    if let value = record[position - 1] { return (.string(record.schema.fieldNames[position - 1]), value) }
                }
                return nil
            }
            guard position < map.storage.count else { return nil }
            position += 1
            return map.storage[position - 1]
        }
    }

    /// Iterates the entries in order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of entries.
    public var underestimatedCount: Int { count }
}
