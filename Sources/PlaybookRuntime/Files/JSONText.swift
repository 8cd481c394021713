import CEL
import Diagnostics
import Foundation

/// CEL values as JSON text, types kept as far as JSON can: used by the JSON Lines writer, dead
/// letters, summaries and tests.
///
/// ints and uints are written in decimal; doubles in the shortest form that reads back to the
/// same double, always with a `.` or an exponent so they read back as doubles (`2.0`, `1e+21`);
/// timestamps as RFC 3339 text in UTC; durations as seconds (`"5400s"`); bytes as base64 text;
/// map keys that are ints, uints or bools as their text.
public enum JSONText {
    /// A value JSON cannot hold.
    struct UnwritableValue: Error {
        /// Why, for people.
        var reason: String
    }

    /// Appends the JSON text of `value`. Values JSON cannot hold are still written, so that
    /// nothing is lost from a dead letter: a NaN or infinite double as the text `"NaN"`,
    /// `"Infinity"`, `"-Infinity"`, a type as its name, an error as `{"error": message}`.
    public static func encode(_ value: CELValue, into output: inout [UInt8]) {
        // Lenient encoding writes every value.
        try? encode(value, into: &output, strict: false)
    }

    /// The JSON text of `value`, written as `encode(_:into:)` writes it.
    public static func string(_ value: CELValue) -> String {
        var output: [UInt8] = []
        encode(value, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The JSON array of `texts` as strings, as `string(.list(texts.map(CELValue.string)))` writes
    /// it without wrapping each text in a value first (the run state writes its keys so).
    public static func array(ofStrings texts: [String]) -> String {
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(texts.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, text) in texts.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.appendQuoted(text, into: &output)
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }

    /// The one JSON value in `bytes` (surrounding whitespace allowed), read as the JSON Lines reader
    /// reads values: integers as `int` (`uint`, then `double`, when too large), other numbers
    /// as `double`, objects as maps in key order.
    public static func decode(_ bytes: some Collection<UInt8>) throws(JSONTextError) -> CELValue {
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { (buffer) throws(JSONTextError) -> CELValue in
            var parser = JSONParser(buffer)
            do throws(LineProblem) {
                let value = try parser.parseValue()
                guard parser.isAtEnd() else { throw .syntax("expected the end of the text", at: parser.position) }
                return value
            } catch {
                throw JSONTextError(reason: error.reason(in: buffer))
            }
        }
    }

    /// Appends an integer's decimal digits, without making its text first.
    private static func appendDecimal(_ magnitude: UInt64, negative: Bool, into output: inout [UInt8]) {
        if negative { output.append(UInt8(ascii: "-")) }
        // Written from the last digit back into a buffer on the stack, then copied once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var first = digits.count
            var rest = magnitude
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }

    /// Appends `value`; with `strict`, refuses values JSON cannot hold (NaN and infinite
    /// doubles, types, errors) instead of writing a stand-in.
    static func encode(_ value: CELValue, into output: inout [UInt8], strict: Bool) throws(UnwritableValue) {
        switch value {
        case .null: append("null", to: &output)
        case .bool(let flag): append(flag ? "true" : "false", to: &output)
        case .int(let number): appendDecimal(number.magnitude, negative: number < 0, into: &output)
        case .uint(let number): appendDecimal(number, negative: false, into: &output)
        case .double(let number):
            if number.isFinite {
                output.append(contentsOf: doubleText(number).utf8)
            } else if strict {
                throw UnwritableValue(reason: "the double \(value.rendered) has no JSON form")
            } else {
                JSONValue.appendQuoted(value.rendered, into: &output)
            }
        case .string(let text): JSONValue.appendQuoted(text, into: &output)
        case .bytes(let bytes): JSONValue.appendQuoted(Data(bytes).base64EncodedString(), into: &output)
        case .timestamp(let timestamp):
            // The text has nothing to escape.
            output.append(UInt8(ascii: "\""))
            timestamp.appendRFC3339(to: &output)
            output.append(UInt8(ascii: "\""))
        case .duration(let duration): JSONValue.appendQuoted(duration.text, into: &output)
        case .list(let elements):
            output.append(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try encode(elements[index], into: &output, strict: strict)
            }
            output.append(UInt8(ascii: "]"))
        case .map(let map):
            output.append(UInt8(ascii: "{"))
            var first = true
            func member(_ name: String, _ element: CELValue) throws(UnwritableValue) {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.appendQuoted(name, into: &output)
                output.append(UInt8(ascii: ":"))
                try encode(element, into: &output, strict: strict)
            }
            if let schema = map.schema, let values = map.recordValues {
                // A record laid out by a schema: its fields by position, each key's text made once
                // for the schema.
                let keys = schema.jsonKeys
                for slot in values.indices {
                    guard let value = values[slot] else { continue }
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    output.append(contentsOf: keys[slot])
                    try encode(value, into: &output, strict: strict)
                }
            } else {
                for (key, element) in map {
                    if case .string(let name) = key { try member(name, element) } else { try member(key.rendered, element) }
                }
            }
            output.append(UInt8(ascii: "}"))
        case .optional(let inner):
            try encode(inner ?? .null, into: &output, strict: strict)
        case .type(let type):
            if strict { throw UnwritableValue(reason: "a type (\(type.runtimeName)) is not data and cannot be written") }
            JSONValue.appendQuoted(type.runtimeName, into: &output)
        case .error(let error):
            if strict { throw UnwritableValue(reason: "an error value cannot be written: \(error.message)") }
            append("{\"error\":", to: &output)
            JSONValue.appendQuoted(error.message, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The shortest text that reads back to the same double, with a `.` or an exponent so that
    /// it reads back as a double: `2.0`, `0.1`, `1e+21`. (CEL's `string(2.0)` is `2`.)
    static func doubleText(_ number: Double) -> String { number.description }

    @inline(__always)
    static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

/// JSON text that could not be read: why and where.
public struct JSONTextError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, with the column.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}
