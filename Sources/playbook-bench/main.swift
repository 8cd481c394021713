// Benchmarks by area: `playbook-bench cel [FILTER]`.
switch CommandLine.arguments.dropFirst().first {
case "cel": CELBenchmark.run(filter: CommandLine.arguments.dropFirst(2).first)
default: print("usage: playbook-bench cel")
}
