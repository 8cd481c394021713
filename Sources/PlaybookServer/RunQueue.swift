import DequeModule
import Foundation
import Logging
import PlaybookLanguage
import PlaybookRuntime

/// The server's runs: at most `workers` at once, one at a time per playbook, the rest waiting in
/// the order they were asked for. What happens to a request for a playbook that is still running
/// (or waiting) is its trigger's `concurrency`: `forbid` drops it, `queue` waits, `replace` stops
/// the run in progress (and drops scheduled runs waiting behind it) and runs after it.
public actor RunQueue {
    /// What became of a request.
    public enum Admission: Sendable, Equatable {
        case waiting
        case dropped(String)
    }

    /// How the queue stands, for `/healthz`.
    public struct Snapshot: Sendable {
        public var running: [(playbook: String, trigger: String, since: Date)]
        /// The first waiting requests, oldest first.
        public var waiting: [(playbook: String, trigger: String, since: Date)]
        /// How many wait in all.
        public var waitingCount: Int
    }

    private struct Running {
        var request: RunRequest
        var startedAt: Date
        var stop: (@Sendable () -> Void)?
    }

    public let workers: Int
    private let runner: PlaybookRunner
    private let logger: Logger
    /// Waiting requests by playbook, each with its place in the order of arrival: a playbook's
    /// requests wait behind each other, and among playbooks the oldest request goes first.
    private var waiting: [String: Deque<(place: Int, request: RunRequest)>] = [:]
    private var waitingCount = 0
    private var arrivals = 0
    /// Requests with `concurrency: replace` waiting behind a run of their playbook.
    private var replacements: [String: Int] = [:]
    private var running: [String: Running] = [:]
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Called with each run's outcome, after its end is recorded.
    private let finished: @Sendable (RunRequest, PlaybookRunner.Outcome) async -> Void

    public init(workers: Int, runner: PlaybookRunner, logger: Logger,
                finished: @escaping @Sendable (RunRequest, PlaybookRunner.Outcome) async -> Void = { _, _ in }) {
        self.workers = max(1, workers)
        self.runner = runner
        self.logger = logger
        self.finished = finished
    }

    /// Asks for a run. A webhook event is already stored, so that `forbid` never drops one: it waits.
    @discardableResult
    public func submit(_ request: RunRequest) -> Admission {
        guard accepting else { return .dropped("the server is stopping") }
        let name = request.playbook.name
        if isBusy(name) {
            switch request.policy {
            case .forbid where request.eventID == nil:
                logger.notice("a run of \(name) is still going: this one is skipped, as `concurrency: forbid` says",
                              metadata: ["playbook": .string(name), "trigger": .string(PlaybookRunner.triggerKind(request))])
                if case .schedule = request.origin { ServerMetrics.scheduleSkipped(playbook: name) }
                return .dropped("a run of \(name) is still going")
            case .replace:
                let before = waiting[name]?.count ?? 0
                waiting[name]?.removeAll { $0.request.eventID == nil }
                let dropped = before - (waiting[name]?.count ?? 0)
                waitingCount -= dropped
                if let current = running[name] {
                    logger.notice("stopping the run of \(name) in progress to replace it, as `concurrency: replace` says",
                                  metadata: ["playbook": .string(name)])
                    current.stop?()
                }
                if dropped > 0 { logger.notice("\(dropped) waiting run(s) of \(name) replaced", metadata: ["playbook": .string(name)]) }
                replacements[name] = (waiting[name]?.count { $0.request.policy == .replace } ?? 0) + 1
            default:
                break
            }
        }
        arrivals += 1
        waiting[name, default: []].append((arrivals, request))
        waitingCount += 1
        pump()
        return .waiting
    }

    /// Whether a run of the playbook is going or waiting.
    public func isBusy(_ playbook: String) -> Bool {
        running[playbook] != nil || !(waiting[playbook]?.isEmpty ?? true)
    }

    /// The runs going and the first 100 waiting.
    public var snapshot: Snapshot {
        let queued = waiting.values.flatMap { $0.prefix(100) }.sorted { $0.place < $1.place }.prefix(100)
        return Snapshot(
            running: running.values.sorted { $0.startedAt < $1.startedAt }.map {
                ($0.request.playbook.name, PlaybookRunner.triggerKind($0.request), $0.startedAt)
            },
            waiting: queued.map { ($0.request.playbook.name, PlaybookRunner.triggerKind($0.request), $0.request.requestedAt) },
            waitingCount: waitingCount)
    }

    /// Stops taking requests, stops the runs in progress cleanly (each finishes the batches in
    /// hand and records how it ended) and waits for them. Waiting requests are dropped: webhook
    /// events stay in the inbox for the next start, and missed schedules are caught up as their
    /// `catch_up` says.
    public func shutdown() async {
        accepting = false
        if waitingCount > 0 {
            logger.notice("\(waitingCount) waiting run(s) left for the next start")
            waiting.removeAll()
            waitingCount = 0
        }
        for current in running.values { current.stop?() }
        publishDepth()
        await untilIdle()
    }

    /// Returns once no run is going and none waits.
    public func untilIdle() async {
        guard !running.isEmpty || waitingCount > 0 else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func pump() {
        while running.count < workers, waitingCount > 0 {
            // The oldest request among the playbooks that are not running.
            var chosen: (name: String, place: Int)?
            for (name, queue) in waiting where running[name] == nil {
                guard let first = queue.first else { continue }
                if chosen == nil || first.place < chosen!.place { chosen = (name, first.place) }
            }
            guard let name = chosen?.name, let request = waiting[name]?.popFirst()?.request else { break }
            if waiting[name]?.isEmpty == true { waiting[name] = nil }
            waitingCount -= 1
            if request.policy == .replace, let pending = replacements[name] {
                replacements[name] = pending > 1 ? pending - 1 : nil
            }
            Task { [runner] in
                let outcome = await runner.run(request) { stop in
                    Task { await self.setStop(stop, for: name) }
                }
                await self.runEnded(request, outcome: outcome)
            }
            running[name] = Running(request: request, startedAt: Date(), stop: nil)
        }
        publishDepth()
    }

    private func setStop(_ stop: @escaping @Sendable () -> Void, for playbook: String) {
        guard running[playbook] != nil else { return }
        running[playbook]?.stop = stop
        // Told to stop before it could be: a replacement or a shutdown came first.
        if !accepting || replacements[playbook] != nil { stop() }
    }

    private func runEnded(_ request: RunRequest, outcome: PlaybookRunner.Outcome) async {
        running[request.playbook.name] = nil
        await finished(request, outcome)
        if accepting { pump() } else { publishDepth() }
        if running.isEmpty && waitingCount == 0 {
            let waiters = idleWaiters
            idleWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
    }

    private func publishDepth() {
        ServerMetrics.queueDepth(waiting: waitingCount, running: running.count)
    }
}
