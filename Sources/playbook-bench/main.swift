// Benchmarks that print figures; run in release mode: `swift run -c release playbook-bench [validate]`.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "validate" {
case "validate":
    await ValidateBenchmark.run(arguments: Array(arguments.dropFirst()))
case "load":
    ValidateBenchmark.profileLoad(arguments: Array(arguments.dropFirst()))
default:
    print("usage: playbook-bench [validate]")
}
