import CEL
import Foundation
import PlaybookLanguage

/// The declared fields of a file's records (`fields:` in the playbook) and the schema their
/// records are laid out on, fields in declared order. A class: a reader takes it up for every line,
/// and copying a structure of six arrays counted six references each time.
final class DeclaredLayout {
    let schema: CELRecordSchema
    let names: [String]
    let types: [ValueType]
    /// How each field's values are read from JSON, worked out from its type once.
    private let readings: [Reading?]
    /// The names' UTF-8 bytes, to find a key's slot without building a `String` from it.
    private let nameBytes: [[UInt8]]
    /// Whether each name is written in JSON as it is, with nothing to escape.
    private let namesPlainInJSON: [Bool]

    init(fields: [(name: String, type: ValueType)], schema: CELRecordSchema?) {
        names = fields.map(\.name)
        nameBytes = names.map { Array($0.utf8) }
        namesPlainInJSON = nameBytes.map { !$0.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 } }
        types = fields.map(\.type)
        readings = types.map(Reading.init)
        if let schema {
            precondition(schema.fieldNames == names, "the schema of a file's records lists its declared fields in order")
            self.schema = schema
        } else {
            self.schema = CELRecordSchema(fieldNames: names)
        }
    }

    /// The slot of the field named by the UTF-8 bytes `key`, or nil when no field is. (A key in
    /// the declared order is found before this, by `lengthOfKey`.)
    func slot(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        nameBytes.indices.first { isName(at: $0, key) }
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
        guard count < rest.count, rest[count] == UInt8(ascii: "\""), isName(at: next, UnsafeBufferPointer(rebasing: rest[..<count])) else {
            return nil
        }
        return count
    }

    /// Whether the field at `slot` is named by the UTF-8 bytes `key`.
    @inline(__always)
    private func isName(at slot: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        nameBytes[slot].count == key.count
            && (key.isEmpty || nameBytes[slot].withUnsafeBytes { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 })
    }

    /// A record of one file line, fields not yet read absent.
    func emptyRecord() -> CELRecordBuilder { CELRecordBuilder(schema: schema) }

    /// Whether the field at `slot` is a timestamp, read from the line's bytes where it lies.
    @inline(__always)
    func readsTimestamp(at slot: Int) -> Bool { readings[slot] == .timestamp }

    /// Whether a value read from JSON goes into its field as it is, already of the field's type
    /// (the cases in which `FieldConversion.json` gives the value back), so that the common case
    /// skips converting.
    @inline(__always)
    func takesAsRead(_ value: CELValue, at slot: Int) -> Bool {
        switch (readings[slot], value) {
        case (.any?, _), (.string?, .string), (.int?, .int), (.double?, .double), (.bool?, .bool), (.list?, .list), (.map?, .map): true
        default: false
        }
    }

    /// How a field's values are read, by its type: taken as JSON gives them (any value, or those of
    /// one kind), or a timestamp parsed from its text in place; nil for types every value of which
    /// is converted (durations, bytes, typed lists and maps).
    private enum Reading {
        case any, string, int, double, bool, list, map, timestamp

        init?(_ type: ValueType) {
            switch type {
            case .dyn: self = .any
            case .string: self = .string
            case .int: self = .int
            case .double: self = .double
            case .bool: self = .bool
            case .list(.dyn): self = .list
            case .map(.dyn), .object: self = .map
            case .timestamp: self = .timestamp
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
        var values = CELRecordBuilder(schema: layout)
        for (slot, name) in layout.fieldNames.enumerated() {
            guard let given = map[name] else { continue }
            let type = fields.first { $0.name == name }?.type ?? .dyn
            guard let converted = json(given, as: type) else { return .failure(Mismatch(field: name, type: type, given: given)) }
            values[slot] = converted
        }
        return .success(values.record())
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
