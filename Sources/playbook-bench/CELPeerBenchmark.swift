import Foundation
import CEL
import Diagnostics

/// `playbook-bench cel --peer`: each benchmark expression on our interpreter and, in the same run,
/// on the Rust implementation of CEL through its Python package (`Benchmarks/cel_peer.py`), whose
/// figures have the cost of a call from Python subtracted.
enum CELPeerBenchmark {
    /// Evaluations per round; the best of `rounds` rounds counts, as in the peer script.
    static let roundIterations = 20_000
    static let rounds = 7

    static func run(filter: String?, python: String, script: String) {
        let cases = CELBenchmark.selected(filter)
        var ours: [String: (nanoseconds: Double, result: CELValue)] = [:]
        for (name, source) in cases {
            let program = CELBenchmark.compiledProgram(source)
            ours[name] = (best { program.evaluate(CELBenchmark.activation) }, program.evaluate(CELBenchmark.activation))
        }
        let peer: [String: JSONValue]
        do {
            peer = try runPeer(cases, python: python, script: script)
        } catch {
            print("the Rust peer did not run: \(error)")
            return
        }
        let overhead = peer["(call overhead)"]?["ns"].flatMap(number) ?? .nan
        print("CEL evaluation, ours against the Rust implementation (ns per evaluation, best of \(rounds) rounds;")
        print(String(format: "the peer's call from Python, %.0f ns, subtracted):", overhead))
        print("")
        print("| expression | ours ns | Rust ns | Rust / ours |")
        print("|---|---:|---:|---:|")
        for (name, _) in cases {
            let mine = ours[name]!
            let row = peer[name]
            if let message = row?["error"], case .string(let text) = message {
                print("| \(name) | \(format(mine.nanoseconds)) | error: \(text) | |")
                continue
            }
            guard let theirs = row?["ns"].flatMap(number), let result = row?["result"] else {
                print("| \(name) | \(format(mine.nanoseconds)) | missing | |")
                continue
            }
            let agrees = CELValue(plainJSON: result).isEqual(to: mine.result)
            print("| \(name) | \(format(mine.nanoseconds)) | \(format(theirs)) | \(String(format: "%.1f×", theirs / mine.nanoseconds))\(agrees ? "" : " (results differ)") |")
        }
    }

    /// Nanoseconds per call of `body`: the best of several rounds after a warm-up.
    private static func best(_ body: () -> CELValue) -> Double {
        for _ in 0..<1_000 { _ = body() }
        var fastest = Double.infinity
        var sink = 0
        for _ in 0..<rounds {
            let elapsed = ContinuousClock().measure {
                for _ in 0..<roundIterations {
                    if case .bool(true) = body() { sink &+= 1 }
                }
            }
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            fastest = min(fastest, nanoseconds / Double(roundIterations))
        }
        return fastest + (sink < 0 ? 1 : 0)
    }

    /// The peer's answer per case name, from the JSON line the script prints for each.
    private static func runPeer(_ cases: [(name: String, source: String)], python: String, script: String) throws -> [String: JSONValue] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--json"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let request = JSONValue.array(cases.map { .object([("name", .string($0.name)), ("expr", .string($0.source))]) })
        input.fileHandleForWriting.write(Data(request.text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PeerFailure.exited(process.terminationStatus) }
        var rows: [String: JSONValue] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let row = try JSONValue.parse(String(line))
            if case .string(let name)? = row["name"] { rows[name] = row }
        }
        return rows
    }

    private enum PeerFailure: Error, CustomStringConvertible {
        case exited(Int32)
        var description: String {
            switch self {
            case .exited(let status): "the script exited with status \(status) (see its message above)"
            }
        }
    }

    private static func number(_ json: JSONValue) -> Double? {
        switch json {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    private static func format(_ nanoseconds: Double) -> String {
        String(format: nanoseconds >= 100 ? "%.0f" : "%.1f", nanoseconds)
    }
}
