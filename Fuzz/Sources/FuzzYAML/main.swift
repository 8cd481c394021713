// Loads any bytes as YAML: the loader must report problems as diagnostics, never crash or hang.
import Diagnostics
import YAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let loaded = YAMLLoader().load(SourceFile(path: "fuzz.yaml", bytes: bytes))
    // Every diagnostic must point inside the file.
    for diagnostic in loaded.diagnostics {
        precondition(diagnostic.range.start >= 0 && diagnostic.range.end <= count && diagnostic.range.start <= diagnostic.range.end,
                     "diagnostic outside the file: \(diagnostic.range)")
    }
    return 0
}
