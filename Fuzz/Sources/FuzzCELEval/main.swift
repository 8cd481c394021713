// Evaluates an expression on a value read from typed JSON: the first line is the expression, the
// rest the value of the variable `x` (`{"int":"5"}`, `{"list":[…]}`, or plain JSON). Evaluation must
// end in a value or an error value, never a crash, within its cost limit.
import CEL
import Diagnostics

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCELEval(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? count
    let expression = String(decoding: bytes[..<newline], as: UTF8.self)
    let json = newline < count ? String(decoding: bytes[(newline + 1)...], as: UTF8.self) : "null"
    var x = CELValue.null
    if let parsed = try? JSONValue.parse(json) {
        x = (try? CELValue(typedJSON: parsed)) ?? CELValue(plainJSON: parsed)
    }
    let compiled = CELEnvironment(variables: ["x": .dyn]).compile(expression)
    guard let program = compiled.program else { return 0 }
    _ = program.evaluate(["x": x], options: CELEvaluationOptions(costLimit: 100_000))
    return 0
}
