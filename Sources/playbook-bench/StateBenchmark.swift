import CEL
import Diagnostics
import Foundation
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState

/// `playbook-bench state`: what the run-state file costs. First the store's own operations, then a
/// run (fixture records in, messages captured, no network) with an incremental fetch and `once_per`
/// on every record, with the state in a real SQLite file and with none.
enum StateBenchmark {
    static func run(arguments: [String]) async {
        func value(of option: String) -> String? { arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
        let records = Int(value(of: "--records") ?? "") ?? 20_000
        let concurrencies = value(of: "--concurrency").map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, 100]
        let rounds = max(1, Int(value(of: "--rounds") ?? "") ?? 3)
        let data = Contacts(count: records, sameSecond: arguments.contains("--same-second"),
                            scattered: arguments.contains("--scattered"))
        let folder = NSTemporaryDirectory() + "playbook-bench-state-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let figures = try await StateStoreBenchmark.run(directory: folder)
            print("The state store (one SQLite file, WAL, every commit flushed):")
            print("")
            print("| operation | cost |")
            print("|---|---:|")
            print(String(format: "| claim a once_per key, %d per transaction | %.1f µs per key |", figures.keysPerTransaction, figures.claimNanosecondsPerKey / 1000))
            print(String(format: "| mark a key sent, %d per transaction | %.1f µs per key |", figures.keysPerTransaction, figures.markSentNanosecondsPerKey / 1000))
            print(String(format: "| intend a sync batch | %.0f µs |", figures.intendNanosecondsPerBatch / 1000))
            print(String(format: "| acknowledge a sync batch | %.0f µs |", figures.acknowledgeNanosecondsPerBatch / 1000))
            print(String(format: "| commit a cursor | %.0f µs |", figures.commitCursorNanoseconds / 1000))
            print("")
            print("A run of \(records) records, each messaged once_per its e-mail (messages captured, not sent), one message")
            print("at a time (the default) and 100 at a time (`concurrency: 100` on the connection); the records changed")
            print(data.sameSecond ? "all in the same second (the cursor keeps every record's id)" : "one a second", terminator: "")
            print(data.scattered ? "; e-mails scattered over the ledger's order, as real addresses are:" : "; e-mails in the ledger's order:")
            print("")
            print("Each line runs \(rounds) times, the four kinds of state taken in turn, so that a disturbance of the machine")
            print("falls on all of them alike; the best round counts, the range of all in brackets.")
            print("")
            print("| state | concurrency | seconds | per message µs | vs no state | processor µs per message |")
            print("|---|---:|---:|---:|---:|---:|")
            let kinds = ["none", "in memory", "state file", "state file, not flushed each commit"]
            func perMessage(_ value: Double) -> Double { value / Double(records) * 1e6 }
            /// The best of the values with the range of all, per message.
            func figure(_ values: [Double]) -> String {
                String(format: "%.1f (%.1f–%.1f)", perMessage(values.min()!), perMessage(values.min()!), perMessage(values.max()!))
            }
            for concurrency in concurrencies {
                var times = [[(seconds: Double, processorSeconds: Double)]](repeating: [], count: kinds.count)
                for round in 0..<rounds {
                    times[0].append(try await measure(data, concurrency: concurrency, state: nil))
                    times[1].append(try await measure(data, concurrency: concurrency, state: MemoryRunState()))
                    for (index, flushed) in [(2, true), (3, false)] {
                        var options = SQLiteRunStateStore.Options()
                        options.flushEachCommit = flushed
                        let store = try SQLiteRunStateStore(path: folder + "/state-\(concurrency)-\(round)-\(flushed).sqlite", options: options)
                        _ = try await store.startRun(NewRun(id: "bench", playbook: "state-bench", contentHash: "", startedAt: Date()), wait: .no)
                        times[index].append(try await measure(data, concurrency: concurrency, state: StoredRunState(store: store), runID: "bench"))
                    }
                }
                let baseline = times[0].map(\.seconds).min()!
                for (kind, measured) in zip(kinds, times) {
                    let best = measured.map(\.seconds).min()!
                    print(String(format: "| %@ | %d | %.3f | %@ | %+.0f %% | %@ |", kind, concurrency, best, figure(measured.map(\.seconds)),
                                 (best / max(baseline, 1e-9) - 1) * 100, figure(measured.map(\.processorSeconds))))
                }
            }
        } catch {
            print("failed: \(error)")
        }
    }

    private static let yaml = """
        version: 1
        name: state-bench
        connections:
          crm: { connector: hubspot, auth: { token: { secret: T } } }
          chat: { connector: slack, auth: { webhook_url: { secret: W } }, concurrency: CONCURRENCY }
        steps:
          contacts:
            fetch: { connection: crm, resource: contacts, incremental: { cursor: updated_at, start: "2026-01-01T00:00:00Z" } }
          hello:
            notify: { from: contacts, connection: chat, message: "Hello {{ record.email }}", once_per: record.email }
        """

    /// The benchmark's contacts: when they changed, and whether their e-mails come in the order the
    /// ledger keeps its keys (`person.1@…`, `person.10@…`, neighbours there) or scattered over it.
    struct Contacts {
        var count: Int
        var sameSecond: Bool
        var scattered: Bool

        func email(_ index: Int) -> String {
            // Multiplying by an odd number is a permutation of the 32-bit numbers: unique, scattered.
            scattered ? "person.\(String(UInt32(truncatingIfNeeded: index &* 2_654_435_761), radix: 16))@example.com" : "person.\(index)@example.com"
        }
    }

    /// The wall time of one run over the fixture contacts, and the processor time it used.
    private static func measure(_ data: Contacts, concurrency: Int, state: (any RunState)?,
                                runID: String = RunOptions.newRunID()) async throws -> (seconds: Double, processorSeconds: Double) {
        let text = yaml.replacingOccurrences(of: "CONCURRENCY", with: String(concurrency))
        let result = PlaybookValidator().validate(SourceFile(path: "state-bench.yaml", text: text))
        guard let plan = result.plan else { throw ConnectorUnavailable("the benchmark playbook does not validate") }
        let firstChange = CELTimestamp(rfc3339: "2026-02-01T00:00:00Z")!
        let contacts: [CELValue] = (0..<data.count).map { index in
            var map = CELMap()
            let changed = CELTimestamp(nanos: firstChange.nanos + (data.sameSecond ? 0 : Int128(index) * 1_000_000_000))
            try? map.insert(.string("id"), .string(String(index)))
            try? map.insert(.string("email"), .string(data.email(index)))
            try? map.insert(.string("updated_at"), .string(changed.rfc3339))
            return .map(map)
        }
        let fixtures = FixtureConnectors(records: [StepID("contacts"): contacts])
        let options = RunOptions(runID: runID, baseDirectory: NSTemporaryDirectory(), state: state)
        let processorBefore = processCPUSeconds()
        let started = ContinuousClock.now
        let summary = await Executor(plan: plan, options: options, connectors: fixtures).run()
        let elapsed = ContinuousClock.now - started
        let processorSeconds = processCPUSeconds() - processorBefore
        guard summary.status == .succeeded, fixtures.sent[StepID("hello"), default: []].count == data.count else {
            throw ConnectorUnavailable("the benchmark run did not send every message: \(summary.error ?? "")")
        }
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, processorSeconds)
    }
}
