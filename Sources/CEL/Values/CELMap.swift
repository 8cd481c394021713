/// A CEL map: keys are bool, int, uint or string; int, uint and integral double keys that are equal
/// as numbers find the same entry. Iteration follows insertion order so results are deterministic.
///
/// Small maps (most records) are searched linearly, which beats hashing for a dozen short keys;
/// larger ones get a hash index.
public struct CELMap: Sendable {
    /// Entries in insertion order.
    public private(set) var entries: [(key: CELValue, value: CELValue)] = []
    private var index: [Key: Int]?

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
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { try insert(key, value) }
    }

    /// A map with string keys, in key order.
    public init(_ dictionary: [String: CELValue]) {
        for key in dictionary.keys.sorted() { try? insert(.string(key), dictionary[key]!) }
    }

    /// The number of entries.
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys in insertion order.
    public var keys: [CELValue] { entries.map(\.key) }

    private func position(of key: Key) -> Int? {
        if let index { return index[key] }
        for (offset, entry) in entries.enumerated() {
            if let stored = Key(storing: entry.key), stored.matches(key) { return offset }
        }
        return nil
    }

    /// Adds an entry; a key that is already present or cannot be a key is an error.
    public mutating func insert(_ key: CELValue, _ value: CELValue) throws(CELError) {
        guard let normalised = Key(storing: key) else {
            throw CELError("unsupported key type '\(key.celType.runtimeName)' in map")
        }
        guard position(of: normalised) == nil else { throw CELError("Failed with repeated key: \(key.debugText)") }
        entries.append((key, value))
        if index != nil {
            index![normalised] = entries.count - 1
        } else if entries.count > CELMap.linearLimit {
            var built: [Key: Int] = [:]
            built.reserveCapacity(entries.count * 2)
            for (offset, entry) in entries.enumerated() { built[Key(storing: entry.key)!] = offset }
            index = built
        }
    }

    /// The value for a key, or nil when absent (also for keys of a type maps cannot hold).
    public subscript(key: CELValue) -> CELValue? {
        guard let normalised = Key(lookup: key), let found = position(of: normalised) else { return nil }
        return entries[found].value
    }

    /// Fast path for field selection.
    public subscript(field: String) -> CELValue? {
        if let index {
            guard let found = index[.string(field)] else { return nil }
            return entries[found].value
        }
        // Through the buffer, so scanning does not copy (and retain) every entry.
        return entries.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                if case .string(let name) = buffer[index].key, StringBytes.equal(name, field) { return buffer[index].value }
            }
            return nil
        }
    }

    /// Whether `key` is present.
    func contains(_ key: CELValue) -> Bool { self[key] != nil }
}
