import YAML

/// Reads scalars as the type a field needs. YAML's own typing (YAML 1.1 `yes`, `0777` as octal) is
/// never applied: a field decides what its text means.
enum ScalarReading {
    /// A plain decimal integer: optional sign, digits, no leading zeros, no separators.
    static func integer(_ text: String, style: ScalarStyle) -> Int? {
        guard style == .plain else { return nil }
        var text = text
        return text.withUTF8 { integer($0, style: style) }
    }

    /// `integer(_:style:)` over the UTF-8 bytes a node lends (`YAMLNode.withScalarUTF8`), so that a
    /// number is read without making a `String` of it.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, style: ScalarStyle) -> Int? {
        guard style == .plain else { return nil }
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(ASCII.isDigit) else { return nil }
        if digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }
        // Accumulated negatively so that Int.min reads; overflow means the text is out of range.
        var value = 0
        for digit in digits {
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, underflowed) = shifted.subtractingReportingOverflow(Int(digit &- UInt8(ascii: "0")))
            guard !overflowed, !underflowed else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    /// A plain decimal number with an optional fraction and exponent; not `.inf` or `.nan`.
    static func number(_ text: String, style: ScalarStyle) -> Double? {
        guard style == .plain, !text.isEmpty else { return nil }
        let allowed = text.utf8.allSatisfy {
            ASCII.between($0, UInt8(ascii: "0"), UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
        }
        guard allowed, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `true` or `false`, written plainly.
    static func boolean(_ text: String, style: ScalarStyle) -> Bool? {
        guard style == .plain else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}
