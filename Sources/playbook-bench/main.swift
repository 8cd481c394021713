// Benchmarks that print figures; build them in release mode, as `playbook` is shipped:
//   swift build -c release --static-swift-stdlib --product playbook-bench
//   .build/release/playbook-bench validate [--files N] [--steps N] [--rounds N]
//   .build/release/playbook-bench cel [FILTER]
//   .build/release/playbook-bench files [--records N]
//   .build/release/playbook-bench run [--records N[,N…]] [--playbook PATH]   (runs the built `playbook`)
//   .build/release/playbook-bench phase scan|load|decode|structural|full [--rounds N]   (for a profiler)
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
case "files":
    try FilesBenchmark.run(arguments: Array(arguments.dropFirst()))
case "run":
    RunBenchmark.run(arguments: Array(arguments.dropFirst()))
default:
    print("usage: playbook-bench validate | load | phase PHASE | cel [FILTER] | files [--records N] | run [OPTIONS]")
}
