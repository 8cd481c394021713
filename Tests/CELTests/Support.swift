import CEL
import Diagnostics

/// Compiles and evaluates `source`; compile errors come back as an error value naming the codes.
func evaluate(_ source: String, _ variables: [String: CELValue] = [:], types: [String: CELType]? = nil, checked: Bool = true) -> CELValue {
    let declared = types ?? variables.mapValues { _ in CELType.dyn }
    let compiled = CELEnvironment(variables: declared, checksTypes: checked).compile(source)
    guard let program = compiled.program else {
        return .error(CELError("compile: " + compiled.diagnostics.map { "\($0.code) \($0.message)" }.joined(separator: "; ")))
    }
    return program.evaluate(variables)
}

/// Text with one marked range, written `⟦…⟧`: the text without markers and the marked byte range.
func marked(_ text: String) -> (source: String, range: SourceRange) {
    let open = text.range(of: "⟦")!
    let close = text.range(of: "⟧")!
    let start = text.utf8.distance(from: text.startIndex, to: open.lowerBound)
    let end = text.utf8.distance(from: text.startIndex, to: close.lowerBound) - "⟦".utf8.count
    let source = text.replacingOccurrences(of: "⟦", with: "").replacingOccurrences(of: "⟧", with: "")
    return (source, SourceRange(start: start, end: end))
}

extension CELValue {
    /// Typed-JSON text, a readable and exact form for assertions.
    var typed: String { typedJSON.text }
}

/// A record type like the ones connector resources declare.
let contactType = CELType.object(name: "contact", fields: [
    "email": .string, "score": .int, "country": .string, "tags": .list(.string),
    "opened_last_email": .bool, "page_views": .int, "created_at": .timestamp,
    "utm": .object(name: "utm", fields: ["source": .string, "campaign": .string]),
])
