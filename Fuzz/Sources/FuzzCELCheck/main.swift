// Parses, checks and plans any text as a CEL expression against a record type like a connector's.
import CEL
import Diagnostics

/// Globals of main.swift are set up by its `main`, which libFuzzer replaces: statics are set up on first use.
enum Fuzz {
    static let environment = CELEnvironment(variables: [
    "record": .object(name: "contact", fields: [
        "email": .string, "page_views": .int, "score": .double, "tags": .list(.string),
        "created_at": .timestamp, "utm": .map(.string, .string), "payload": .dyn,
    ]),
    "params": .object(name: "params", fields: ["min_score": .int, "countries": .list(.string)]),
    "now": .timestamp,
    ])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCELCheck(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let result = Fuzz.environment.compile(text)
    let length = text.utf8.count
    for diagnostic in result.diagnostics {
        precondition(diagnostic.range.start >= 0 && diagnostic.range.end <= length && diagnostic.range.start <= diagnostic.range.end,
                     "diagnostic outside the expression: \(diagnostic.range)")
    }
    precondition(result.hasErrors == (result.program == nil), "a program exactly when there are no errors")
    return 0
}
