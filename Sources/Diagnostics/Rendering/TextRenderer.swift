/// Compiler-style text: `path:line:col: error[CODE]: message`, the source line with a caret underline,
/// then notes and help.
public struct TextRenderer: DiagnosticRenderer {
    /// Whether to colour the output with ANSI escapes (for a terminal).
    public var colour: Bool

    /// A text renderer, plain unless `colour` is true.
    public init(colour: Bool = false) {
        self.colour = colour
    }

    /// Every diagnostic shown, then a summary line.
    public func render(_ report: DiagnosticReport) -> String {
        var output = ""
        for file in report.files {
            let (shown, hidden) = report.shown(file)
            for diagnostic in shown {
                output += render(diagnostic, in: file.file)
                output += "\n"
            }
            if hidden > 0 {
                output += paint("note", .cyan, bold: true) + ": \(hidden) more diagnostic\(hidden == 1 ? "" : "s") in \(file.file.path) not shown (use --max-diagnostics to change the limit)\n\n"
            }
        }
        output += paint(report.summary, report.errorCount > 0 ? .red : (report.warningCount > 0 ? .yellow : .green), bold: true) + "\n"
        return output
    }

    /// One diagnostic with its snippet, notes and help, for commands that print a few without a summary.
    public func render(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
        let location = file.location(of: diagnostic.range.start)
        let severity: String = switch diagnostic.severity {
        case .error: paint("error[\(diagnostic.code)]", .red, bold: true)
        case .warning: paint("warning[\(diagnostic.code)]", .yellow, bold: true)
        case .note: paint("note[\(diagnostic.code)]", .cyan, bold: true)
        }
        var lines = ["\(file.path):\(location.line):\(location.column): \(severity): \(paint(diagnostic.message, .plain, bold: true))"]
        lines += snippet(diagnostic.range, in: file)
        for note in diagnostic.notes {
            if let range = note.range {
                let noteLocation = file.location(of: range.start)
                lines.append("\(file.path):\(noteLocation.line):\(noteLocation.column): \(paint("note", .cyan, bold: true)): \(note.message)")
                lines += snippet(range, in: file)
            } else {
                lines.append(gutter(width: gutterWidth(for: location.line)) + " = \(paint("note", .cyan, bold: true)): \(note.message)")
            }
        }
        let pad = gutter(width: gutterWidth(for: location.line))
        if let help = diagnostic.help {
            lines.append("\(pad) = \(paint("help", .cyan, bold: true)): \(help)")
        }
        for fixIt in diagnostic.fixIts {
            var line = "\(pad) = \(paint("fix", .green, bold: true)): \(fixIt.message)"
            if fixIt.edits.count == 1, let edit = fixIt.edits.first, !edit.replacement.contains("\n"), edit.replacement.count <= 60,
               !fixIt.message.contains(edit.replacement) {
                line += ": \(edit.replacement)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The source line under a gutter, with `^~~~` under the range (its first line when it spans several).
    private func snippet(_ range: SourceRange, in file: SourceFile) -> [String] {
        let start = file.location(of: range.start)
        let end = file.location(of: range.end)
        guard start.line <= file.lineCount else { return [] }
        let text = file.lineText(start.line)
        let width = gutterWidth(for: start.line)
        let blank = gutter(width: width)
        let allScalars = Array(text.unicodeScalars)
        var firstColumn = start.column - 1
        var lastColumn = end.line == start.line ? max(end.column - 1, firstColumn + 1) : allScalars.count
        // A very long line is shown as a window around the range, so one diagnostic cannot flood a terminal.
        var scalars = allScalars[...]
        var leading = ""
        var trailing = ""
        if allScalars.count > Self.maximumLineWidth {
            let windowStart = max(0, firstColumn - 40)
            let windowEnd = min(allScalars.count, windowStart + Self.maximumLineWidth - 20)
            scalars = allScalars[windowStart..<windowEnd]
            if windowStart > 0 { leading = "…" }
            if windowEnd < allScalars.count { trailing = "…" }
            firstColumn -= windowStart
            lastColumn = min(lastColumn - windowStart, windowEnd - windowStart)
        }
        // Expand tabs in the shown line and in the underline's prefix alike so the caret lines up;
        // control characters are shown as their visible pictures (␀ for NUL).
        var shown = leading
        var prefix = leading.isEmpty ? "" : " "
        var underlineLength = 0
        for (index, scalar) in scalars.enumerated() {
            let piece = scalar == "\t" ? "    " : (scalar.value < 0x20 || scalar.value == 0x7F ? Self.picture(of: scalar) : String(scalar))
            shown += piece
            // Wide characters (CJK, emoji) take two cells and combining marks none, so count cells.
            let cells = scalar == "\t" ? 4 : (piece != String(scalar) ? 1 : TerminalWidth.of(scalar))
            if index < firstColumn { prefix += String(repeating: " ", count: cells) }
            else if index < lastColumn { underlineLength += cells }
        }
        shown += trailing
        if firstColumn >= scalars.count { prefix += String(repeating: " ", count: firstColumn - scalars.count) }
        let underline = "^" + String(repeating: "~", count: max(0, underlineLength - 1))
        let number = String(start.line)
        return [
            paint("\(blank) |", .blue, bold: true),
            paint(String(repeating: " ", count: width - number.count) + number + " |", .blue, bold: true) + " " + shown,
            paint("\(blank) |", .blue, bold: true) + " " + prefix + paint(underline, .red, bold: true),
        ]
    }

    /// Source lines longer than this many characters are shown as a window around the range.
    static let maximumLineWidth = 160

    private static func picture(of scalar: Unicode.Scalar) -> String {
        let value = scalar.value == 0x7F ? 0x2421 : 0x2400 + scalar.value
        return Unicode.Scalar(value).map(String.init) ?? "?"
    }

    private func gutterWidth(for line: Int) -> Int { max(2, String(line).count) }

    private func gutter(width: Int) -> String { String(repeating: " ", count: width) }

    enum Colour: String {
        case red = "31", yellow = "33", blue = "34", cyan = "36", green = "32", plain = "0"
    }

    private func paint(_ text: String, _ colour: Colour, bold: Bool) -> String {
        guard self.colour else { return text }
        let code = colour == .plain ? (bold ? "1" : "0") : (bold ? "1;\(colour.rawValue)" : colour.rawValue)
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
