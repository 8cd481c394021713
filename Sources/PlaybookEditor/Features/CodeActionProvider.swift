import Diagnostics

/// Quick fixes: the fix-its of the diagnostics in a range (`use 'contacts'` for `from: contcts`),
/// each as an edit the editor applies.
struct CodeActionProvider {
    let document: OpenDocument
    let map: PositionMap

    func actions(in range: SourceRange) -> [JSONValue] {
        var actions: [JSONValue] = []
        for diagnostic in document.validation.diagnostics
        where diagnostic.range.start <= range.end && diagnostic.range.end >= range.start {
            for fixIt in diagnostic.fixIts {
                let edits = fixIt.edits.map { edit -> JSONValue in
                    .object([("range", map.range(edit.range)), ("newText", .string(edit.replacement))])
                }
                actions.append(.object([
                    ("title", .string(fixIt.message)),
                    ("kind", .string("quickfix")),
                    ("diagnostics", .array([DiagnosticsPublisher.encode(diagnostic, uri: document.uri, map: map)])),
                    ("isPreferred", .bool(diagnostic.fixIts.count == 1)),
                    ("edit", .object([("changes", .object([(document.uri, .array(edits))]))])),
                ]))
            }
        }
        return actions
    }
}
