import Diagnostics
import Foundation
import PlaybookSandbox
import Testing

/// The crash harness, short: `playbook-bench crash` kills `playbook run` with SIGKILL at 8 moments
/// spread over a run, against a sandbox in this process with faults, and checks the run-state
/// promises. Its verdict is read from its report, and the sandbox's journal is checked here too.
@Suite(.serialized) struct CrashHarnessTests {
    /// The harness is built beside `playbook` (`swift build` builds every product).
    private static var bench: URL { CLI.executable.deletingLastPathComponent().appendingPathComponent("playbook-bench") }

    @Test(.timeLimit(.minutes(5)))
    func killedRunsLoseNobodyAndMessageNobodyTwice() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.bench.path), "no playbook-bench beside \(CLI.executable.path): run swift build")
        var limits = SandboxLimits()
        limits.slackMessagesPerWindow = 1_000_000
        limits.hubSpotPerTenSeconds = 1_000_000
        var sizes = SandboxDataSizes()
        sizes.mailchimpMembers = 400
        let server = SandboxServer(limits: limits, sizes: sizes)
        let origin = try await server.start(port: 0, seed: 5, faults: try FaultSpec.parse("429=0.05,500=0.05,reset=0.03,lost=0.03")).absoluteString
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reportPath = folder.appendingPathComponent("report.json").path

        let output = try await Self.runOnOwnThread(
            [Self.bench.path, "crash", "--kills", "8", "--seed", "5", "--sandbox-url", origin, "--playbook", CLI.executable.path, "--report", reportPath])
        let entries = server.journal.entries()
        await server.stop()

        #expect(output.status == 0, "\(output.text)")
        let report = try JSONValue(parsing: try String(contentsOfFile: reportPath, encoding: .utf8))
        guard case .int(let kills)? = report["kills"], case .object(let phases)? = report["phases"], case .object(let checks)? = report["checks"] else {
            Issue.record("the report lacks kills, phases or checks: \(report.text)")
            return
        }
        #expect(kills >= 8)
        #expect(report["passed"] == .bool(true), "\(output.text)")
        // The kills are spread over the run: they land in more than one of its phases. Not a fixed
        // number of phases: eight kills spread over the run's time often miss a phase that takes a
        // tenth of it, and how long each takes depends on the machine (reading the sandbox's pages
        // is short on a fast one). `playbook-bench crash --kills 60` reaches every phase.
        #expect(phases.filter { $0.1 != .int(0) }.count >= 2, "\(report.text)")
        #expect(checks.count == 5)
        for (number, check) in checks {
            #expect(check["failed"] == .int(0), "check \(number): \(check.text)")
        }

        // Seen from the sandbox: no message went twice in a trial (each message names its trial and
        // its member), and every trial wrote to HubSpot.
        let messages = entries.filter { $0.platform == "slack" && $0.fault == nil && (200..<300).contains($0.status) }
            .compactMap { entry -> String? in if case .string(let text)? = entry.body["text"] { text } else { nil } }
        #expect(!messages.isEmpty)
        let repeated = Dictionary(grouping: messages, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "sent more than once: \(repeated.prefix(5))")
        #expect(entries.contains { $0.platform == "hubspot" && $0.operation == "upsert" && $0.fault == nil })
    }

    /// Runs the harness on a thread of its own: waiting for it on the shared pool would starve the
    /// sandbox in this process that answers its runs.
    private static func runOnOwnThread(_ arguments: [String]) async throws -> (status: Int32, text: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: arguments[0])
                    process.arguments = Array(arguments.dropFirst())
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = output
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                })
            }.start()
        }
    }
}
