/// A stable JSON document for programs; the format is documented in docs/output-formats.md.
public struct JSONRenderer: DiagnosticRenderer {
    /// The JSON renderer; it has no settings.
    public init() {}

    /// The report as one JSON document.
    public func render(_ report: DiagnosticReport) -> String {
        let files = report.files.map { file -> JSONValue in
            let (shown, hidden) = report.shown(file)
            return .object([
                ("path", .string(file.file.path)),
                ("errors", .int(file.errorCount)),
                ("warnings", .int(file.warningCount)),
                ("diagnostics", .array(shown.map { encode($0, in: file.file) })),
                ("not_shown", .int(hidden)),
            ])
        }
        let document: JSONValue = .object([
            ("version", .int(1)),
            ("files", .array(files)),
            ("summary", .object([
                ("files", .int(report.files.count)),
                ("errors", .int(report.errorCount)),
                ("warnings", .int(report.warningCount)),
            ])),
        ])
        return document.serialized() + "\n"
    }

    private func encode(_ diagnostic: Diagnostic, in file: SourceFile) -> JSONValue {
        let range = PrintedRange(diagnostic.range, in: file)
        var members: [(String, JSONValue)] = [
            ("file", .string(file.path)),
            ("line", .int(range.start.line)),
            ("column", .int(range.start.column)),
            ("end_line", .int(range.end.line)),
            ("end_column", .int(range.end.column)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("code", .string(diagnostic.code.rawValue)),
            ("message", .string(diagnostic.message)),
            ("notes", .array(diagnostic.notes.map { note in
                var fields: [(String, JSONValue)] = [("message", .string(note.message))]
                if let noteRange = note.range {
                    let location = file.location(of: noteRange.start)
                    fields += [("line", .int(location.line)), ("column", .int(location.column))]
                }
                return .object(fields)
            })),
        ]
        if let help = diagnostic.help { members.append(("help", .string(help))) }
        members.append(("fix_its", .array(diagnostic.fixIts.map { fixIt in
            .object([
                ("message", .string(fixIt.message)),
                ("edits", .array(fixIt.edits.map { edit in
                    let editRange = PrintedRange(edit.range, in: file)
                    return .object([
                        ("line", .int(editRange.start.line)),
                        ("column", .int(editRange.start.column)),
                        ("end_line", .int(editRange.end.line)),
                        ("end_column", .int(editRange.end.column)),
                        ("replacement", .string(edit.replacement)),
                    ])
                })),
            ])
        })))
        return .object(members)
    }
}
