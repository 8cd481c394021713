import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookSandbox

/// `playbook-bench connectors`: how close paging and batched writes come to the ceiling a rate limit
/// allows, against the sandbox in-process, with and without injected faults. The ceiling is the
/// connection's own `rate_limit` (the sandbox's limits are raised above it, so that only the
/// client's pacing decides); retries wait 20 ms at first, so that a fault costs about one call.
enum ConnectorBenchmark {
    static func run(arguments: [String]) async {
        func value(of option: String) -> String? { arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
        let records = Int(value(of: "--records") ?? "") ?? 20_000
        let rate = Int(value(of: "--rate") ?? "") ?? 20
        let faults = value(of: "--faults") ?? "429=0.07,500=0.07,reset=0.06"
        print("Connectors against the sandbox: \(records) HubSpot contacts, 100 per call, rate_limit \(rate)/1s")
        print("2 cores; CPU is Playbook's and the in-process sandbox's together")
        print("")
        print("The ceiling of a run is what the bucket allows in its time: a burst of \(rate), then \(rate) a second.")
        print("")
        print("Pages or batches over the ceiling is the target's ratio; calls over the ceiling shows how much of")
        print("the limit the client used, failed calls included (every attempt takes a token, as platforms count them).")
        print("")
        print("| job | faults | calls | pages or batches | seconds | ceiling | pages / ceiling | calls / ceiling | CPU per call µs |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for faultText in ["", faults] {
            for job in ["read", "upsert"] {
                do {
                    let row = try await measure(job: job, records: records, rate: rate, faults: faultText)
                    print(row)
                } catch {
                    print("| \(job) | \(faultText.isEmpty ? "none" : faultText) | failed: \(error) |")
                }
            }
        }
    }

    private static func measure(job: String, records: Int, rate: Int, faults: String) async throws -> String {
        var limits = SandboxLimits()
        limits.hubSpotPerTenSeconds = 1_000_000
        var sizes = SandboxDataSizes()
        sizes.hubSpotContacts = job == "read" ? records : 10
        let server = SandboxServer(limits: limits, sizes: sizes)
        let origin = try await server.start(port: 0, seed: 7, faults: try FaultSpec.parse(faults)).absoluteString
        defer { Task { await server.stop() } }
        let folder = NSTemporaryDirectory() + "playbook-bench-connectors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if job == "upsert" {
            var text = ""
            text.reserveCapacity(records * 80)
            for index in 0..<records { text += #"{"email":"bench.\#(index)@example.com","first_name":"Bench","lead_status":"OPEN"}"# + "\n" }
            try text.write(toFile: folder + "/contacts.jsonl", atomically: true, encoding: .utf8)
        }
        let steps = job == "read"
            ? """
                contacts:
                  fetch: { connection: crm, resource: contacts, page_size: 100, retry: \(retry), timeout: 5s }
                """
            : """
                contacts:
                  fetch: { file: contacts.jsonl, fields: { email: string, first_name: string, lead_status: string } }
                save:
                  sync: { from: contacts, connection: crm, resource: contacts, mode: upsert, match_on: email, batch_size: 100, retry: \(retry), timeout: 5s }
                """
        let yaml = """
            version: 1
            name: connector-bench
            connections:
              crm: { connector: hubspot, auth: { token: { secret: HUBSPOT_TOKEN } }, rate_limit: \(rate)/1s }
            steps:
            \(steps.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
        let result = PlaybookValidator().validate(SourceFile(path: folder + "/bench.yaml", text: yaml))
        guard let plan = result.plan else {
            throw ConnectorUnavailable("the benchmark playbook does not validate: \(result.diagnostics.map(\.message))")
        }
        let connectors = StandardConnectors(sandboxURL: origin)
        let before = processCPUSeconds()
        let started = ContinuousClock.now
        let summary = await Executor(plan: plan, options: RunOptions(baseDirectory: folder), connectors: connectors).run()
        let elapsed = ContinuousClock.now - started
        let cpu = processCPUSeconds() - before
        await connectors.shutdown()
        guard summary.status == .succeeded else { throw ConnectorUnavailable(summary.error ?? "the run failed") }
        let step = summary.steps.first { $0.id.rawValue == (job == "read" ? "contacts" : "save") }!
        let units = (records + 99) / 100
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // The token bucket starts full: `rate` calls at once, then `rate` a second.
        let ceiling = max(1, Double(rate) + Double(rate) * seconds)
        return String(format: "| %@ | %@ | %d | %d | %.2f | %.0f | %.3f | %.3f | %.0f |",
                      job, faults.isEmpty ? "none" : faults, step.calls, units, seconds, ceiling,
                      Double(units) / ceiling, Double(step.calls) / ceiling, cpu / Double(max(1, step.calls)) * 1e6)
    }

    private static let retry = "{ max_attempts: 8, backoff: exponential, initial_delay: 20ms, max_delay: 1s, jitter: full }"
}
