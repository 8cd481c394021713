/// Swift literals for CEL values, so callers can write `["score": 91, "tags": ["vip"]]`.
extension CELValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// `nil` is CEL `null`.
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Integer literals are CEL ints; write `.uint(…)` for a uint.
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CELValue...) { self = .list(elements) }
    /// A map with string keys, in the order written.
    public init(dictionaryLiteral elements: (String, CELValue)...) {
        var map = CELMap()
        for (key, value) in elements { try? map.insert(.string(key), value) }
        self = .map(map)
    }
}
