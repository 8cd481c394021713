/// A side table keyed by expression id. Ids are small consecutive integers, so an array indexed by id
/// replaces a hash table: no hashing on the parser's and checker's hottest paths.
public struct CELSideTable<Value: Sendable>: Sendable {
    private var slots: [Value?] = []

    public init() {}

    /// Makes room for ids below `count` without reallocating.
    public mutating func reserveCapacity(_ count: Int) { slots.reserveCapacity(count) }

    public subscript(id: CELExprID) -> Value? {
        get { id >= 0 && id < slots.count ? slots[id] : nil }
        set {
            guard id >= 0 else { return }
            if id == slots.count {
                // Ids are handed out in order, so this is the common case.
                slots.append(newValue)
            } else if id > slots.count {
                guard newValue != nil else { return }
                slots.reserveCapacity(id + 1)
                while slots.count < id { slots.append(nil) }
                slots.append(newValue)
            } else {
                slots[id] = newValue
            }
        }
    }

    /// The number of entries with a value.
    public var count: Int { slots.count { $0 != nil } }

    /// Whether no entry has a value.
    public var isEmpty: Bool { !slots.contains { $0 != nil } }

    public func mapValues<T: Sendable>(_ transform: (Value) throws -> T) rethrows -> CELSideTable<T> {
        var table = CELSideTable<T>()
        for (id, value) in slots.enumerated() {
            if let value { table[id] = try transform(value) }
        }
        return table
    }
}
