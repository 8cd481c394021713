import Foundation
import Logging
import PlaybookServer
import PlaybookState
import Synchronization

/// Thousands of playbooks on a minute schedule, loaded into `serve`'s scheduler: how long loading
/// takes, and how late each fire is asked for after the minute it was due (real clock; the runs
/// themselves are not made, so that what is measured is the scheduler). `--minutes 0` only loads.
enum LatenessBenchmark {
    static func run(arguments: [String]) async {
        func value(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let count = value("--schedules", 3000)
        let minutes = value("--minutes", 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playbook-lateness-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for index in 0..<count {
                let text = """
                    version: 1
                    name: minute-\(index)
                    triggers:
                      - schedule: "* * * * *"
                        timezone: \(["UTC", "Europe/Warsaw", "America/New_York", "Asia/Kolkata"][index % 4])
                    steps:
                      rows:
                        fetch: { file: rows.jsonl }
                    """
                try text.write(toFile: folder + "/minute-\(index).yaml", atomically: false, encoding: .utf8)
            }
            var started = Date()
            let catalog = PlaybookCatalog.load(folder: folder)
            let loaded = Date().timeIntervalSince(started)
            let store = try SQLiteRunStateStore(path: folder + "/.playbook/state.sqlite")
            let lateness = Mutex<[Double]>([])
            let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
            let scheduler = Scheduler(clock: SystemServerClock(), store: store, logger: logger) { request in
                if case .schedule(_, let due) = request.origin {
                    let late = Date().timeIntervalSince(due)
                    lateness.withLock { $0.append(late) }
                }
            }
            started = Date()
            await scheduler.load(catalog.playbooks, catchingUp: true)
            let scheduled = Date().timeIntervalSince(started)
            print(String(format: "lateness: %d playbooks on a minute schedule (%d rejected); validated in %.2f s, loaded into the scheduler in %.3f s",
                         catalog.playbooks.count, catalog.rejected.count, loaded, scheduled))
            let loop = Task { await scheduler.run() }
            let wanted = catalog.playbooks.count * minutes
            while lateness.withLock({ $0.count }) < wanted {
                try await Task.sleep(for: .milliseconds(100))
            }
            await scheduler.stop()
            loop.cancel()
            let sorted = lateness.withLock { $0 }.sorted()
            guard !sorted.isEmpty else { return }
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
            print(String(format: "  %d fires over %d minute(s): lateness p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                         sorted.count, minutes, percentile(0.5), percentile(0.99), percentile(1.0)))
        } catch {
            print("lateness: \(error)")
        }
    }
}
