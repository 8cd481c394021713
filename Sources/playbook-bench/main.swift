// Benchmarks that print figures; build them in release mode, as `playbook` is shipped:
//   swift build -c release --static-swift-stdlib --product playbook-bench
//   .build/release/playbook-bench validate [--files N] [--steps N] [--rounds N]
//   .build/release/playbook-bench cel [FILTER]
//   .build/release/playbook-bench cel --peer [FILTER] [--python PYTHON]   (against the Rust CEL, via Benchmarks/cel_peer.py)
//   .build/release/playbook-bench cel --loop NAME [--runs N]              (one expression, for a profiler)
//   .build/release/playbook-bench files [--records N]
//   .build/release/playbook-bench run [--records N[,N…]] [--playbook PATH] [--state]   (runs the built `playbook`)
//   .build/release/playbook-bench connectors [--records N] [--rate N] [--faults SPEC]   (paging and batches against the sandbox)
//   .build/release/playbook-bench state [--records N] [--concurrency 1,100] [--rounds 3] [--same-second] [--scattered]   (what the run-state file costs a run)
//   .build/release/playbook-bench schedules [--schedules N] [--rounds N]   (parsing and next fire times, as `serve` starts)
//   .build/release/playbook-bench webhooks [--events N] [--connections N] [--workers N]   (signed events into `serve`)
//   .build/release/playbook-bench lateness [--schedules N] [--minutes N]   (how late `serve` fires minute schedules)
//   .build/debug/playbook-bench crash [--kills N] [--seed N] [--faults SPEC]   (kills `playbook run` and checks the run-state promises)
//   .build/release/playbook-bench phase scan|load|decode|structural|full [--rounds N]   (for a profiler)
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first ?? "validate" {
case "validate":
    await ValidateBenchmark.run(arguments: Array(arguments.dropFirst()))
case "load":
    ValidateBenchmark.profileLoad(arguments: Array(arguments.dropFirst()))
case "phase":
    ValidateBenchmark.profilePhase(arguments: Array(arguments.dropFirst()))
case "cel":
    let options = Array(arguments.dropFirst())
    func value(of option: String) -> String? { options.firstIndex(of: option).flatMap { $0 + 1 < options.count ? options[$0 + 1] : nil } }
    let filter = options.first { !$0.hasPrefix("--") && $0 != value(of: "--python") && $0 != value(of: "--runs") }
    if let name = value(of: "--loop") {
        CELBenchmark.loop(name, runs: Int(value(of: "--runs") ?? "") ?? 10_000_000)
    } else if options.contains("--peer") {
        // The script sits in the repository beside the sources this binary was built from.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Benchmarks/cel_peer.py").path
        CELPeerBenchmark.run(filter: filter, python: value(of: "--python") ?? "python3", script: script)
    } else {
        CELBenchmark.run(filter: filter)
    }
case "files":
    try FilesBenchmark.run(arguments: Array(arguments.dropFirst()))
case "run":
    RunBenchmark.run(arguments: Array(arguments.dropFirst()))
case "connectors":
    await ConnectorBenchmark.run(arguments: Array(arguments.dropFirst()))
case "state":
    await StateBenchmark.run(arguments: Array(arguments.dropFirst()))
case "schedules":
    ScheduleBenchmark.run(arguments: Array(arguments.dropFirst()))
case "webhooks":
    await WebhookBenchmark.run(arguments: Array(arguments.dropFirst()))
case "lateness":
    await LatenessBenchmark.run(arguments: Array(arguments.dropFirst()))
case "crash":
    exit(await CrashHarness.run(arguments: Array(arguments.dropFirst())))
default:
    print("usage: playbook-bench validate | load | phase PHASE | cel [--peer] [FILTER] | cel --loop NAME | files [--records N] | run [OPTIONS] | connectors [OPTIONS] | state [--records N] [--concurrency N,M] [--rounds N] [--same-second] [--scattered] | schedules [--schedules N] | webhooks [OPTIONS] | lateness [OPTIONS] | crash [OPTIONS]")
}
