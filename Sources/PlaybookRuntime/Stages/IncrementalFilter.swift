import CEL
import Diagnostics
import PlaybookLanguage

/// An incremental fetch's rule: a record goes on when its cursor is past the committed one, or
/// equal to it and not among the records already delivered at that value (platforms whose cursor
/// values repeat are read from the value itself). A record without a cursor value goes on: it
/// cannot be judged, and dropping it could lose a lead. It also tracks the cursor reached by the
/// records delivered.
struct IncrementalFilter {
    let field: String
    let type: ValueType
    private let from: CELValue?
    private let deliveredAtFrom: Set<String>
    private(set) var reached: IncrementalCursor?
    private var reachedValue: CELValue?
    /// The keys of `reached`, to look one up without going through the list: a platform that
    /// changes thousands of records in one second gives thousands of them.
    private var keysAtReached: Set<String>

    init(field: String, type: ValueType, from: IncrementalCursor?) {
        self.field = field
        self.type = type
        self.from = from.flatMap { Self.value(of: $0.value, as: type) }
        deliveredAtFrom = Set(from?.keysAtValue ?? [])
        reached = from
        reachedValue = self.from
        keysAtReached = Set(from?.keysAtValue ?? [])
    }

    /// The records that are new since the committed cursor.
    func keepNew(_ records: [Record]) -> [Record] {
        guard let from else { return records }
        return records.filter { record in
            guard let value = record[field] else { return true }
            switch Self.order(value, from) {
            case 1?: return true
            case 0?: return !deliveredAtFrom.contains(Self.key(of: record))
            case nil: return true
            default: return false
            }
        }
    }

    /// Moves the reached cursor over records passed on.
    mutating func delivered(_ records: [Record]) {
        for record in records {
            guard let value = record[field] else { continue }
            let key = Self.key(of: record)
            let order = reachedValue.map { Self.order(value, $0) } ?? 1
            if order == 1 {
                reachedValue = value
                reached = IncrementalCursor(value: value.plainJSON, keysAtValue: [key])
                keysAtReached = [key]
            } else if order == 0, reached != nil, keysAtReached.insert(key).inserted {
                reached?.keysAtValue.append(key)
            }
        }
    }

    /// -1, 0 or 1; nil when the two cannot be ordered.
    private static func order(_ lhs: CELValue, _ rhs: CELValue) -> Int? {
        guard case .success(let order?) = CELValue.compare(lhs, rhs, "_<_") else { return nil }
        return order
    }

    /// The record's identity among those with one cursor value: its `id`, or all of it.
    static func key(of record: Record) -> String {
        if let id = record["id"], let text = JSONPath.text(id.plainJSON) { return text }
        return JSONText.string(.map(record))
    }

    private static func value(of json: JSONValue, as type: ValueType) -> CELValue? {
        let value = PlatformRecords.cel(json)
        return FieldConversion.json(value, as: type) ?? value
    }
}
