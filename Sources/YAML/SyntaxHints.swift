import Diagnostics
import Foundation

/// Turns libyaml's terse syntax errors into advice about the usual cause in a playbook.
///
/// Most syntax errors in hand-written playbooks come from a value that YAML reads as something other
/// than text: cron text starting with `*` (an alias) or `@` (reserved), an expression starting with a
/// quoted string followed by more text, or text containing `: `.
enum SyntaxHints {
    /// The usual cause of a syntax error, as far as the line it is on shows; `YAMLMessage` words it.
    enum Hint {
        /// A value starting with `*`, read as an alias; `quoted` is the value in quotes.
        case startsWithAlias(quoted: String)
        /// A value starting with a character YAML reserves (`@`, `` ` ``, `%`).
        case reservedFirstCharacter(Character, quoted: String)
        /// A quoted string followed by more text, such as `"a" == record.x`.
        case textAfterQuotedString
        /// A value containing `: `; `quoted` is the value in quotes, when the line has one.
        case colonInValue(quoted: String?)
        /// A value starting with `{{`, read as a YAML mapping; `quoted` is the value in quotes.
        case startsWithTemplateBraces(quoted: String)
        /// A key indented differently from the other keys of its mapping.
        case misindentedKey(IndentationHints.Misindent)
        /// A tab where libyaml expects indentation.
        case tabIndentation
        /// The file ends inside a quoted value.
        case unclosedQuote
        /// libyaml expected something else here, most often because of indentation or an unclosed bracket.
        case indentationOrBrackets
    }

    /// The range of the value on the problem's line, when a hint is about the whole value (so the
    /// underline covers, say, all of `*/5 * * * *` or `{{ x }} text` rather than the character libyaml
    /// stopped at).
    static func valueRange(at offset: Int, in file: SourceFile) -> SourceRange? {
        let lineNumber = file.location(of: offset).line
        let line = file.lineText(lineNumber)
        guard let value = valueText(of: line), let first = value.first, "*@`%".contains(first) || value.hasPrefix("{{") else { return nil }
        let lineStart = file.lineStarts[lineNumber - 1]
        guard let position = line.range(of: value, options: .backwards) else { return nil }
        let start = lineStart + line.utf8.distance(from: line.utf8.startIndex, to: position.lowerBound.samePosition(in: line.utf8)!)
        var shown = value
        if let comment = shown.range(of: " #") { shown = String(shown[..<comment.lowerBound]) }
        shown = shown.trimmingCharacters(in: .whitespaces)
        return SourceRange(start: start, end: start + shown.utf8.count)
    }

    /// The hint for libyaml's `problem` at `offset`, if the line shows a usual cause.
    static func hint(for problem: String, at offset: Int, in file: SourceFile) -> Hint? {
        let line = file.lineText(file.location(of: offset).line)
        let value = valueText(of: line)
        if let value, let first = value.first {
            switch first {
            case "*":
                return .startsWithAlias(quoted: suggestedQuote(value))
            case "{" where value.hasPrefix("{{"):
                return .startsWithTemplateBraces(quoted: suggestedQuote(value))
            case "@", "`", "%":
                return .reservedFirstCharacter(first, quoted: suggestedQuote(value))
            case "\"", "'":
                if let close = closingQuote(in: value), close < value.count - 1 {
                    return .textAfterQuotedString
                }
            default:
                break
            }
        }
        if let misindent = IndentationHints.misindent(for: problem, at: offset, in: file) {
            return .misindentedKey(misindent)
        }
        if problem.contains("mapping values are not allowed") {
            return .colonInValue(quoted: value.map(suggestedQuote))
        }
        // libyaml words a tab in the indentation in several ways ("cannot start any token" among
        // them); the line itself shows it.
        if problem.contains("tab") || line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
            return .tabIndentation
        }
        if problem.contains("end of stream") && (problem.contains("quote") || problem.contains("quoted")) {
            return .unclosedQuote
        }
        if problem.contains("did not find expected") || problem.contains("could not find expected") {
            return .indentationOrBrackets
        }
        return nil
    }

    /// The text after `key: ` or `- ` on a line, if the line has that shape.
    private static func valueText(of line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("- ") {
            let rest = trimmed.dropFirst(2)
            if let value = afterKey(rest) { return value }
            return String(rest)
        }
        return afterKey(trimmed)
    }

    private static func afterKey(_ text: Substring) -> String? {
        guard let colon = text.range(of: ": ") else { return nil }
        let value = text[colon.upperBound...].drop { $0 == " " }
        return value.isEmpty ? nil : String(value)
    }

    private static func closingQuote(in value: String) -> Int? {
        let characters = Array(value)
        guard let quote = characters.first else { return nil }
        var index = 1
        while index < characters.count {
            if quote == "\"", characters[index] == "\\" {
                index += 2
                continue
            }
            if characters[index] == quote {
                if quote == "'", index + 1 < characters.count, characters[index + 1] == "'" {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    private static func suggestedQuote(_ value: String) -> String {
        let text = value.split(separator: "#", maxSplits: 1).first.map { String($0) } ?? value
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("\"") { return "'" + trimmed.replacingOccurrences(of: "'", with: "''") + "'" }
        return "\"" + trimmed + "\""
    }
}
