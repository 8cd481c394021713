import CEL
import Foundation
import PlaybookLanguage
import PlaybookRuntime
@testable import PlaybookServer
import PlaybookState
import Synchronization
import Testing

@Suite struct SchedulerTests {
    private static func playbook(_ name: String, schedule: String, timezone: String = "UTC") -> String {
        """
        version: 1
        name: \(name)
        triggers:
          - schedule: "\(schedule)"
            timezone: \(timezone)
        steps:
          rows:
            fetch: { file: rows.jsonl }
        """
    }

    /// The requests a scheduler asked for, in order.
    private final class Requests: Sendable {
        let list = Mutex<[RunRequest]>([])
        func add(_ request: RunRequest) { list.withLock { $0.append(request) } }
        var dues: [Date] {
            list.withLock { $0.compactMap { if case .schedule(_, let due) = $0.origin { return due } else { return nil } } }
        }
    }

    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private func withScheduler(
        _ files: [String: String], now: String, lastFires: [(String, String, String)] = [], catchingUp: Bool = true,
        _ body: (Scheduler, ManualClock, Requests, SQLiteRunStateStore) async throws -> Void
    ) async throws {
        try await withFolder(files) { folder in
            let store = try SQLiteRunStateStore(path: folder + "/state.sqlite")
            for (playbook, schedule, at) in lastFires {
                try await store.recordFire(ScheduleFire(playbook: playbook, schedule: schedule, firedAt: date(at)))
            }
            let clock = ManualClock(date(now))
            let requests = Requests()
            let scheduler = Scheduler(clock: clock, store: store, logger: LogLines().logger) { requests.add($0) }
            let catalog = PlaybookCatalog.load(folder: folder)
            #expect(catalog.rejected.isEmpty, "\(catalog.rejected.map(\.problems))")
            await scheduler.load(catalog.playbooks, catchingUp: catchingUp)
            let loop = Task { await scheduler.run() }
            try await body(scheduler, clock, requests, store)
            await scheduler.stop()
            loop.cancel()
            await loop.value
        }
    }

    @Test func aScheduleFiresAtEachOfItsTimesWithTheTimeItWasDue() async throws {
        try await withScheduler(["hourly.yaml": Self.playbook("hourly", schedule: "0 * * * *")], now: "2026-12-06T10:59:30Z") { _, clock, requests, store in
            #expect(await eventually { clock.sleeping == 1 })
            #expect(requests.dues.isEmpty)
            clock.move(to: date("2026-12-06T11:00:00Z"))
            #expect(await eventually { requests.dues.count == 1 })
            #expect(requests.dues == [date("2026-12-06T11:00:00Z")])
            let request = try #require(requests.list.withLock { $0.first })
            guard case .schedule(let schedule, let firedAt) = request.trigger else {
                Issue.record("not a schedule trigger: \(request.trigger)")
                return
            }
            #expect(schedule == "0 * * * * UTC")
            #expect(firedAt == CELTimestamp(date: date("2026-12-06T11:00:00Z")))
            // A clock that jumps past several fire times fires once, then goes on from the new time.
            #expect(await eventually { clock.sleeping == 1 })
            clock.move(to: date("2026-12-06T14:20:00Z"))
            #expect(await eventually { requests.dues.count == 2 })
            #expect(requests.dues.last == date("2026-12-06T12:00:00Z"))
            #expect(await firesNext(requests: requests, clock: clock, next: "2026-12-06T15:00:00Z"))
            // The first start counted from its own time.
            #expect(try await store.lastFires(playbook: "hourly").first?.firedAt == date("2026-12-06T10:59:30Z"))
        }
    }

    /// Whether the scheduler's next fire is at `next`: moving the clock there fires one more.
    private func firesNext(requests: Requests, clock: ManualClock, next: String) async -> Bool {
        let count = requests.dues.count
        guard await eventually({ clock.sleeping == 1 }) else { return false }
        clock.move(to: date(next).addingTimeInterval(-1))
        try? await Task.sleep(for: .milliseconds(50))
        guard requests.dues.count == count else { return false }
        clock.move(to: date(next))
        return await eventually { requests.dues.count == count + 1 } && requests.dues.last == date(next)
    }

    @Test(arguments: [
        ("none", [String]()),
        ("latest", ["2026-12-06T10:00:00Z"]),
        ("all\n    catch_up_limit: 2", ["2026-12-06T09:00:00Z", "2026-12-06T10:00:00Z"]),
        ("all", ["2026-12-06T07:00:00Z", "2026-12-06T08:00:00Z", "2026-12-06T09:00:00Z", "2026-12-06T10:00:00Z"]),
    ])
    func missedFireTimesAreCaughtUpAsTheScheduleSays(policy: String, expected: [String]) async throws {
        let text = Self.playbook("hourly", schedule: "0 * * * *").replacingOccurrences(of: "    timezone: UTC", with: "    timezone: UTC\n    catch_up: \(policy)")
        try await withScheduler(["hourly.yaml": text], now: "2026-12-06T10:30:00Z", lastFires: [("hourly", "0 * * * * UTC", "2026-12-06T06:00:00Z")]) { _, _, requests, store in
            #expect(requests.dues == expected.map(date))
            if policy == "none" {
                // Skipped times are not looked at again at the next start.
                let recorded = try await store.lastFires(playbook: "hourly").first?.firedAt
                #expect(recorded == date("2026-12-06T10:30:00Z"))
            }
        }
    }

    @Test func aReloadKeepsTheNextFireOfAnUnchangedScheduleAndCatchesUpNothing() async throws {
        try await withScheduler(["hourly.yaml": Self.playbook("hourly", schedule: "0 * * * *")], now: "2026-12-06T10:59:30Z",
                                lastFires: [("hourly", "0 * * * * UTC", "2026-12-06T06:00:00Z")], catchingUp: false) { scheduler, _, requests, _ in
            #expect(requests.dues.isEmpty)
            #expect(await scheduler.upcoming.map(\.next) == [date("2026-12-06T11:00:00Z")])
        }
    }

    @Test func aFixedTimeInADaylightSavingGapFiresOnceAtTheFirstMinuteThatExists() async throws {
        // Warsaw, 29 March 2026: the clocks go from 02:00 to 03:00 (01:00 UTC).
        try await withScheduler(["night.yaml": Self.playbook("night", schedule: "30 2 * * *", timezone: "Europe/Warsaw")],
                                now: "2026-03-28T12:00:00Z") { scheduler, clock, requests, _ in
            #expect(await scheduler.upcoming.map(\.next) == [date("2026-03-29T01:00:00Z")])
            #expect(await eventually { clock.sleeping == 1 })
            clock.move(to: date("2026-03-29T01:00:00Z"))
            #expect(await eventually { requests.dues.count == 1 })
            // The next day it is 02:30 summer time again (00:30 UTC).
            #expect(await eventually { await scheduler.upcoming.map(\.next) == [date("2026-03-30T00:30:00Z")] })
        }
    }

    @Test func aRealTimeScheduleFiresInBothPassesOfARepeatedHour() async throws {
        // New York, 1 November 2026: at 02:00 summer time (06:00 UTC) the clocks go back to 01:00, so
        // 01:30 comes twice, at 05:30 and 06:30 UTC. `30 * * * *` follows real time: it runs in both.
        try await withScheduler(["half.yaml": Self.playbook("half", schedule: "30 * * * *", timezone: "America/New_York")],
                                now: "2026-11-01T05:00:00Z") { scheduler, clock, requests, _ in
            #expect(await scheduler.upcoming.map(\.next) == [date("2026-11-01T05:30:00Z")])
            #expect(await eventually { clock.sleeping == 1 })
            clock.move(to: date("2026-11-01T05:30:00Z"))
            #expect(await eventually { requests.dues.count == 1 })
            #expect(await firesNext(requests: requests, clock: clock, next: "2026-11-01T06:30:00Z"))
            #expect(await firesNext(requests: requests, clock: clock, next: "2026-11-01T07:30:00Z"))
        }
    }
}
