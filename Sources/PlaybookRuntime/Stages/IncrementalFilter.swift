import CEL
import Diagnostics
import PlaybookLanguage

/// An incremental fetch's rule: a record goes on when its cursor is past the committed one, or
/// equal to it and not among the records already delivered at that value (platforms whose cursor
/// values repeat are read from the value itself). A record without a cursor value goes on: it
/// cannot be judged, and dropping it could lose a lead. It also tracks the cursor reached by the
/// records delivered.
struct IncrementalFilter {
    private let from: CELValue?
    private let deliveredAtFrom: Set<String>
    /// The cursor before this run delivered anything: the one committed, or the start.
    private let committed: IncrementalCursor?
    /// The largest cursor value delivered, when a record went past `committed`.
    private var reachedValue: CELValue?
    /// The keys of the records delivered at the reached value (with the committed cursor's own,
    /// until a record goes past it), in order; and as a set, once there are enough of them to be
    /// worth one, to look one up without going through the list: a platform that changes
    /// thousands of records in one second gives thousands of them. Most values are reached by one
    /// record, and a set made for each would cost more than the rest of the record's bookkeeping.
    private var keysAtReached: [String]
    private var keySet: Set<String>?
    private var cursorField: FieldReader
    private var idField = FieldReader("id")

    init(field: String, type: ValueType, from: IncrementalCursor?) {
        self.from = from.flatMap { Self.value(of: $0.value, as: type) }
        deliveredAtFrom = Set(from?.keysAtValue ?? [])
        committed = from
        reachedValue = self.from
        keysAtReached = from?.keysAtValue ?? []
        cursorField = FieldReader(field)
    }

    /// The cursor reached by the records delivered; made once, when asked, rather than for each
    /// record that moves it.
    var reached: IncrementalCursor? {
        guard let reachedValue else { return committed }
        if let committed, let from, reachedValue.isEqual(to: from) {
            return IncrementalCursor(value: committed.value, keysAtValue: keysAtReached)
        }
        return IncrementalCursor(value: reachedValue.plainJSON, keysAtValue: keysAtReached)
    }

    /// The records that are new since the committed cursor.
    mutating func keepNew(_ records: [Record]) -> [Record] {
        guard let from else { return records }
        return records.filter { record in
            guard let value = cursorField.value(in: record) else { return true }
            switch Self.order(value, from) {
            case 1?: return true
            case 0?: return !deliveredAtFrom.contains(key(of: record))
            case nil: return true
            default: return false
            }
        }
    }

    /// Moves the reached cursor over records passed on.
    mutating func delivered(_ records: [Record]) {
        for record in records {
            guard let value = cursorField.value(in: record) else { continue }
            let order = reachedValue.map { Self.order(value, $0) } ?? 1
            if order == 1 {
                reachedValue = value
                let key = key(of: record)
                keysAtReached.removeAll(keepingCapacity: true)
                keysAtReached.append(key)
                keySet = nil
            } else if order == 0 {
                let key = key(of: record)
                if !holdsKeyAtReached(key) {
                    keysAtReached.append(key)
                    keySet?.insert(key)
                }
            }
        }
    }

    private mutating func holdsKeyAtReached(_ key: String) -> Bool {
        if keysAtReached.count < 16 { return keysAtReached.contains(key) }
        if keySet == nil { keySet = Set(keysAtReached) }
        return keySet!.contains(key)
    }

    /// The record's identity among those with one cursor value: its `id`, or all of it.
    private mutating func key(of record: Record) -> String {
        if let id = idField.value(in: record), let text = Self.text(of: id) { return text }
        return JSONText.string(.map(record))
    }

    /// -1, 0 or 1; nil when the two cannot be ordered.
    private static func order(_ lhs: CELValue, _ rhs: CELValue) -> Int? {
        guard case .success(let order?) = CELValue.compare(lhs, rhs, "_<_") else { return nil }
        return order
    }

    /// An id as the cursor keeps it: a string as it is, a number's digits, as `JSONPath.text`
    /// gives them for the value's JSON, without making the JSON first for the common two.
    private static func text(of id: CELValue) -> String? {
        switch id {
        case .string(let text): text
        case .int(let number): StepLedger.digits(of: number)
        default: JSONPath.text(id.plainJSON)
        }
    }

    private static func value(of json: JSONValue, as type: ValueType) -> CELValue? {
        let value = PlatformRecords.cel(json)
        return FieldConversion.json(value, as: type) ?? value
    }
}
