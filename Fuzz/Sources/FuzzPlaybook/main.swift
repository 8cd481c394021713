// Validates any bytes as a playbook and compiles the plan when it is valid: located diagnostics,
// never a crash.
import Diagnostics
import PlaybookLanguage

/// Globals of main.swift are set up by its `main`, which libFuzzer replaces: statics are set up on first use.
enum Fuzz {
    static let validator = PlaybookValidator()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlaybook(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let result = Fuzz.validator.validate(SourceFile(path: "fuzz.yaml", bytes: bytes))
    for diagnostic in result.diagnostics {
        precondition(diagnostic.range.start >= 0 && diagnostic.range.end <= count && diagnostic.range.start <= diagnostic.range.end,
                     "diagnostic outside the file: \(diagnostic.range) \(diagnostic.message)")
    }
    if !result.hasErrors, result.checked != nil {
        precondition(result.plan != nil, "a playbook without errors compiles")
    }
    return 0
}
