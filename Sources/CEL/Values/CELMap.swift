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
    private var storage: Storage

    private enum Storage: Sendable {
        /// Entries in insertion order, with a hash index once there are more than `linearLimit`.
        case entries([(key: CELValue, value: CELValue)], index: [Key: Int]?)
        /// A record's values by field position; nil where the field is absent.
        case record(CELRecordSchema, [CELValue?])
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
    public init() { storage = .entries([], index: nil) }

    /// A map from key/value pairs; fails on an unsupported key type or a repeated key.
    public init(pairs: [(CELValue, CELValue)]) throws(CELError) {
        var entries: [(key: CELValue, value: CELValue)] = []
        entries.reserveCapacity(pairs.count)
        storage = .entries(entries, index: nil)
        for (key, value) in pairs { try insert(key, value) }
    }

    /// A map with string keys, in key order.
    public init(_ dictionary: [String: CELValue]) {
        storage = .entries([], index: nil)
        for key in dictionary.keys.sorted() { try? insert(.string(key), dictionary[key]!) }
    }

    /// A record laid out by `schema`: `values[i]` is the field `schema.fieldNames[i]`, nil when the
    /// record lacks it. `values` must have one element per field.
    public init(schema: CELRecordSchema, values: [CELValue?]) {
        precondition(values.count == schema.fieldNames.count, "a record needs one value (or nil) per schema field")
        storage = .record(schema, values)
    }

    /// The number of entries.
    public var count: Int {
        switch storage {
        case .entries(let entries, _): entries.count
        case .record(_, let values): values.count { $0 != nil }
        }
    }

    /// Whether the map has no entries.
    public var isEmpty: Bool { count == 0 }

    /// The entries in order (insertion order, or schema order for a record).
    public var entries: [(key: CELValue, value: CELValue)] {
        switch storage {
        case .entries(let entries, _): return entries
        case .record: return Array(self)
        }
    }

    /// The keys in order.
    public var keys: [CELValue] { map(\.key) }

    /// The schema when the map holds a record.
    public var schema: CELRecordSchema? {
        if case .record(let schema, _) = storage { return schema }
        return nil
    }

    private func position(of key: Key, in entries: [(key: CELValue, value: CELValue)], index: [Key: Int]?) -> Int? {
        if let index { return index[key] }
        for (offset, entry) in entries.enumerated() {
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
        if case .record = storage { storage = .entries(entries, index: nil) }
        guard case .entries(var entries, var index) = storage else { return }
        guard position(of: normalised, in: entries, index: index) == nil else { throw CELError("Failed with repeated key: \(key.debugText)") }
        // Release the stored copy so that appending does not copy the entries.
        storage = .entries([], index: nil)
        entries.append((key, value))
        if index != nil {
            index![normalised] = entries.count - 1
        } else if entries.count > CELMap.linearLimit {
            var built: [Key: Int] = [:]
            built.reserveCapacity(entries.count * 2)
            for (offset, entry) in entries.enumerated() { built[Key(storing: entry.key)!] = offset }
            index = built
        }
        storage = .entries(entries, index: index)
    }

    /// The value for a key, or nil when absent (also for keys of a type maps cannot hold).
    public subscript(key: CELValue) -> CELValue? {
        switch storage {
        case .entries(let entries, let index):
            guard let normalised = Key(lookup: key), let found = position(of: normalised, in: entries, index: index) else { return nil }
            return entries[found].value
        case .record:
            guard case .string(let field) = key else { return nil }
            return self[field]
        }
    }

    /// Fast path for field selection.
    public subscript(field: String) -> CELValue? {
        switch storage {
        case .entries(let entries, let index):
            if let index {
                guard let found = index[.string(field)] else { return nil }
                return entries[found].value
            }
            for index in entries.indices {
                if case .string(let name) = entries[index].key, StringBytes.equal(name, field) { return entries[index].value }
            }
            return nil
        case .record(let schema, let values):
            guard let slot = schema.index(of: field) else { return nil }
            return values[slot]
        }
    }

    /// The value in `slot` when the map is a record laid out like `schema` (the same schema, or
    /// one with the same field names); `.none` when it is not, `.some(nil)` when the field is absent.
    @inline(__always)
    func slot(_ slot: Int, laidOutAs schema: CELRecordSchema) -> CELValue?? {
        guard case .record(let own, let values) = storage else { return .none }
        guard own === schema || own.fieldNames == schema.fieldNames else { return .none }
        return .some(values[slot])
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
            switch map.storage {
            case .entries(let entries, _):
                guard position < entries.count else { return nil }
                position += 1
                return entries[position - 1]
            case .record(let schema, let values):
                while position < values.count {
                    position += 1
                    if let value = values[position - 1] { return (.string(schema.fieldNames[position - 1]), value) }
                }
                return nil
            }
        }
    }

    /// Iterates the entries in order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of entries.
    public var underestimatedCount: Int { count }
}
