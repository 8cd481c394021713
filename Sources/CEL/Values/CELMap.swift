/// A CEL map: keys are bool, int, uint or string; int, uint and integral double keys that are equal
/// as numbers find the same entry. Iteration follows insertion order so results are deterministic.
public struct CELMap: Sendable {
    public private(set) var entries: [(key: CELValue, value: CELValue)] = []
    private var index: [Key: Int] = [:]

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
    }

    public init() {}

    /// A map from key/value pairs; fails on an unsupported key type or a repeated key.
    public init(pairs: [(CELValue, CELValue)]) throws(CELError) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { try insert(key, value) }
    }

    /// A map with string keys.
    public init(_ dictionary: [String: CELValue]) {
        for key in dictionary.keys.sorted() {
            index[.string(key)] = entries.count
            entries.append((.string(key), dictionary[key]!))
        }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [CELValue] { entries.map(\.key) }

    /// Adds an entry; a key that is already present or cannot be a key is an error.
    public mutating func insert(_ key: CELValue, _ value: CELValue) throws(CELError) {
        guard let normalised = Key(storing: key) else {
            throw CELError("unsupported key type '\(key.celType.runtimeName)' in map")
        }
        guard index[normalised] == nil else { throw CELError("Failed with repeated key: \(key.debugText)") }
        index[normalised] = entries.count
        entries.append((key, value))
    }

    /// The value for a key, or nil when absent (also for keys of a type maps cannot hold).
    public subscript(key: CELValue) -> CELValue? {
        guard let normalised = Key(lookup: key), let position = index[normalised] else { return nil }
        return entries[position].value
    }

    /// Fast path for field selection.
    public subscript(field: String) -> CELValue? {
        guard let position = index[.string(field)] else { return nil }
        return entries[position].value
    }

    /// Whether `key` is present; errors only for key types no map can hold.
    func contains(_ key: CELValue) -> Bool { self[key] != nil }
}
