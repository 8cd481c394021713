import Foundation
import HeapModule
import Logging
import PlaybookLanguage
import PlaybookRuntime
import PlaybookState

/// The time as the scheduler sees it; tests give one they move by hand.
public protocol ServerClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` (or at once when it has passed); throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's clock.
public struct SystemServerClock: ServerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let wait = deadline.timeIntervalSinceNow
        if wait > 0 { try await Task.sleep(for: .nanoseconds(Int64(wait * 1e9))) }
    }
}

/// Fires the schedules of the served playbooks: each fire time becomes a run request, and after
/// downtime the missed fire times are caught up as each schedule's `catch_up` says.
///
/// The next fire of every schedule is kept in a heap; the scheduler sleeps until the earliest. A
/// reload replaces the schedules, keeping the next fire of those that did not change.
public actor Scheduler {
    private struct Entry: Comparable {
        var next: Date
        var playbook: ServedPlaybook
        var schedule: ServedSchedule
        /// Tells entries apart when their times are equal; also the order they were loaded in.
        var order: Int
        var identity: String { Scheduler.identity(playbook: playbook.name, schedule: schedule.key.text) }
        static func < (left: Entry, right: Entry) -> Bool { (left.next, left.order) < (right.next, right.order) }
        static func == (left: Entry, right: Entry) -> Bool { left.next == right.next && left.order == right.order }
    }

    private let clock: any ServerClock
    private let store: any ServerStateStore
    private let logger: Logger
    private let submit: @Sendable (RunRequest) async -> Void
    private var heap = Heap<Entry>()
    private var wake: CheckedContinuation<Void, Never>?
    private var stopped = false

    public init(clock: any ServerClock, store: any ServerStateStore, logger: Logger, submit: @escaping @Sendable (RunRequest) async -> Void) {
        self.clock = clock
        self.store = store
        self.logger = logger
        self.submit = submit
    }

    /// What tells one playbook's schedule from every other.
    private static func identity(playbook: String, schedule: String) -> String { playbook + "\u{0}" + schedule }

    /// The schedules to fire from now on. At the server's start (`catchingUp`), fire times missed
    /// since each schedule last fired are asked for first, as its `catch_up` says. A schedule the
    /// state file has never seen starts being counted from now.
    public func load(_ playbooks: [ServedPlaybook], catchingUp: Bool) async {
        let now = clock.now()
        let kept = Dictionary(heap.unordered.map { ($0.identity, $0.next) }, uniquingKeysWith: min)
        // One read and one write for every schedule: a server with many playbooks starts at once.
        let fired = Dictionary(((try? await store.lastFires(playbook: nil)) ?? []).map {
            (Self.identity(playbook: $0.playbook, schedule: $0.schedule), $0.firedAt)
        }, uniquingKeysWith: max)
        var entries: [Entry] = []
        var counted: [ScheduleFire] = []
        var order = 0
        for playbook in playbooks {
            for schedule in playbook.schedules {
                order += 1
                let identity = Self.identity(playbook: playbook.name, schedule: schedule.key.text)
                if let next = kept[identity], !catchingUp {
                    entries.append(Entry(next: next, playbook: playbook, schedule: schedule, order: order))
                    continue
                }
                if let last = fired[identity] {
                    if catchingUp {
                        if schedule.catchUp == .none {
                            counted.append(ScheduleFire(playbook: playbook.name, schedule: schedule.key.text, firedAt: now))
                        } else {
                            await catchUp(playbook, schedule, since: last, now: now)
                        }
                    }
                } else {
                    // Counted from now, so that a server that goes down before the first fire catches it up.
                    counted.append(ScheduleFire(playbook: playbook.name, schedule: schedule.key.text, firedAt: now))
                }
                if let next = schedule.cron.nextFire(after: now, in: schedule.timeZone) {
                    entries.append(Entry(next: next, playbook: playbook, schedule: schedule, order: order))
                }
            }
        }
        do {
            try await store.recordFires(counted)
        } catch {
            logger.error("the schedules' bookkeeping could not be written: \(error)")
        }
        heap = Heap(entries)
        wakeUp()
    }

    private func catchUp(_ playbook: ServedPlaybook, _ schedule: ServedSchedule, since last: Date, now: Date) async {
        // Every missed time, but only the last ones are kept: a week down with a minute schedule
        // must not take long to look at.
        var missed: [Date] = []
        var count = 0
        var from = last.addingTimeInterval(1)
        while true {
            let batch = schedule.cron.fireTimes(from: from, through: now, in: schedule.timeZone, limit: 1000)
            missed += batch
            count += batch.count
            if missed.count > 1000 { missed.removeFirst(missed.count - 1000) }
            guard batch.count == 1000, let latest = batch.last else { break }
            from = latest.addingTimeInterval(1)
        }
        guard !missed.isEmpty else { return }
        let replayed = schedule.catchUp == .latest ? [missed.last!] : Array(missed.suffix(schedule.catchUpLimit))
        logger.notice(
            "\(count) fire time(s) of \(playbook.name) (\(schedule.key)) were missed while the server was down; running \(replayed.count), as `catch_up: \(schedule.catchUp.rawValue)` says",
            metadata: ["playbook": .string(playbook.name)])
        for due in replayed {
            await submit(RunRequest.schedule(schedule, due: due, playbook: playbook, at: now))
        }
    }

    /// Fires schedules as they come due, until the task is cancelled or `stop` is called.
    public func run() async {
        while !stopped && !Task.isCancelled {
            guard let first = heap.min else {
                await sleep(until: nil)
                continue
            }
            let now = clock.now()
            if first.next <= now {
                await fireDue(now: now)
            } else {
                await sleep(until: first.next)
            }
        }
    }

    /// Returns at `deadline`, or earlier when the schedules change or the scheduler stops; an
    /// early return is harmless, as the loop looks at the time again.
    private func sleep(until deadline: Date?) async {
        var sleeper: Task<Void, Never>?
        await withCheckedContinuation { continuation in
            wake = continuation
            if let deadline {
                sleeper = Task { [clock] in
                    try? await clock.sleep(until: deadline)
                    self.wakeUp()
                }
            }
        }
        sleeper?.cancel()
    }

    private func wakeUp() {
        wake?.resume()
        wake = nil
    }

    /// Stops firing.
    public func stop() {
        stopped = true
        wakeUp()
    }

    /// Asks for a run of every schedule due by `now`, and moves each to its next fire time. A
    /// server that slept past several fire times of a schedule fires once for them, and goes on
    /// from now.
    private func fireDue(now: Date) async {
        var fired: [(playbook: ServedPlaybook, schedule: ServedSchedule, due: Date)] = []
        while let first = heap.min, first.next <= now {
            var entry = heap.removeMin()
            fired.append((entry.playbook, entry.schedule, entry.next))
            if let next = entry.schedule.cron.nextFire(after: max(entry.next, now), in: entry.schedule.timeZone) {
                entry.next = next
                heap.insert(entry)
            }
        }
        for (playbook, schedule, due) in fired {
            let submitted = clock.now()
            ServerMetrics.scheduleLateness(playbook: playbook.name, lateness: .nanoseconds(Int64(submitted.timeIntervalSince(due) * 1e9)))
            await submit(RunRequest.schedule(schedule, due: due, playbook: playbook, at: submitted))
        }
    }

    /// The next fire times, for `/healthz`: by playbook and schedule.
    public var upcoming: [(playbook: String, schedule: String, next: Date)] {
        heap.unordered.sorted().map { ($0.playbook.name, $0.schedule.key.text, $0.next) }
    }
}
