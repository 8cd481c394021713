import Diagnostics
extension CELValue {
    /// The value as text, as templates and `playbook eval` print it (rules below).
    public var rendered: String { Render.text(self) }
}

/// Turns values into text: for `string(x)`, error messages and template interpolation.
///
/// Rules (documented in docs/expressions.md): strings as they are; ints and uints in decimal;
/// doubles in the shortest form that reads back to the same double (`0.30000000000000004`, `2`,
/// `1e+21`); bools `true`/`false`; null `null`; timestamps RFC 3339 in UTC; durations in seconds
/// (`90s`); bytes as UTF-8 text; lists and maps in JSON-like form.
enum Render {
    /// The text a template writes for a value.
    static func text(_ value: CELValue) -> String {
        switch value {
        case .string(let s): return s
        default: return literal(value, topLevel: true)
        }
    }

    /// JSON-like form; strings are quoted inside lists and maps.
    static func literal(_ value: CELValue, topLevel: Bool = false) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return double(d)
        case .string(let s): return quoted(s)
        case .bytes(let b): return topLevel ? String(decoding: b, as: UTF8.self) : quoted(String(decoding: b, as: UTF8.self))
        case .list(let elements): return "[" + elements.map { literal($0) }.joined(separator: ", ") + "]"
        case .map(let map):
            return "{" + map.entries.map { literal($0.key) + ": " + literal($0.value) }.joined(separator: ", ") + "}"
        case .timestamp(let t): return topLevel ? TimeFormat.format(t) : quoted(TimeFormat.format(t))
        case .duration(let d): return topLevel ? TimeFormat.format(d) : quoted(TimeFormat.format(d))
        case .type(let t): return t.runtimeName
        case .optional(let inner): return inner.map { literal($0, topLevel: topLevel) } ?? "null"
        case .error(let e): return "<error: \(e.message)>"
        }
    }

    /// JSON string quoting, shared with the diagnostic renderers (control characters as hex `\u` escapes).
    static func quoted(_ s: String) -> String { JSONValue.quoted(s) }

    /// Shortest round-trip decimal; integral values without `.0`; `NaN`, `Infinity`, `-Infinity`.
    static func double(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The shortest digits of a double and its decimal exponent: `0.0045` is ("45", -3).
    static func shortestDigits(_ d: Double) -> (digits: String, exponent: Int) {
        let text = abs(d).description
        var mantissa = text
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        if digits == "0" { point = 1 }
        return (digits, point - 1)
    }

    /// Go's `strconv.FormatFloat(d, 'g', -1, 64)`, which cel-go uses for `string(double)`.
    static func goFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let sign = d.sign == .minus ? "-" : ""
        let (digits, exponent) = shortestDigits(d)
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if exponent < 0 {
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        if digits.count <= exponent + 1 {
            return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return sign + digits[..<split] + "." + digits[split...]
    }
}
