/// How the formatter writes a scalar that is not a block scalar.
///
/// Whether a scalar is quoted is never changed: in a playbook it is part of the value (`"50"` is
/// text where `50` is a number, `"yes"` is text where `yes` is a mistake). Only the kind of quotes
/// is made canonical.
enum ScalarSpelling {
    /// A quoted scalar: in double quotes, unless the text holds a `"` or a `\` (then in single
    /// quotes, so that it needs no escapes), or characters only escapes can write (then in double
    /// quotes with escapes).
    static func quoted(_ text: String) -> String {
        if text.unicodeScalars.contains(where: needsEscape) { return doubleQuoted(text) }
        if text.contains("\"") || text.contains("\\") {
            return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        }
        return "\"" + text + "\""
    }

    /// Characters that quoted text can hold only as an escape: control characters, line and
    /// paragraph separators, and the byte order mark.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF: true
        default: false
        }
    }

    private static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
