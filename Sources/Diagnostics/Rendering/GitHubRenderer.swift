/// GitHub Actions workflow commands, which GitHub shows as annotations on the pull request's files.
public struct GitHubRenderer: DiagnosticRenderer {
    /// The GitHub renderer; it has no settings.
    public init() {}

    /// One workflow command per diagnostic shown.
    public func render(_ report: DiagnosticReport) -> String {
        var lines: [String] = []
        for file in report.files {
            let (shown, hidden) = report.shown(file)
            for diagnostic in shown {
                let range = PrintedRange(diagnostic.range, in: file.file)
                let command = switch diagnostic.severity {
                case .error: "error"
                case .warning: "warning"
                case .note: "notice"
                }
                let title = report.catalogue[diagnostic.code].map { "\(diagnostic.code) \($0.title)" } ?? diagnostic.code.rawValue
                let properties = [
                    "file=\(Self.escapeProperty(file.file.path))",
                    "line=\(range.start.line)",
                    "col=\(range.start.column)",
                    "endLine=\(range.end.line)",
                    "endColumn=\(range.end.column)",
                    "title=\(Self.escapeProperty(title))",
                ].joined(separator: ",")
                var message = diagnostic.message
                for note in diagnostic.notes { message += "\nnote: \(note.message)" }
                if let help = diagnostic.help { message += "\nhelp: \(help)" }
                lines.append("::\(command) \(properties)::\(Self.escapeData(message))")
            }
            if hidden > 0 {
                lines.append("::notice file=\(Self.escapeProperty(file.file.path))::\(hidden) more diagnostics not shown")
            }
        }
        lines.append(report.summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub's escaping for a command's message.
    static func escapeData(_ text: String) -> String {
        escape(text, reserved: ["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    /// GitHub's escaping for a command's properties, which also reserve `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, reserved: ["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }

    /// Escapes scalar by scalar: `\r\n` is one Character in Swift, so character-level replacing would miss it.
    private static func escape(_ text: String, reserved: [Unicode.Scalar: String]) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if let replacement = reserved[scalar] { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
