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
        public var waiting: [(playbook: String, trigger: String, since: Date)]
    }

    private struct Running {
        var request: RunRequest
        var startedAt: Date
        var stop: (@Sendable () -> Void)?
        var task: Task<Void, Never>
    }

    public let workers: Int
    private let runner: PlaybookRunner
    private let logger: Logger
    private var waiting: [RunRequest] = []
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
        let busy = running[name] != nil || waiting.contains { $0.playbook.name == name }
        if busy {
            switch request.policy {
            case .forbid where request.eventID == nil:
                logger.notice("a run of \(name) is still going: this one is skipped, as `concurrency: forbid` says",
                              metadata: ["playbook": .string(name), "trigger": .string(PlaybookRunner.triggerKind(request))])
                if case .schedule = request.origin { ServerMetrics.scheduleSkipped(playbook: name) }
                return .dropped("a run of \(name) is still going")
            case .replace:
                let dropped = waiting.count { $0.playbook.name == name && $0.eventID == nil }
                waiting.removeAll { $0.playbook.name == name && $0.eventID == nil }
                if let current = running[name] {
                    logger.notice("stopping the run of \(name) in progress to replace it, as `concurrency: replace` says",
                                  metadata: ["playbook": .string(name)])
                    current.stop?()
                }
                if dropped > 0 { logger.notice("\(dropped) waiting run(s) of \(name) replaced", metadata: ["playbook": .string(name)]) }
            default:
                break
            }
        }
        waiting.append(request)
        pump()
        return .waiting
    }

    /// Whether a run of the playbook is going or waiting.
    public func isBusy(_ playbook: String) -> Bool {
        running[playbook] != nil || waiting.contains { $0.playbook.name == playbook }
    }

    public var snapshot: Snapshot {
        Snapshot(
            running: running.values.sorted { $0.startedAt < $1.startedAt }.map {
                ($0.request.playbook.name, PlaybookRunner.triggerKind($0.request), $0.startedAt)
            },
            waiting: waiting.map { ($0.playbook.name, PlaybookRunner.triggerKind($0), $0.requestedAt) })
    }

    /// Stops taking requests, stops the runs in progress cleanly (each finishes the batches in
    /// hand and records how it ended) and waits for them. Waiting requests are dropped: webhook
    /// events stay in the inbox for the next start, and missed schedules are caught up as their
    /// `catch_up` says.
    public func shutdown() async {
        accepting = false
        if !waiting.isEmpty {
            logger.notice("\(waiting.count) waiting run(s) left for the next start")
            waiting.removeAll()
        }
        for current in running.values { current.stop?() }
        publishDepth()
        await untilIdle()
    }

    /// Returns once no run is going and none waits.
    public func untilIdle() async {
        guard !running.isEmpty || !waiting.isEmpty else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func pump() {
        while running.count < workers, let index = waiting.firstIndex(where: { running[$0.playbook.name] == nil }) {
            let request = waiting.remove(at: index)
            let name = request.playbook.name
            let task = Task { [runner] in
                let outcome = await runner.run(request) { stop in
                    Task { await self.setStop(stop, for: name) }
                }
                await self.runEnded(request, outcome: outcome)
            }
            running[name] = Running(request: request, startedAt: Date(), stop: nil, task: task)
        }
        publishDepth()
    }

    private func setStop(_ stop: @escaping @Sendable () -> Void, for playbook: String) {
        guard running[playbook] != nil else { return }
        running[playbook]?.stop = stop
        // Told to stop before it could be: a replacement or a shutdown came first.
        if !accepting || waiting.contains(where: { $0.playbook.name == playbook && $0.policy == .replace }) { stop() }
    }

    private func runEnded(_ request: RunRequest, outcome: PlaybookRunner.Outcome) async {
        running[request.playbook.name] = nil
        await finished(request, outcome)
        if accepting { pump() } else { publishDepth() }
        if running.isEmpty && waiting.isEmpty {
            let waiters = idleWaiters
            idleWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
    }

    private func publishDepth() {
        ServerMetrics.queueDepth(waiting: waiting.count, running: running.count)
    }
}
