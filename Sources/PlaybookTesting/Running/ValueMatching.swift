import CEL
import PlaybookLanguage
import PlaybookRuntime

/// How a value written in a test file is compared with a value a run produced. Types are kept:
///
/// - a whole number (`80`) matches an int (or uint) of the same value, never a double;
/// - a number with a fraction or exponent (`80.0`, `1e3`) matches a double within a relative
///   tolerance of 1e-9, so rounding in the last digit does not fail a test; never an int;
/// - text matches a string with the same text; a timestamp when it is an RFC 3339 time of the same
///   instant (`2026-03-02T10:00:00+01:00` matches 09:00 UTC); a duration when it reads as one
///   (`90m`, `1h30m` or `5400s`);
/// - `true`/`false` match bools, `null` (or an empty value) matches null only, never a missing field;
/// - lists match element by element in order, maps key by key (every key, in any order).
enum ValueMatching {
    static func matches(_ expected: CELValue, _ actual: CELValue) -> Bool {
        switch (expected, actual) {
        case (.null, .null): return true
        case (.bool(let e), .bool(let a)): return e == a
        case (.int(let e), .int(let a)): return e == a
        case (.int(let e), .uint(let a)): return e >= 0 && UInt64(e) == a
        case (.double(let e), .double(let a)):
            if e == a { return true }
            return abs(e - a) <= 1e-9 * max(1, abs(e), abs(a))
        case (.string(let e), .string(let a)): return e == a
        case (.string(let e), .timestamp(let a)): return CELTimestamp(rfc3339: e) == a
        case (.string(let e), .duration(let a)): return duration(e) == a
        case (.list(let e), .list(let a)):
            return e.count == a.count && zip(e, a).allSatisfy(matches)
        case (.map(let e), .map(let a)):
            guard e.count == a.count else { return false }
            return e.allSatisfy { entry in a[entry.key].map { matches(entry.value, $0) } ?? false }
        default: return false
        }
    }

    /// Text as a duration: playbook syntax (`1h30m`) or seconds as JSON writes them (`5400s`).
    private static func duration(_ text: String) -> CELDuration? {
        if let literal = DurationLiteral.parse(text, allowZero: true).value { return CELDuration(milliseconds: literal.milliseconds) }
        return CELDuration(text: text)
    }

    /// A value for messages: JSON text, types kept (`"PL"`, `80`, `80.0`).
    static func text(_ value: CELValue) -> String { JSONText.string(value) }

    /// `expected 80, got 80.0 (a double)`: the type is named when the texts alone could mislead.
    static func mismatch(_ expected: CELValue, _ actual: CELValue) -> String {
        let expectedText = text(expected)
        let actualText = text(actual)
        if kind(expected) != kind(actual) {
            return "expected \(expectedText) (\(kind(expected))), got \(actualText) (\(kind(actual)))"
        }
        return "expected \(expectedText), got \(actualText)"
    }

    /// The type of a value in words.
    static func kind(_ value: CELValue) -> String {
        switch value {
        case .int, .uint: "int"
        case .double: "double"
        case .string: "string"
        case .bool: "bool"
        case .null: "null"
        case .timestamp: "timestamp"
        case .duration: "duration"
        case .list: "list"
        case .map: "map"
        default: value.celType.runtimeName
        }
    }
}
