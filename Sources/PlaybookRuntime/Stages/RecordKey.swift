import CEL

/// A value used as a key (a join key, a dedupe key, a group): equal when CEL's `==` says so, so
/// that `1` and `1.0` are one key.
struct RecordKey: Hashable, @unchecked Sendable {
    let value: CELValue

    init(_ value: CELValue) { self.value = value }

    static func == (lhs: RecordKey, rhs: RecordKey) -> Bool { lhs.value.isEqual(to: rhs.value) }

    func hash(into hasher: inout Hasher) {
        if let number = Self.wholeNumber(value) { return hasher.combine(number) }
        switch value {
        case .string(let text): hasher.combine(text)
        case .uint(let number): hasher.combine(number)
        case .double(let number): hasher.combine(number)
        case .bool(let flag): hasher.combine(flag)
        case .null: hasher.combine(0 as UInt8)
        case .timestamp(let time): hasher.combine(time)
        case .duration(let duration): hasher.combine(duration.nanos)
        default: hasher.combine(value.rendered)
        }
    }

    /// A number of whole value as an `Int64` (an int, or a uint or double that is one): keys that
    /// are the same whole number hash alike whatever their kind, and only they.
    static func wholeNumber(_ value: CELValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .uint(let number): Int64(exactly: number)
        case .double(let number): Int64(exactly: number)
        default: nil
        }
    }
}

/// A group of an aggregate: the values of its `group_by` fields.
struct GroupKey: Hashable, @unchecked Sendable {
    let values: [RecordKey]
}
