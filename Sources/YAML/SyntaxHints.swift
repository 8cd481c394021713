import Diagnostics
import Foundation

/// Turns libyaml's terse syntax errors into advice about the usual cause in a playbook.
///
/// Most syntax errors in hand-written playbooks come from a value that YAML reads as something other
/// than text: cron text starting with `*` (an alias) or `@` (reserved), an expression starting with a
/// quoted string followed by more text, or text containing `: `.
enum SyntaxHints {
    /// The range of the value on the problem's line, when a hint is about the whole value (so the
    /// underline covers, say, all of `*/5 * * * *` rather than the character libyaml stopped at).
    static func valueRange(at offset: Int, in file: SourceFile) -> SourceRange? {
        let lineNumber = file.location(of: offset).line
        let line = file.lineText(lineNumber)
        guard let value = valueText(of: line), let first = value.first, "*@`%".contains(first) else { return nil }
        let lineStart = file.lineStarts[lineNumber - 1]
        guard let position = line.range(of: value, options: .backwards) else { return nil }
        let start = lineStart + line.utf8.distance(from: line.utf8.startIndex, to: position.lowerBound.samePosition(in: line.utf8)!)
        var shown = value
        if let comment = shown.range(of: " #") { shown = String(shown[..<comment.lowerBound]) }
        shown = shown.trimmingCharacters(in: .whitespaces)
        return SourceRange(start: start, end: start + shown.utf8.count)
    }

    static func help(for problem: String, at offset: Int, in file: SourceFile) -> String? {
        let line = file.lineText(file.location(of: offset).line)
        let value = valueText(of: line)
        if let value, let first = value.first {
            switch first {
            case "*":
                return "a value that starts with '*' is read as a YAML alias; quote the text, e.g. \(suggestedQuote(value))"
            case "@", "`":
                return "a value cannot start with '\(first)' in YAML; quote the text, e.g. \(suggestedQuote(value))"
            case "%":
                return "a value cannot start with '%' in YAML; quote the text, e.g. \(suggestedQuote(value))"
            case "\"", "'":
                if let close = closingQuote(in: value), close < value.count - 1 {
                    return "a value that starts with a quote ends at the closing quote; to write an expression that starts with a string, put the whole expression in quotes of the other kind or use a block scalar ('>-' on the line before)"
                }
            default:
                break
            }
        }
        if problem.contains("mapping values are not allowed") {
            return "a value that contains ': ' must be quoted, e.g. \(suggestedQuote(value ?? "text: with colon"))"
        }
        if problem.contains("tab") {
            return "YAML indentation must use spaces, not tabs"
        }
        if problem.contains("end of stream") && (problem.contains("quote") || problem.contains("quoted")) {
            return "a quoted value is missing its closing quote"
        }
        if problem.contains("did not find expected") || problem.contains("could not find expected") {
            return "check the indentation of this line against the lines above, and that brackets and quotes are closed"
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
