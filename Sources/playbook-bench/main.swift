// Benchmarks by area: `playbook-bench cel`.
switch CommandLine.arguments.dropFirst().first {
case "cel": CELBenchmark.run()
default: print("usage: playbook-bench cel")
}
