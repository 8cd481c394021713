// Parses any text as a `{{ }}` template and renders it when it compiles.
import CEL
import Diagnostics

/// Globals of main.swift are set up by its `main`, which libFuzzer replaces: statics are set up on first use.
enum Fuzz {
    static let environment = CELEnvironment(variables: ["record": .map(.string, .dyn)])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let compiled = CELTemplate.compile(text, in: Fuzz.environment)
    let length = text.utf8.count
    for diagnostic in compiled.diagnostics {
        precondition(diagnostic.range.start >= 0 && diagnostic.range.end <= length, "diagnostic outside the template: \(diagnostic.range)")
    }
    _ = compiled.template?.render(["record": .map(CELMap(["email": .string("ann@example.com"), "score": .int(91)]))])
    return 0
}
