import Diagnostics
import Foundation

/// The texts of the expression language's diagnostics, in one place (as swift-syntax keeps its
/// parser's): where a problem is found, the code names the message; the wording lives here.
enum CELDiagnosticMessages {
    // MARK: - Limits

    static func tooLong(_ length: Int) -> String {
        "expression is \(length) bytes long; the limit is \(CELParserLimits.maxSourceLength)"
    }

    static let nestedTooDeeply = "expression is nested more than \(CELParserLimits.maxNestingDepth) levels deep"

    // MARK: - Tokens

    static let unterminatedQuotedName = "unterminated quoted field name"
    static let invalidQuotedName = "invalid quoted field name"
    static let singleEquals = "'=' is not an operator; use '==' to compare"
    static let singleAmpersand = "'&' is not an operator; use '&&'"
    static let singleBar = "'|' is not an operator; use '||'"
    static func unexpectedCharacter(_ character: String) -> String { "unexpected character '\(character)'" }
    static let hexNeedsDigits = "hexadecimal literal needs digits after '0x'"
    static let uppercaseHexPrefix = "a hexadecimal literal starts with a lowercase '0x'"
    static func uppercaseHexPrefixHelp(_ written: String) -> String { "write 0x\(written.dropFirst(2))" }
    static func pointWithoutDigits(_ written: String) -> String { "'\(written)' is not a number: digits must follow the decimal point" }
    static func pointWithoutDigitsHelp(_ written: String) -> String {
        "write \(written)0 for a double or \(written.dropLast()) for an int"
    }
    static let unterminatedString = "unterminated string literal"
    static let lineBreakInString = "line break in a single-quoted string; use a triple-quoted string or \\n"
    static let stringNotUTF8 = "string literal is not valid UTF-8"
    static let unterminatedEscape = "unterminated escape sequence"
    static let unicodeEscapeInBytes = "\\u and \\U escapes are not allowed in bytes literals"
    static func escapeNeedsHexDigits(_ count: Int) -> String { "escape needs \(count) hexadecimal digits" }
    static let octalEscapeNeedsDigits = "octal escape needs three digits"
    static func invalidEscape(_ character: String) -> String { "invalid escape sequence '\\\(character)'" }
    static let escapeNotScalar = "escape is not a valid Unicode code point"

    // MARK: - Syntax

    static func unexpectedAfterExpression(_ found: String) -> String { "unexpected \(found) after the expression" }

    /// The message and help for text left after a whole expression. The usual causes get their own
    /// words: `and`/`or`/`not` for the operators, and words meant as text (`Google Ads`), which an
    /// expression writes in quotes of its own.
    static func textAfterExpression(_ source: String, found range: SourceRange, described found: String) -> (message: String, help: String?) {
        let bytes = Array(source.utf8)
        guard range.start >= 0, range.end <= bytes.count, range.start < range.end else { return (unexpectedAfterExpression(found), nil) }
        switch String(decoding: bytes[range.start..<range.end], as: UTF8.self) {
        case "and": return ("'and' is not an operator; write '&&'", "expressions write 'and' as '&&' (and 'or' as '||', 'not' as '!')")
        case "or": return ("'or' is not an operator; write '||'", "expressions write 'or' as '||' (and 'and' as '&&', 'not' as '!')")
        case "not": return ("'not' is not an operator; write '!'", "expressions write 'not' as '!' (and 'and' as '&&', 'or' as '||')")
        default: break
        }
        // Plain words (letters, digits, spaces, a few marks) read as an expression: they were meant as text.
        let text = source.trimmingCharacters(in: .whitespaces)
        let plain = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || " -_&/'.".unicodeScalars.contains($0) }
        guard plain, text.contains(" "), !text.contains("'") else { return (unexpectedAfterExpression(found), nil) }
        return ("text in an expression needs its own quotes",
                "this field is an expression; to give it the text '\(text)', write it as a string inside the YAML value: '\"\(text)\"'")
    }

    static func expected(_ punct: String, _ context: String, found: String) -> String { "expected '\(punct)' \(context), found \(found)" }

    static func expectedMemberName(found: String) -> String { "expected a field or method name after '.', found \(found)" }

    static func expectedNameAfterLeadingDot(found: String) -> String { "expected a name after a leading '.', found \(found)" }

    static func expectedExpression(found: String) -> String { "expected an expression, found \(found)" }

    static let messageConstruction = "message construction is not supported"
    static let messageConstructionHelp = "use a map literal such as {\"field\": value}"

    static func reservedWord(_ name: String) -> String { "'\(name)' is a reserved word and cannot be used as a name" }
    static func keywordAsFieldName(_ name: String) -> String { "'\(name)' is a keyword and cannot be a field name after '.'" }
    static func reservedWordHelp(_ name: String) -> String { "quote a field name with backticks, e.g. record.`\(name)`" }

    /// Help for a parse error in an expression field that starts with `{{`.
    static let templateBracesInExpressionHelp =
        "this field holds a bare expression; write it without {{ }}, which is only for text templates"

    // MARK: - Literals

    static let intOutOfRange = "integer literal is out of range for a 64-bit int"
    static let intOutOfRangeHelp = "use a uint literal (suffix 'u') or a double"
    static let uintOutOfRange = "unsigned integer literal is out of range"
    static let invalidDouble = "invalid floating-point literal"

    static func invalidTimestamp(_ text: String) -> String { "invalid timestamp '\(text)'" }
    static let invalidTimestampHelp = "write RFC 3339, e.g. '2024-05-01T12:00:00Z'"

    static func invalidDuration(_ text: String) -> String { "invalid duration '\(text)'" }
    static func durationOutOfRange(_ text: String) -> String { "duration '\(text)' is out of range" }
    static let durationRangeHelp = "a duration is at most about 292 years either way (9223372036.854775807s)"
    static func timestampOutOfRange(_ text: String) -> String { "timestamp '\(text)' is out of range" }
    static let timestampRangeHelp = "timestamps run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z"
    static let invalidDurationHelp = "use the units h, m, s, ms, us, ns, e.g. '1h30m' (there is no unit for days: a day is '24h')"

    // MARK: - Macros

    static let hasNeedsSelection = "has() needs one field selection, e.g. has(record.email)"

    static func macroNeedsVariableNames(_ macro: String) -> String { "the first arguments of \(macro)() must be variable names" }

    static let bindArguments = "cel.bind() takes a name, a value and an expression"

    static func macroArgumentCount(_ name: String, _ count: Int) -> String {
        "\(name)() does not take \(count) argument\(count == 1 ? "" : "s")"
    }

    static func macroNeedsDistinctVariables(_ name: String) -> String { "\(name)() needs two different variable names" }

    // MARK: - Names

    static func unknownVariable(_ name: String) -> String { "unknown variable '\(name)'" }

    static func unknownField(_ field: String, on type: String) -> String { "unknown field '\(field)' on \(type)" }

    static func selectOnNonStringKeys(_ field: String, keyType: CELType) -> String {
        "cannot select field '\(field)' on a map with \(keyType) keys; use [ ] indexing"
    }

    static func noFields(_ type: CELType, selecting field: String) -> String { "type '\(type)' has no fields (selecting '\(field)')" }

    static func unknownFunction(_ name: String) -> String { "unknown function '\(name)'" }

    static func functionCalledAsMethod(_ function: String) -> String { "'\(function)' is a function, not a method" }
    static func functionCalledAsMethodHelp(_ function: String) -> String { "call it as \(function)(…)" }

    static func methodCalledAsFunction(_ function: String) -> String { "'\(function)' is a method; call it on a value, e.g. x.\(function)(…)" }

    // MARK: - Types

    static func notBool(_ what: String, _ type: CELType) -> String { "\(what) must be a bool, not '\(type)'" }
    static func operandOf(_ operator: String) -> String { "operand of '\(`operator`)'" }
    static let conditionOfTernary = "condition of '? :'"

    static func resultType(_ actual: CELType, expected: CELType) -> String {
        "expression has type '\(actual)' but '\(expected)' is expected"
    }

    static func optionalListElementNotOptional(_ type: CELType) -> String {
        "an optional list element ('?') must be optional, not '\(type)'"
    }

    static func invalidMapKeyType(_ type: CELType) -> String { "map keys must be bool, int, uint or string, not '\(type)'" }

    static func optionalMapEntryNotOptional(_ type: CELType) -> String {
        "an optional map entry ('?') needs an optional value, not '\(type)'"
    }

    static func notIterable(_ type: CELType) -> String { "cannot iterate over a value of type '\(type)'; expected a list or map" }

    static func conditionalBranchesDiffer(_ a: CELType, _ b: CELType) -> String {
        "the branches of '? :' have different types, '\(a)' and '\(b)'"
    }
    static let conditionalBranchesDifferHelp = "convert one branch, e.g. with string() or double(), or wrap both in dyn()"

    static func comparisonAlwaysSame(_ a: CELType, _ b: CELType, equals: Bool) -> String {
        "comparing '\(a)' with '\(b)' is always \(equals ? "false" : "true")"
    }
    static let comparisonAlwaysSameHelp = "convert one side so both have the same type"

    static func noMatchingOverload(_ function: String, _ arguments: String) -> String {
        "no matching overload for '\(function)' applied to (\(arguments))"
    }
    static let mixedNumbersHelp = "ints and doubles do not mix in arithmetic; convert with double(…) or int(…)"

    static func needsAnArgument(_ name: String) -> String { "\(name)() needs at least one argument" }

    static func takesNumbers(_ name: String, _ type: CELType, argument: Int) -> String {
        "\(name)() takes numbers, not '\(type)' (argument \(argument))"
    }

    // MARK: - Templates

    /// A template's `{{` without its `}}`.
    static let unterminatedInterpolation = "'{{' has no matching '}}'"
    /// How to write literal braces in a template.
    static let unterminatedInterpolationHelp = "close it with '}}', as in {{ record.first_name }}; for braces as text, write {{ \"{{\" }}"
    /// A template's `{{ }}` with nothing inside.
    static let emptyInterpolation = "'{{ }}' holds no expression"
}
