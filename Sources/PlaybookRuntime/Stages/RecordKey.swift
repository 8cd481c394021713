import CEL

/// A value used as a key (a join key, a dedupe key, a group): equal when CEL's `==` says so, so
/// that `1` and `1.0` are one key.
struct RecordKey: Hashable, @unchecked Sendable {
    let value: CELValue

    init(_ value: CELValue) { self.value = value }

    static func == (lhs: RecordKey, rhs: RecordKey) -> Bool { lhs.value.isEqual(to: rhs.value) }

    func hash(into hasher: inout Hasher) {
        switch value {
        case .string(let text): hasher.combine(text)
        case .int(let number): hasher.combine(number)
        case .uint(let number):
            if let exact = Int64(exactly: number) { hasher.combine(exact) } else { hasher.combine(number) }
        case .double(let number):
            if let exact = Int64(exactly: number) { hasher.combine(exact) } else { hasher.combine(number) }
        case .bool(let flag): hasher.combine(flag)
        case .null: hasher.combine(0 as UInt8)
        case .timestamp(let time): hasher.combine(time)
        case .duration(let duration): hasher.combine(duration.nanos)
        default: hasher.combine(value.rendered)
        }
    }
}

/// A group of an aggregate: the values of its `group_by` fields.
struct GroupKey: Hashable, @unchecked Sendable {
    let values: [RecordKey]
}
