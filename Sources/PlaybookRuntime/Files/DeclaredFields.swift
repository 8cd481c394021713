import CEL
import Foundation
import PlaybookLanguage

/// The declared fields of a file's records (`fields:` in the playbook) and the schema their
/// records are laid out on, fields in declared order.
struct DeclaredLayout {
    let schema: CELRecordSchema
    let names: [String]
    let types: [ValueType]
    /// Whether each field is a timestamp, looked up for every value read.
    let isTimestamp: [Bool]
    private let kindsTakenAsRead: [KindTakenAsRead?]
    /// The names' UTF-8 bytes, to find a key's slot without building a `String` from it.
    private let nameBytes: [[UInt8]]
    /// Whether each name is written in JSON as it is, with nothing to escape.
    private let namesPlainInJSON: [Bool]

    init(fields: [(name: String, type: ValueType)], schema: CELRecordSchema?) {
        names = fields.map(\.name)
        nameBytes = names.map { Array($0.utf8) }
        namesPlainInJSON = nameBytes.map { !$0.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 } }
        types = fields.map(\.type)
        isTimestamp = types.map { $0 == .timestamp }
        kindsTakenAsRead = types.map(KindTakenAsRead.init)
        if let schema {
            precondition(schema.fieldNames == names, "the schema of a file's records lists its declared fields in order")
            self.schema = schema
        } else {
            self.schema = CELRecordSchema(fieldNames: names)
        }
    }

    /// The slot of the field named by the UTF-8 bytes `key`, or nil when no field is. Lines mostly
    /// list their fields in one order, so the slot after the previous key's is tried first.
    func slot(of key: UnsafeBufferPointer<UInt8>, after previous: Int) -> Int? {
        func isNamed(_ slot: Int) -> Bool {
            nameBytes[slot].count == key.count
                && (key.isEmpty || nameBytes[slot].withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 })
        }
        if previous + 1 < nameBytes.count, isNamed(previous + 1) { return previous + 1 }
        return nameBytes.indices.first(where: isNamed)
    }

    /// When `rest` (a line's bytes after a key's opening quote) starts with the name of the field
    /// declared after `slot` and a closing quote, the name's length; otherwise nil. Names holding
    /// a quote, a backslash or a control character never match, so that a key matched here is
    /// exactly the key a full reading of its string would give.
    @inline(__always)
    func lengthOfKey(after slot: Int, startingAt rest: UnsafeBufferPointer<UInt8>) -> Int? {
        let next = slot + 1
        guard next < nameBytes.count, namesPlainInJSON[next] else { return nil }
        let count = nameBytes[next].count
        guard count < rest.count, rest[count] == UInt8(ascii: "\"") else { return nil }
        let matches = nameBytes[next].withUnsafeBufferPointer { name in
            count == 0 || memcmp(name.baseAddress!, rest.baseAddress!, count) == 0
        }
        return matches ? count : nil
    }

    /// A record of one file line, fields not yet read absent.
    func emptyValues() -> [CELValue?] {
        // Filled in place: `init(repeating:count:)` copied the absent value into each slot through
        // the general copy of a CEL value, which cost a tenth of reading a line.
        [CELValue?](unsafeUninitializedCapacity: names.count) { slots, count in
            slots.initialize(repeating: nil)
            count = names.count
        }
    }

    /// Whether a value read from JSON goes into its field as it is, already of the field's type
    /// (the cases in which `FieldConversion.json` gives the value back), so that the common case
    /// skips converting.
    @inline(__always)
    func takesAsRead(_ value: CELValue, at slot: Int) -> Bool {
        switch (kindsTakenAsRead[slot], value) {
        case (.any?, _), (.string?, .string), (.int?, .int), (.double?, .double), (.bool?, .bool), (.list?, .list), (.map?, .map): true
        default: false
        }
    }

    /// The values a field takes as read from JSON, by the field's type; nil for types every value
    /// of which is converted (timestamps, durations, bytes, typed lists and maps).
    private enum KindTakenAsRead {
        case any, string, int, double, bool, list, map

        init?(_ type: ValueType) {
            switch type {
            case .dyn: self = .any
            case .string: self = .string
            case .int: self = .int
            case .double: self = .double
            case .bool: self = .bool
            case .list(.dyn): self = .list
            case .map(.dyn), .object: self = .map
            default: return nil
            }
        }
    }
}

/// Converts values read from a file to the declared type of their field.
///
/// JSON: `null` is kept whatever the type; an int field takes an integral number, also written
/// with a fraction or exponent (`3.0`, `3e2`) as long as it is whole and fits; a double field
/// takes any number; timestamps, durations and bytes are strings (RFC 3339, `90s`, base64).
/// CSV: every cell is text; see `csv(_:as:)`.
enum FieldConversion {
    /// A field whose value does not fit its declared type.
    struct Mismatch: Error {
        var field: String
        var type: ValueType
        var given: CELValue
    }

    /// A map read from JSON as a record on `layout`, each field converted to its declared type
    /// (`fields`); fields the layout lacks are left out. Fails on the first field that does not fit.
    static func record(_ map: CELMap, fields: [ValueType.Field], layout: CELRecordSchema) -> Result<Record, Mismatch> {
        var values: [CELValue?] = []
        values.reserveCapacity(layout.fieldNames.count)
        for name in layout.fieldNames {
            guard let given = map[name] else { values.append(nil); continue }
            let type = fields.first { $0.name == name }?.type ?? .dyn
            guard let converted = json(given, as: type) else { return .failure(Mismatch(field: name, type: type, given: given)) }
            values.append(converted)
        }
        return .success(Record(schema: layout, values: values))
    }

    /// `value`, read from JSON, as `type`; nil when it does not fit.
    static func json(_ value: CELValue, as type: ValueType) -> CELValue? {
        if case .null = value { return value }
        switch (type, value) {
        case (.dyn, _), (.string, .string), (.int, .int), (.double, .double), (.bool, .bool):
            return value
        case (.int, .double(let number)):
            return Int64(exactly: number).map(CELValue.int)
        case (.double, .int(let number)):
            return .double(Double(number))
        case (.double, .uint(let number)):
            return .double(Double(number))
        case (.timestamp, .string(let text)):
            return CELTimestamp(rfc3339: text).map(CELValue.timestamp)
        case (.duration, .string(let text)):
            return CELDuration(text: text).map(CELValue.duration)
        case (.bytes, .string(let text)):
            return Data(base64Encoded: text).map { .bytes(Array($0)) }
        case (.list(.dyn), .list), (.map(.dyn), .map), (.object, .map):
            return value
        case (.list(let elementType), .list(let elements)):
            var converted: [CELValue] = []
            converted.reserveCapacity(elements.count)
            for element in elements {
                guard let element = json(element, as: elementType) else { return nil }
                converted.append(element)
            }
            return .list(converted)
        case (.map(let valueType), .map(let map)):
            var converted = CELMap()
            for (key, element) in map {
                guard let element = json(element, as: valueType) else { return nil }
                try? converted.insert(key, element)
            }
            return .map(converted)
        default:
            return nil
        }
    }

    /// The text of a non-empty CSV cell as `type`; nil when it does not fit. An int is an
    /// optional sign and digits; a double is decimal or exponent notation (no hex, `inf` or
    /// `nan`); a bool is `true` or `false` in any case; lists and maps are JSON text; a `dyn`
    /// field keeps the text, since CSV has no types to go by.
    static func csv(_ text: String, as type: ValueType) -> CELValue? {
        switch type {
        case .string, .dyn:
            return .string(text)
        case .int:
            return Int64(text).map(CELValue.int)
        case .double:
            guard isDecimalNumber(text), let number = Double(text), number.isFinite else { return nil }
            return .double(number)
        case .bool:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .timestamp, .duration, .bytes:
            return json(.string(text), as: type)
        case .list, .map, .object:
            guard let value = try? JSONText.decode(text.utf8) else { return nil }
            return json(value, as: type)
        }
    }

    /// Whether `text` is `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`): what a double is in a CSV cell.
    static func isDecimalNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let wholeDigits = bytes.prefix { isDigit($0) }.count
        bytes = bytes.dropFirst(wholeDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix { isDigit($0) }.count
            bytes = bytes.dropFirst(fractionDigits)
        }
        guard wholeDigits + fractionDigits > 0 else { return false }
        if let first = bytes.first, first | 0x20 == UInt8(ascii: "e") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponentDigits = bytes.prefix { isDigit($0) }.count
            guard exponentDigits > 0 else { return false }
            bytes = bytes.dropFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A value as quoted in a reason: its JSON text, cut to about 100 characters.
    static func shown(_ value: CELValue) -> String { LineProblem.cut(JSONText.string(value)) }
}
