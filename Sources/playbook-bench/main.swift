// Benchmarks that print figures; run in release mode:
//   swift run -c release playbook-bench validate [--files N] [--steps N] [--rounds N]
//   swift run -c release playbook-bench cel [FILTER]
//   swift run -c release playbook-bench phase scan|load|decode|structural|full [--rounds N]   (for a profiler)
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "validate" {
case "validate":
    await ValidateBenchmark.run(arguments: Array(arguments.dropFirst()))
case "load":
    ValidateBenchmark.profileLoad(arguments: Array(arguments.dropFirst()))
case "phase":
    ValidateBenchmark.profilePhase(arguments: Array(arguments.dropFirst()))
case "cel":
    CELBenchmark.run(filter: arguments.dropFirst().first)
default:
    print("usage: playbook-bench validate | load | phase PHASE | cel [FILTER]")
}
