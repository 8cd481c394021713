import Diagnostics
import Foundation

/// The readings and writings the platforms share. A client may write a count as `100` or `100.0`,
/// so every whole number reads as an integer, and answers write whole doubles without a fraction, as
/// the sandbox always has.
extension JSONValue {
    /// Parses `data`, or returns nil when it is not UTF-8 JSON.
    public static func parse(_ data: Data) -> JSONValue? {
        guard let text = String(validating: data, as: UTF8.self) else { return nil }
        return try? JSONValue(parsing: text)
    }

    /// A string, or null when absent.
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The text of a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The items of an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members of an object, in order.
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// A whole number, whether written `100` or `100.0`, or a string holding one.
    public var intValue: Int? {
        switch self {
        case .int(let value): Int(exactly: value)
        case .double(let value): Self.wholeNumber(value)
        case .string(let value): Int(value)
        default: nil
        }
    }

    /// The value of a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A scalar as text, the way platforms that keep every value as a string store it.
    public var textValue: String? {
        switch self {
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): Self.wholeNumber(value).map { String($0) } ?? String(value)
        case .null, .array, .object: nil
        }
    }

    /// Compact JSON text, a whole double written as an integer (`120`, not `120.0`).
    public var serialized: String { wholeNumbersAsIntegers.text }

    /// Compact JSON as UTF-8 bytes.
    public var data: Data { Data(serialized.utf8) }

    private var wholeNumbersAsIntegers: JSONValue {
        switch self {
        case .double(let value): Self.wholeNumber(value).map(JSONValue.int) ?? self
        case .array(let items): .array(items.map(\.wholeNumbersAsIntegers))
        case .object(let members): .object(members.map { ($0.0, $0.1.wholeNumbersAsIntegers) })
        case .null, .bool, .int, .string: self
        }
    }

    /// `value` as an `Int` when it has no fraction and is small enough to print without an exponent.
    private static func wholeNumber(_ value: Double) -> Int? {
        value == value.rounded() && abs(value) < 1e15 ? Int(value) : nil
    }
}

/// Answers are written as literals (`["status": "ok", "count": 3]`): an integer literal is `.int`, a
/// fractional one `.double`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
}
